import Testing
import TraTestSupport

@testable import TraIndex

/// A field is built with its terms interned (each distinct variant once), and the segment writer
/// adds it as it would add its tokens one by one.
@Suite("AnalyzedField.Builder")
struct AnalyzedFieldBuilderTests {
    static func build(_ words: [(String, String)], field: IndexedField = .body) -> AnalyzedField {
        IndexTestSupport.field(field, words)
    }

    @Test func internsEachDistinctTermOnce() {
        let field = Self.build([("hà", "ha"), ("nội", "noi"), ("hà", "ha"), ("hạ", "ha"), ("nội", "noi")])
        #expect(field.length == 5)
        #expect(field.terms.count == 3)
        #expect(field.tokens.map(\.term) == [0, 1, 0, 2, 1])
        #expect(field.tokens.map(\.position) == [0, 1, 2, 3, 4])
        let expected: [[UInt8]] = [
            [1] + Array("ha".utf8) + [0] + Array("hà".utf8), [1] + Array("noi".utf8) + [0] + Array("nội".utf8),
            [1] + Array("ha".utf8) + [0] + Array("hạ".utf8),
        ]
        #expect(field.termBytes == expected.flatMap { $0 })
        for (term, bytes) in zip(field.terms, expected) {
            #expect(Array(field.termBytes[Int(term.start)..<Int(term.end)]) == bytes)
            #expect(Array(field.termBytes[Int(term.start)..<Int(term.foldedEnd)]) == bytes.prefix { $0 != 0 })
            let zero = bytes.firstIndex(of: 0) ?? bytes.count
            let hash = Array(bytes[1..<zero]).withUnsafeBytes { folded in
                Array(bytes[(zero + 1)...]).withUnsafeBytes {
                    TermTable.hash(field: bytes[0], folded: folded, accented: $0)
                }
            }
            #expect(term.hash == hash)
        }
    }

    /// The index does not know how the keys were made: one accented key with 150 folded keys is
    /// 150 terms (the table probes by the accented key, and compares both), through growth too.
    @Test func termsDifferingOnlyInTheirFoldedKeyAreDistinct() {
        var words: [(String, String)] = []
        for i in 0..<400 { words += [("x", "a\(i % 150)"), ("y\(i % 7)", "y")] }
        let field = Self.build(words)
        #expect(field.terms.count == 150 + 7)
        let keys = field.tokens.map { token -> String in
            let term = field.terms[Int(token.term)]
            return String(decoding: field.termBytes[Int(term.start) + 1..<Int(term.end)], as: UTF8.self)
        }
        let expected = words.map { "\($0.1)\u{0}\($0.0)" }
        #expect(keys.count == expected.count)
        // (Whether a token's term is wrong, rather than two lists of 800.)
        #expect(!zip(keys, expected).contains { $0 != $1 })
    }

    @Test func manyDistinctTermsSurviveGrowth() {
        let words = (0..<5000).map { ("w\($0 % 1700)", "w\($0 % 1700)") }
        let field = Self.build(words)
        #expect(field.terms.count == 1700)
        #expect(field.tokens.map(\.term) == (0..<5000).map { UInt32($0 % 1700) })
    }

    /// Room reserved for more tokens once terms are in the table (as for a field analyzed in
    /// several chunks), and a chunk's tokens added in one call, give the field that adding the
    /// tokens one by one gives: terms, tokens, pairs and postings.
    @Test func reservedRoomAndBatchedTokensGiveTheSameField() {
        let words = (0..<3000).map { i -> (String, String) in
            let n = (i * 7919) % 900
            return (n % 3 == 0 ? "t\(n)à" : "t\(n)", "t\(n)")
        }
        let plain = Self.build(words)
        var builder = AnalyzedField.Builder(field: .body)
        for (position, (accented, folded)) in words.prefix(700).enumerated() {
            builder.append(position: position, accented: Array(accented.utf8)[...], folded: Array(folded.utf8)[...])
        }
        builder.reserveTokens(40_000)
        // The rest's keys laid end to end, as the analyzer leaves them: (accented, folded) ranges.
        var bytes: [UInt8] = []
        var ranges: [(Range<Int>, Range<Int>)] = []
        for (accented, folded) in words.dropFirst(700) {
            let start = bytes.count
            bytes += Array(accented.utf8)
            let middle = bytes.count
            bytes += Array(folded.utf8)
            ranges.append((start..<middle, middle..<bytes.count))
        }
        bytes.withUnsafeBytes { bytes in
            builder.append(count: ranges.count) { i in
                (
                    700 + i, UnsafeRawBufferPointer(rebasing: bytes[ranges[i].0]),
                    UnsafeRawBufferPointer(rebasing: bytes[ranges[i].1])
                )
            }
        }
        let batched = builder.finish()
        #expect(batched.terms.count == plain.terms.count)
        #expect(batched.termBytes == plain.termBytes)
        #expect(batched.tokens.map(\.term) == plain.tokens.map(\.term))
        #expect(batched.tokens.map(\.position) == plain.tokens.map(\.position))
        #expect(batched.pairKeys == plain.pairKeys)
        #expect(batched.postingsBytes == plain.postingsBytes)
        #expect(batched.length == 3000)
    }

