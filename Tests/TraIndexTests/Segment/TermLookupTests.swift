import Testing
import TraIndex
import TraTestSupport

@Suite("Term dictionary: exact lookups and seeks agree with a full scan")
struct TermLookupTests {
    /// Words that share prefixes in every way a front-coded block can hold them (a word and its
    /// extensions, siblings, accented variants), so that lookups of present and absent terms
    /// cross block boundaries and every branch of the prefix comparison.
    @Test func lookupsOfPresentAndAbsentTerms() throws {
        var generator = SeededGenerator(seed: 7)
        let letters = ["a", "ă", "b", "c", "n", "ng", "ngh", "o", "ơ", "đ"]
        var vocabulary: Set<String> = []
        while vocabulary.count < 400 {
            let length = Int.random(in: 1...4, using: &generator)
            vocabulary.insert((0..<length).map { _ in letters.randomElement(using: &generator) ?? "a" }.joined())
        }
        let words = vocabulary.sorted()
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        let writer = try IndexWriter(directory: directory, analyzer: IndexTestSupport.analyzer, mode: .create)
        for start in stride(from: 0, to: words.count, by: 10) {
            try writer.add(
                IndexTestSupport.document("doc-\(start)", body: Array(words[start..<min(start + 10, words.count)])))
        }
        try writer.commit()
        let snapshot = try IndexSnapshot(directory: directory, analyzer: IndexTestSupport.analyzer)
        let reader = try #require(snapshot.segments.first?.reader)

        // Every term of the segment, in order, from a cursor.
        var all: [[UInt8]: TermInfo] = [:]
        var cursor = try reader.seek([])
        while let info = try cursor.next() { all[cursor.term] = info }
        #expect(all.count > 400)

        var probes = Array(all.keys)
        for term in all.keys {
            probes.append(term + [0x61])  // an extension
            probes.append(Array(term.dropLast()))  // a prefix
            if let last = term.last {
                probes.append(Array(term.dropLast()) + [last &+ 1])  // a sibling just after
                probes.append(Array(term.dropLast()) + [last &- 1])  // and just before
            }
        }
        probes += [[], [0], [0xFF], [0xFF, 0xFF, 0xFF]]
        var found = 0
        for probe in probes {
            let info = try reader.lookup(probe)
            #expect(info == all[probe], "\(probe)")
            if info != nil { found += 1 }
        }
        #expect(found >= all.count)

        // A seek to any probe reads on from the first term at or after it, as the full scan does
        // (terms, their information, and the next terms, across block boundaries).
        let sorted = all.keys.sorted { $0.lexicographicallyPrecedes($1) }
        for probe in probes {
            var cursor = try reader.seek(probe)
            let first = sorted.firstIndex { !$0.lexicographicallyPrecedes(probe) } ?? sorted.endIndex
            for expected in sorted[first..<min(first + 3, sorted.endIndex)] {
                let info = try cursor.next()
                #expect(cursor.term == expected && info == all[expected], "seek \(probe): \(cursor.term)")
            }
            if first + 3 > sorted.count { #expect(try cursor.next() == nil, "seek \(probe): past the end") }
        }
    }
}
