import TraIndex

/// Turns an input document into what the index takes: the title and body analyzed by the
/// Vietnamese analyzer, every field stored for display.
///
/// A field longer than ``chunkSize`` bytes is analyzed a chunk at a time, each chunk cut after
/// white space or CJK punctuation (see ``chunkEnd(_:from:size:)``), so that the analyzer's
/// scratch (about 60 bytes per token) stays bounded by the chunk whatever the size of the
/// document; the tokens and positions are those of the whole field analyzed at once.
///
/// Text with neither white space nor CJK punctuation to cut at, in a script that ICU segments
/// (Thai, Chinese, Japanese; or any text with an emoji or "_"), goes to ICU whole, which takes
/// some 20 to 30 times its size: a field with a run of more than ``maximumICURunBytes`` such bytes
/// is refused (``analyze(_:as:)`` throws) rather than analyzed in gigabytes; so is a field with a
/// word of more than ``maximumWordScalars`` characters that may still be one token or many (a
/// number of many parts).
package final class DocumentAnalyzer {
    /// The largest field analyzed: positions and term offsets are 32-bit.
    package static let maximumFieldBytes = 1 << 30

    /// The longest run of text without white space that ICU segments (16 MiB: a few hundred
    /// megabytes to segment it).
    package static let maximumICURunBytes = 16 << 20

    /// The most characters of a word the analyzer keeps while it may be one token or many (1 Mi:
    /// 24 MB), see ``Analyzer/wordLimit``.
    package static let maximumWordScalars = 1 << 20

    /// Bytes of a field analyzed at once.
    package let chunkSize: Int
    private let analyzer: Analyzer

    /// - Parameters:
    ///   - chunkSize: bytes of a field analyzed at once (at least 1).
    ///   - icuRunLimit: the longest run without white space that ICU segments, in bytes.
    ///   - wordLimit: the most characters of a word kept while it may be one token or many.
    package init(
        chunkSize: Int = 1 << 20, icuRunLimit: Int = DocumentAnalyzer.maximumICURunBytes,
        wordLimit: Int = DocumentAnalyzer.maximumWordScalars
    ) throws(TraError) {
        precondition(chunkSize > 0, "the chunk size must be positive")
        self.chunkSize = chunkSize
        do {
            analyzer = try Analyzer()
        } catch {
            throw TraError(error)
        }
        analyzer.icuRunLimit = icuRunLimit
        analyzer.wordLimit = wordLimit
    }

    /// The analyzed document; `fields` are stored in the given order (an `id` field is not stored:
    /// the index keeps ids apart).
    package func analyze(id: String, fields: [(name: String, value: String)]) throws(TraError) -> AnalyzedDocument {
        let stored = fields.filter { $0.name != "id" }
        let title = stored.first { $0.name == "title" }?.value ?? ""
        let body = stored.first { $0.name == "body" }?.value ?? ""
        return AnalyzedDocument(
            id: id, stored: stored, fields: [try analyze(title, as: .title), try analyze(body, as: .body)])
    }

    /// The analyzed `text` as the index field `field`.
    package func analyze(_ text: String, as field: IndexedField) throws(TraError) -> AnalyzedField {
        guard text.utf8.count <= Self.maximumFieldBytes else {
            throw TraError(.user, "a \(field.name) of \(text.utf8.count) bytes is too large to index (limit 1 GB)")
        }
        var text = text
        var builder = AnalyzedField.Builder(field: field)
        do {
            try text.withUTF8 { bytes in
                var start = 0
                while start < bytes.count {
                    let end = Self.chunkEnd(bytes, from: start, size: chunkSize)
                    try analyzeChunk(UnsafeBufferPointer(rebasing: bytes[start..<end]), into: &builder)
                    if let run = analyzer.oversizedRun {
                        throw TraError(
                            .user,
                            "the \(field.name) has a run of \(run.count) bytes from byte \(start + run.lowerBound) "
                                + "with no white space or CJK punctuation to cut at, in a script ICU segments (Thai, "
                                + "Chinese...); at most \(analyzer.icuRunLimit) are segmented at once (about 25 times "
                                + "their size in memory)")
                    }
                    if let word = analyzer.oversizedWord {
                        throw TraError(
                            .user,
                            "the \(field.name) has a word of more than \(analyzer.wordLimit) characters from byte "
                                + "\(start + word.lowerBound) (a number of many parts such as 1.2.3..., or a letter "
                                + "under many combining marks), which the analyzer would hold whole")
                    }
                    if start == 0 && end < bytes.count {
                        // Room for the tokens of the whole field, estimated from the first chunk.
                        builder.reserveTokens(builder.field.tokens.count * bytes.count / end * 9 / 8)
                    }
                    start = end
                }
            }
        } catch let error as ICUError {
            throw TraError(error)
        } catch let error as TraError {
            throw error
        } catch {
            throw TraError(.user, "cannot analyze the \(field.name): \(error)")
        }
        return builder.finish()
    }

    /// Analyzes `chunk` and appends its tokens, their positions following those already there.
    private func analyzeChunk(_ chunk: UnsafeBufferPointer<UInt8>, into builder: inout AnalyzedField.Builder)
        throws(ICUError)
    {
        // Positions are token ordinals (the analyzer leaves no gaps), so a chunk's positions continue from
        // the number of tokens before it.
        let base = builder.field.tokens.count
        try analyzer.withTokens(of: chunk) { spans, keyBytes in
            if builder.field.tokens.isEmpty { builder.reserveTokens(spans.count) }
            let keys = UnsafeRawBufferPointer(keyBytes)
            builder.append(count: spans.count) { i in
                let span = spans[i]
                return (
                    base + span.position, UnsafeRawBufferPointer(rebasing: keys[span.keyStart..<span.keyEnd]),
                    UnsafeRawBufferPointer(rebasing: keys[span.keyEnd..<span.foldedEnd])
                )
            }
        }
    }

    /// Where the chunk of `text` that starts at `start` ends: after at most `size` bytes, at the
    /// last line break of the chunk's second half, else at its last white space or CJK
    /// punctuation; a chunk without either extends to the next one (or to the end of the text).
    ///
    /// A cut is only made after an ASCII white space (tab, LF, VT, FF, CR, space) followed by an
    /// ASCII byte, or after the ideographic comma or full stop (、 。) or the fullwidth comma,
    /// exclamation or question mark (， ！ ？) followed by a CJK ideograph (U+4000 to U+9FFF):
    /// the analyzer reads white space as a token boundary and carries nothing across it; a CJK
    /// punctuation mark is a word boundary on both sides (UAX #29, which has no rule joining it
    /// to anything) and ends the run of ideographs that ICU segments with its dictionary; and the
    /// character after is never a combining mark or an ignorable character (which the analyzer
    /// would join to what precedes). So the chunks' tokens are those of the whole text, and text
    /// without spaces (Chinese, Japanese) is cut too.
    ///
    /// - Complexity: O(`size`) to O(length of the text) when it has no white space.
    package static func chunkEnd(_ text: UnsafeBufferPointer<UInt8>, from start: Int, size: Int) -> Int {
        let count = text.count
        guard count - start > size else { return count }
        let limit = start + size
        var cut = limit
        while cut > start + size / 2 {
            if text[cut - 1] == 0x0A && text[cut] < 0x80 { return cut }
            cut -= 1
        }
        cut = limit
        while cut > start {
            if isCut(text, cut) { return cut }
            cut -= 1
        }
        cut = limit + 1
        while cut < count {
            if isCut(text, cut) { return cut }
            cut += 1
        }
        return count
    }

    @inline(__always)
    private static func isCut(_ text: UnsafeBufferPointer<UInt8>, _ cut: Int) -> Bool {
        let before = text[cut - 1]
        if text[cut] < 0x80 { return before == 0x20 || before >= 0x09 && before <= 0x0D }
        // The lead byte of U+4000 to U+9FFF, after a CJK punctuation mark (3 bytes).
        guard text[cut] >= 0xE4 && text[cut] <= 0xE9, cut >= 3 else { return false }
        let mark = UInt32(text[cut - 3]) << 16 | UInt32(text[cut - 2]) << 8 | UInt32(before)
        switch mark {
        case 0xE3_80_81, 0xE3_80_82, 0xEF_BC_8C, 0xEF_BC_81, 0xEF_BC_9F: return true
        default: return false
        }
    }
}