    @Test func writerSkipsLongKeysPerTokenAndBreaksPairs() {
        let long = String(repeating: "x", count: SegmentWriter.maximumKeyLength + 1)
        var writer = SegmentWriter()
        writer.add(
            AnalyzedDocument(
                id: "a", stored: [],
                fields: [
                    Self.build([("a", "a"), ("b", "b"), (long, long), ("c", "c"), (long, long), ("a", "a"), ("b", "b")])
                ]))
        #expect(writer.skippedKeys == 2)
        #expect(writer.tokenCount == 5)
        let postings = Dictionary(
            uniqueKeysWithValues: (0..<writer.terms.count).map {
                (String(decoding: writer.terms.term($0), as: UTF8.self), writer.postings(of: $0).map(\.positions))
            })
        #expect(postings["\u{1}a\u{0}a"] == [[0, 5]])
        #expect(postings["\u{1}b\u{0}b"] == [[1, 6]])
        #expect(postings["\u{1}c\u{0}c"] == [[3]])
        // Folded terms keep no postings of their own: they are their variants' union.
        #expect(postings["\u{1}a"] == [])
        // "a b" twice; no pair across a skipped token.
        let entries = writer.pairEntries
        #expect(entries.map(\.key) == [PairKey.tokenKey(Array("a".utf8), Array("b".utf8))])
        #expect(entries.map(\.count) == [2])
    }

    /// The analysis threads code each term's frequency and positions (``AnalyzedField/encodePostings()``);
    /// a field that comes without them is coded by the writer, the same way.
    @Test func writerCodesAFieldThatCameUncoded() throws {
        let long = String(repeating: "y", count: SegmentWriter.maximumKeyLength + 1)
        var random = SeededRandom(seed: 5)
        let words = (0..<400).map { _ in
            random.next(below: 20) == 0 ? (long, long) : ("w\(random.next(below: 60))", "w")
        }
        var builder = AnalyzedField.Builder(field: .body)
        for (position, (accented, folded)) in words.enumerated() {
            builder.append(
                position: position * 3 / 2, accented: Array(accented.utf8)[...], folded: Array(folded.utf8)[...])
        }
        let uncoded = builder.field
        let coded = builder.finish()
        #expect(!uncoded.isEncoded && coded.isEncoded)
        var writers = [SegmentWriter(), SegmentWriter()]
        for (w, field) in [uncoded, coded].enumerated() {
            for doc in 0..<3 { writers[w].add(AnalyzedDocument(id: "d\(doc)", stored: [], fields: [field])) }
        }
        #expect(writers[0].tokenCount == writers[1].tokenCount && writers[0].skippedKeys == writers[1].skippedKeys)
        #expect(writers[1].skippedKeys == 3 * words.filter { $0.0 == long }.count)
        #expect(writers[0].terms.count == writers[1].terms.count)
        for term in 0..<writers[0].terms.count {
            let (a, b) = (writers[0].postings(of: term), writers[1].postings(of: term))
            #expect(a.map(\.doc) == b.map(\.doc) && a.map(\.positions) == b.map(\.positions))
        }
        // Positions as written: "w7" (if present) at the positions of its tokens, in each document.
        let w7 = words.indices.filter { words[$0].0 == "w7" }.map { UInt32($0 * 3 / 2) }
        try #require(!w7.isEmpty)
        let term = try #require(
            (0..<writers[1].terms.count).first {
                writers[1].terms.term($0) == [1] + Array("w".utf8) + [0] + Array("w7".utf8)
            })
        #expect(writers[1].postings(of: term).map(\.positions) == [w7, w7, w7])
    }

    @Test func termsAreInternedInFirstTokenOrderWithTheirFoldedTerms() {
        var writer = SegmentWriter()
        writer.add(IndexTestSupport.document("1", title: "Hà", body: ["hạ", "hà", "hạ", "nội"]))
        let names = (0..<writer.terms.count).map { String(decoding: writer.terms.term($0), as: UTF8.self) }
        #expect(
            names == [
                "\u{0}ha\u{0}Hà", "\u{0}ha", "\u{1}ha\u{0}hạ", "\u{1}ha", "\u{1}ha\u{0}hà", "\u{1}noi\u{0}nội",
                "\u{1}noi",
            ])
        #expect(writer.foldedTerm == [1, 1, 3, 3, 3, 6, 6])
        // Encoded as the document came: "hạ" at body positions 0 and 2 of document 0.
        #expect(writer.postings(of: 2).map(\.doc) == [0])
        #expect(writer.postings(of: 2).map(\.positions) == [[0, 2]])
        writer.add(IndexTestSupport.document("2", body: ["nội", "hạ"]))
        #expect(writer.postings(of: 2).map(\.doc) == [0, 1])
        #expect(writer.postings(of: 2).map(\.positions) == [[0, 2], [1]])
        #expect(writer.postings(of: 5).map(\.positions) == [[3], [0]])
    }
}
