import CICU

/// ICU's word break iterator (UAX #29, root locale), the reference segmentation of the analyzer.
///
/// Not thread-safe: each analyzer owns one.
package final class WordBreaker {
    private let handle: OpaquePointer

    package init() throws(ICUError) {
        var status: Int32 = 0
        let handle = tra_wb_open(&status)
        try ICUError.check(status, "ubrk_open(UBRK_WORD)")
        guard let handle else { throw ICUError(code: status, operation: "ubrk_open(UBRK_WORD)") }
        self.handle = handle
    }

    deinit { tra_wb_close(handle) }

    /// Calls `body(start, end)` for every segment of `units` that ICU tags as a word (a number, a
    /// letter run, kana or ideographs), skipping spaces, punctuation and symbols.
    ///
    /// - Complexity: O(n) in the length of `units`.
    package func forEachWord(
        in units: UnsafeBufferPointer<UInt16>,
        _ body: (_ start: Int, _ end: Int) -> Void
    ) throws(ICUError) {
        guard let base = units.baseAddress, !units.isEmpty else { return }
        var status: Int32 = 0
        tra_wb_set_text(handle, base, Int32(units.count), &status)
        try ICUError.check(status, "ubrk_setText")
        var start = 0
        while true {
            let end = Int(tra_wb_next(handle))
            if end < 0 { break }
            // UBRK_WORD_NONE_LIMIT = 100: statuses below it are spaces and punctuation.
            if tra_wb_rule_status(handle) >= 100 { body(start, end) }
            start = end
        }
    }
}
