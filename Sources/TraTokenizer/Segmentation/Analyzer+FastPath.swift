extension AnalyzerCore {
    /// A UAX #29 "mid" character seen after a word character, not yet known to join the next one.
    struct PendingMid {
        var scalar: UInt32
        var charClass: CharClass
        var start: Int
        var end: Int
        /// Whether the word character before it was a digit (UAX #29 Numeric) rather than a letter.
        var afterDigit: Bool
    }

    /// The table-driven segmentation of Latin and Vietnamese text.
    ///
    /// It implements the UAX #29 rules for the classes in ``CharClass`` (letters and digits join,
    /// WB5-WB13; marks extend the character before them, WB4; mid punctuation joins letters or
    /// digits on both sides, WB6/7/11/12). At the first scalar it does not model, it drops the tokens
    /// of the current space-delimited chunk and hands that chunk to ICU.
    mutating func analyzeFast(_ text: UnsafeBufferPointer<UInt8>) throws(ICUError) {
        guard let base = text.baseAddress else { return }
        let count = text.count
        var i = 0
        // Where the current chunk starts, and the output state there, for a fallback to ICU.
        var chunkStart = 0
        var chunkSpans = spans.count
        var chunkKeyBytes = keyBytes.count
        var chunkPosition = nextPosition
        var pending: PendingMid? = nil
        var lastWasDigit = false

        while i < count {
            let scalar: UInt32
            let length: Int
            if base[i] < 0x80 {
                (scalar, length) = (UInt32(base[i]), 1)
            } else {
                (scalar, length) = UTF8Decoder.decode(base, i, count)
            }
            let info = table.info(scalar)
            switch info.charClass {
            case .letter, .foreignLetter, .digit:
                let isDigit = info.charClass == .digit
                if let mid = pending {
                    if Self.joins(mid, nextIsDigit: isDigit) {
                        appendToSegment(mid.scalar, start: mid.start, end: mid.end)
                    } else {
                        emitSegment()
                    }
                    pending = nil
                }
                appendToSegment(scalar, start: i, end: i + length)
                lastWasDigit = isDigit
            case .mark:
                guard !segment.isEmpty, pending == nil else {
                    try fallBack(
                        text, from: chunkStart, at: i, &i, spans: chunkSpans, keyBytes: chunkKeyBytes,
                        position: chunkPosition)
                    pending = nil
                    continue
                }
                appendToSegment(scalar, start: i, end: i + length)
            case .midLetter, .midNum, .midNumLet:
                if pending == nil && !segment.isEmpty {
                    pending = PendingMid(
                        scalar: scalar, charClass: info.charClass, start: i, end: i + length, afterDigit: lastWasDigit)
                } else {
                    pending = nil
                    emitSegment()
                }
            case .boundary:
                pending = nil
                emitSegment()
            case .space:
                pending = nil
                emitSegment()
                chunkStart = i + length
                chunkSpans = spans.count
                chunkKeyBytes = keyBytes.count
                chunkPosition = nextPosition
            case .ignorable:
                break
            case .other:
                try fallBack(
                    text, from: chunkStart, at: i, &i, spans: chunkSpans, keyBytes: chunkKeyBytes,
                    position: chunkPosition)
                pending = nil
                continue
            }
            i += length
        }
        emitSegment()
    }

    /// Whether a pending mid character joins the word character before it to the next one.
    @inline(__always)
    static func joins(_ mid: PendingMid, nextIsDigit: Bool) -> Bool {
        switch mid.charClass {
        case .midLetter: return !mid.afterDigit && !nextIsDigit
        case .midNum: return mid.afterDigit && nextIsDigit
        default: return mid.afterDigit == nextIsDigit
        }
    }

    /// Drops the tokens of the chunk that starts at `chunkStart`, segments the chunk (up to the next
    /// white space) with ICU and moves `i` to its end. A chunk longer than ``icuRunLimit`` bytes is
    /// not segmented: it is noted in ``oversizedRun``.
    mutating private func fallBack(
        _ text: UnsafeBufferPointer<UInt8>, from chunkStart: Int, at position: Int, _ i: inout Int,
        spans spanCount: Int, keyBytes byteCount: Int, position chunkPosition: Int
    ) throws(ICUError) {
        spans.removeLast(downTo: spanCount)
        keyBytes.removeLast(downTo: byteCount)
        nextPosition = chunkPosition
        clearSegment()
        guard let base = text.baseAddress else { return }
        var end = position
        while end < text.count {
            let (scalar, length) = UTF8Decoder.decode(base, end, text.count)
            if table.info(scalar).charClass == .space { break }
            end += length
        }
        i = end
        guard end - chunkStart <= icuRunLimit else {
            // Not segmented (ICU would take some 20 to 30 times its size): it gives no tokens.
            if oversizedRun == nil { oversizedRun = chunkStart..<end }
            return
        }
        try segmentWithICU(text, chunkStart..<end)
        bytesSegmentedByICU += end - chunkStart
    }
}
