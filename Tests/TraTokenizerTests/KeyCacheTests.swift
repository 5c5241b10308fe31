import Foundation
import Testing

@testable import TraTokenizer

/// The analyzer's ``KeyCache`` must never change a key: a token read from the cache gets the bytes
/// ``KeyBuilder`` gives it, whatever came before it.
@Suite struct KeyCacheTests {
    /// More distinct words than the cache has slots (so slots are overwritten and collide), in NFC
    /// and NFD, lower and upper case, with tokens too long to be kept and keys over its byte limit.
    private static func words() -> [String] {
        let onsets = [
            "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "ph", "qu",
            "r", "s", "t", "th", "tr", "v", "x",
        ]
        let rhymes = ["a", "e", "ê", "i", "o", "ơ", "u", "ư", "oa", "uơ", "ươ", "iê", "uyê", "ôi", "ay", "âu", "ưu"]
        let codas = ["", "n", "ng", "nh", "c", "ch", "t"]
        let tones = ["", "\u{0300}", "\u{0301}", "\u{0309}", "\u{0303}", "\u{0323}"]
        var words: [String] = []
        for onset in onsets {
            for rhyme in rhymes {
                for coda in codas {
                    for tone in tones {
                        // The tone mark after the whole syllable (NFD, tone at the end), which
                        // canonicalization moves; and the NFC form.
                        let written = onset + rhyme + coda + tone
                        words.append(written)
                        words.append(written.precomposedStringWithCanonicalMapping)
                    }
                }
            }
        }
        words += words.prefix(400).map { $0.uppercased() }
        words += [
            "internationalization", "Nguyễn", "nguyễn", "ĐƯỜNG", "đường", "3", "x86", String(repeating: "ữ", count: 7),
        ]
        return words
    }

    private static func reference(_ word: String, _ keys: inout KeyBuilder) -> (key: [UInt8], folded: [UInt8]) {
        let chars = word.unicodeScalars.map { SegmentChar(scalar: $0.value, start: 0, end: 0) }
        var scratch = ScratchBuffer<UInt8>()
        let keyEnd = chars.withUnsafeBufferPointer { keys.build($0, into: &scratch) }
        let bytes = Array(scratch.elements)
        return (Array(bytes[..<keyEnd]), Array(bytes[keyEnd...]))
    }

    @Test func cachedKeysAreTheBuiltKeys() throws {
        let words = Self.words()
        // (Swift strings compare canonically: count distinct scalar sequences.)
        #expect(Set(words.map { Array($0.unicodeScalars) }).count > KeyCache.slotCount)
        var keys = KeyBuilder(table: try CharTable.shared())
        let expected = words.map { Self.reference($0, &keys) }
        // Forwards, then backwards and forwards again: most later tokens are found in the cache,
        // some after their slot was taken by another word.
        let order = Array(words.indices) + words.indices.reversed() + Array(words.indices)
        let text = order.map { words[$0] }.joined(separator: " ")
        let analyzer = try Analyzer()
        var buffer = TokenBuffer()
        try Array(text.utf8).withUnsafeBufferPointer { try analyzer.analyze($0, into: &buffer) }
        #expect(buffer.spans.count == order.count)
        var mismatches: [String] = []
        for (span, w) in zip(buffer.spans, order) {
            let key = Array(buffer.key(of: span))
            let folded = Array(buffer.keyBytes[span.keyEnd..<span.foldedEnd])
            if key != expected[w].key || folded != expected[w].folded { mismatches.append(words[w]) }
        }
        #expect(mismatches.count == 0, "keys differ from KeyBuilder's for \(mismatches.prefix(5))")
    }
}
