import Foundation
import Testing
import TraIndex
import TraTestSupport

@Suite("Segments: write, read, compare")
struct SegmentRoundTripTests {
    /// A model index: documents of random words from a small vocabulary with accented variants;
    /// every term's postings, positions, norms, stored fields and ids must read back exactly.
    /// IDS sorts ids by their UTF-8 bytes (Swift's `<` on strings orders by Unicode scalars and
    /// canonical equivalence instead): every id is found by its binary search, and the reader's
    /// order check passes.
    @Test func idsSortByTheirBytes() throws {
        let ids = [
            "z", "é", "e\u{300}", "Z", "a", "ả", "10", "9", "😀", "ß", "e", "abc", "ab", "đường-\u{1F600}",
            String(repeating: "x", count: 300),
        ]
        let segment = try CommittedSegment(ids.map { IndexTestSupport.document($0, body: ["w"]) })
        let reader = try SegmentReader(path: segment.path)
        #expect(try reader.allIDs() == ids.map { Optional($0) })
        for (doc, id) in ids.enumerated() { #expect(try reader.document(withID: id) == UInt32(doc), "\(id)") }
        #expect(try reader.document(withID: "e\u{301}") == nil)
        // What a search names its hits with reads the same ids, and nothing past the last document.
        let locations = try reader.idLocations()
        #expect((0..<ids.count).map { reader.id($0, in: locations) } == ids.map { Optional($0) })
        #expect(reader.id(ids.count, in: locations) == nil)
        #expect(reader.id(-1, in: locations) == nil)
    }

    /// A document replaced in the buffer before its segment was written has no id entry: the
    /// locations give it none, like ``SegmentReader/allIDs()``, and the others theirs.
    @Test func idLocationsOfAReplacedDocument() throws {
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        let writer = try IndexWriter(directory: directory, analyzer: IndexTestSupport.analyzer, mode: .create)
        for (id, word) in [("a", "một"), ("b", "hai"), ("a", "ba"), ("c", "bốn")] {
            try writer.add(IndexTestSupport.document(id, body: [word]))
        }
        try writer.commit()
        let snapshot = try IndexSnapshot(directory: directory, analyzer: IndexTestSupport.analyzer)
        let reader = try #require(snapshot.segments.first?.reader)
        let locations = try reader.idLocations()
        let expected: [String?] = [nil, "b", "a", "c"]
        #expect(try reader.allIDs() == expected)
        #expect((0..<reader.documentCount).map { reader.id($0, in: locations) } == expected)
    }

    @Test(arguments: [1, 127, 128, 129, 300, 1_000])
    func roundTrip(documentCount: Int) throws {
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        var generator = SeededGenerator(seed: UInt64(documentCount))
        let vocabulary = ["việt", "viết", "viet", "nam", "năm", "nấm", "đường", "dương", "hà", "nội", "a", "b"]
        var documents: [AnalyzedDocument] = []
        for doc in 0..<documentCount {
            let length = Int.random(in: 1...12, using: &generator)
            let words = (0..<length).map { _ in vocabulary.randomElement(using: &generator) ?? "a" }
            documents.append(IndexTestSupport.document("doc-\(doc)", title: "tiêu đề \(doc % 7)", body: words))
        }
        let writer = try IndexWriter(directory: directory, analyzer: IndexTestSupport.analyzer, mode: .create)
        for document in documents { try writer.add(document) }
        try writer.commit()
        let snapshot = try IndexSnapshot(directory: directory, analyzer: IndexTestSupport.analyzer)
        #expect(snapshot.documentCount == documentCount)
        #expect(snapshot.segments.count == 1)
        let reader = try #require(snapshot.segments.first?.reader)
        for word in Set(vocabulary) {
            let folded = IndexTestSupport.fold(word)
            var expected: [(UInt32, UInt32, [UInt32])] = []
            var expectedFolded: [UInt32: UInt32] = [:]
            for (doc, document) in documents.enumerated() {
                let words = document.stored[1].value.split(separator: " ").map(String.init)
                let positions = words.indices.filter { words[$0] == word }.map(UInt32.init)
                if !positions.isEmpty { expected.append((UInt32(doc), UInt32(positions.count), positions)) }
                let foldedCount = words.count { IndexTestSupport.fold($0) == folded }
                if foldedCount > 0 { expectedFolded[UInt32(doc)] = UInt32(foldedCount) }
            }
            let variant = try IndexTestSupport.postings(
                reader, IndexTestSupport.term(.body, folded: folded, accented: word))
            #expect(variant.map(\.0) == expected.map(\.0), "docs of \(word)")
            #expect(variant.map(\.1) == expected.map(\.1), "freqs of \(word)")
            #expect(variant.map(\.2) == expected.map(\.2), "positions of \(word)")
            let foldedPostings = try IndexTestSupport.postings(reader, IndexTestSupport.term(.body, folded: folded))
            #expect(foldedPostings.map(\.0) == expectedFolded.keys.sorted(), "docs of folded \(folded)")
            #expect(foldedPostings.map(\.1) == expectedFolded.keys.sorted().compactMap { expectedFolded[$0] })
            // A folded term with one variant shares that variant's postings, positions included;
            // one with several variants has postings of its own, without positions.
            let present = Set(documents.flatMap { $0.stored[1].value.split(separator: " ").map(String.init) })
            let variants = present.filter { IndexTestSupport.fold($0) == folded }
            if variants.count == 1, let only = variants.first {
                let onlyPostings = try IndexTestSupport.postings(
                    reader, IndexTestSupport.term(.body, folded: folded, accented: only))
                #expect(foldedPostings.map(\.2) == onlyPostings.map(\.2), "shared positions of \(folded)")
            } else {
                #expect(foldedPostings.allSatisfy { $0.2.isEmpty }, "folded \(folded) has no positions")
            }
        }
        for (doc, document) in documents.enumerated() {
            let stored = try reader.document(doc)
            #expect(stored.map(\.name) == document.stored.map(\.name))
            #expect(stored.map(\.value) == document.stored.map(\.value))
            #expect(reader.norm(.body, UInt32(doc)) == document.fields[1].length)
            #expect(reader.norm(.title, UInt32(doc)) == document.fields[0].length)
            #expect(try reader.document(withID: document.id) == UInt32(doc))
        }
        // Title terms (field byte 0): the variant has positions, the folded term none.
        let titleDocs = documents.indices.filter { $0 % 7 == 3 }.map(UInt32.init)
        let titleVariant = try IndexTestSupport.postings(
            reader, IndexTestSupport.term(.title, folded: "3", accented: "3"))
        #expect(titleVariant.map(\.0) == titleDocs)
        #expect(titleVariant.allSatisfy { $0.2 == [2] })
        let titleFolded = try IndexTestSupport.postings(reader, IndexTestSupport.term(.title, folded: "tieu"))
        #expect(titleFolded.count == documentCount)
        #expect(titleFolded.allSatisfy { $0.2 == [0] }, "single variant: shares the variant's positions")
        #expect(try reader.document(withID: "no-such-id") == nil)
        #expect(try reader.lookup(IndexTestSupport.term(.body, folded: "zzz")) == nil)
        let report = try IndexVerifier.verify(directory: directory)
        #expect(report.documents == documentCount)
    }

    /// An index whose term "x" occurs in every third document, k + 1 times in the k-th of them
    /// (cycling), opened: the expected (document, frequency) list, the segment's reader and the
    /// term's information (the snapshot keeps the reader's file open).
    private static func everyThirdDocument(_ postingCount: Int, in directory: String) throws -> (
        expected: [(UInt32, UInt32)], snapshot: IndexSnapshot, reader: SegmentReader, info: TermInfo
    ) {
        let writer = try IndexWriter(directory: directory, analyzer: IndexTestSupport.analyzer, mode: .create)
        var expected: [(UInt32, UInt32)] = []
        for doc in 0..<(postingCount * 3) {
            var words = ["filler"]
            if doc % 3 == 0 {
                let freq = expected.count % 5 + 1
                words += Array(repeating: "x", count: freq)
                expected.append((UInt32(doc), UInt32(freq)))
            }
            try writer.add(IndexTestSupport.document("\(doc)", body: words))
        }
        try writer.commit()
        let snapshot = try IndexSnapshot(directory: directory, analyzer: nil)
        let reader = try #require(snapshot.segments.first?.reader)
        let info = try #require(try reader.lookup(IndexTestSupport.term(.body, folded: "x", accented: "x")))
        return (expected, snapshot, reader, info)
    }

    /// Block boundaries: a term in exactly n documents, read back whole and through `advance(to:)`.
    @Test(arguments: [1, 2, 127, 128, 129, 255, 256, 257, 1_000])
    func blockBoundaries(postingCount: Int) throws {
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        let (expected, snapshot, reader, info) = try Self.everyThirdDocument(postingCount, in: directory)
        defer { withExtendedLifetime(snapshot) {} }
        let postings = try IndexTestSupport.postings(reader, IndexTestSupport.term(.body, folded: "x", accented: "x"))
        #expect(postings.map(\.0) == expected.map(\.0))
        #expect(postings.map(\.1) == expected.map(\.1))
        #expect(postings.allSatisfy { $0.2 == Array(1...$0.1) })
        // advance(to:) lands on the first document >= target, skipping whole blocks.
        for target in stride(from: 0, to: postingCount * 3 + 2, by: 37) {
            var cursor = try reader.postings(info)
            let found = try cursor.advance(to: UInt32(target))
            let first = expected.first { $0.0 >= UInt32(target) }
            #expect(found == (first != nil))
            if let first {
                #expect(cursor.doc == first.0)
                #expect(try cursor.positions() == Array(1...first.1))
                // Moving on after advancing keeps decoding in step.
                if try cursor.next(), let second = expected.first(where: { $0.0 > first.0 }) {
                    #expect(cursor.doc == second.0)
                    #expect(try cursor.positions() == Array(1...second.1))
                }
            }
        }
    }

    /// In a block, a cursor that advances takes each document's frequency from the packed bits;
    /// positions or a run then unpack them all. Advances of every length, within a block and
    /// across blocks, mixed with position reads and runs, must give the documents, frequencies
    /// and positions of a walk with next().
    @Test(arguments: [129, 1_000])
    func advancingWithinBlocks(postingCount: Int) throws {
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        let (expected, snapshot, reader, info) = try Self.everyThirdDocument(postingCount, in: directory)
        defer { withExtendedLifetime(snapshot) {} }
        for jump in [1, 2, 3, 5, 8, 13, 64, 127, 128, 200] {
            var cursor = try reader.postings(info)
            var i = 0
            var step = 0
            while i < expected.count {
                // Documents are multiples of 3: a target just before one lands on it.
                let target = expected[i].0 - (step % 2 == 0 || expected[i].0 == 0 ? 0 : 1)
                #expect(try cursor.advance(to: target))
                #expect(cursor.doc == expected[i].0 && cursor.freq == expected[i].1, "jump \(jump), step \(step)")
                let next = min(i + jump, expected.count)
                switch step % 4 {
                case 1:
                    #expect(try cursor.positions() == Array(1...cursor.freq), "jump \(jump), step \(step)")
                case 3:
                    var read: [(UInt32, UInt32)] = []
                    try cursor.forEachRun(before: expected[next - 1].0 + 1) { docs, freqs in
                        read += zip(docs, freqs).map { ($0, $1) }
                    }
                    #expect(read.map(\.0) == expected[i..<next].map(\.0), "jump \(jump), step \(step)")
                    #expect(read.map(\.1) == expected[i..<next].map(\.1), "jump \(jump), step \(step)")
                default:
                    break
                }
                i = next
                step += 1
            }
        }
    }

    /// A cursor going by the term's block table (`readSkips()`, `useSkips(_:)`) lands where one
    /// reading the headers on its way does, for every mix of advances and steps, positions
    /// included, and gives the same block bounds and tail; a table of another term is ignored.
    @Test(arguments: [129, 256, 257, 1_000])
    func blockTablesMoveAsHeadersDo(postingCount: Int) throws {
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        let (expected, snapshot, reader, info) = try Self.everyThirdDocument(postingCount, in: directory)
        defer { withExtendedLifetime(snapshot) {} }
        let table = try reader.postings(info).readSkips()
        #expect(table.blockCount == postingCount / 128)
        var random = SeededGenerator(seed: UInt64(postingCount))
        for round in 0..<20 {
            var plain = try reader.postings(info)
            var jumping = try reader.postings(info)
            jumping.useSkips(table)
            var target: UInt32 = 0
            while true {
                // Long jumps (several blocks), short ones and single steps, in turn.
                let stride = [400, 40, 1][Int.random(in: 0..<3, using: &random)] + round
                target += UInt32(Int.random(in: 0...stride, using: &random))
                let found = try plain.advance(to: target)
                #expect(try jumping.advance(to: target) == found)
                #expect(jumping.doc == plain.doc && jumping.freq == plain.freq)
                guard found else { break }
                let first = try #require(expected.first { $0.0 >= target })
                #expect(jumping.doc == first.0)
                if Bool.random(using: &random) {
                    #expect(try jumping.positions() == plain.positions())
                    #expect(try jumping.positions() == [])  // read once per document
                }
                if Bool.random(using: &random) {
                    #expect(try jumping.next() == plain.next())
                    #expect(jumping.doc == plain.doc)
                    if plain.doc == PostingsCursor.end { break }
                    target = plain.doc
                }
            }
        }
        // The bounds read from the table's frontiers, then the tail, as from the headers.
        func bounds(_ table: BlockSkips?) throws -> (blocks: [Double], tail: [UInt32]) {
            var cursor = try reader.postings(info)
            if let table { cursor.useSkips(table) }
            var blocks: [Double] = []
            var tail: [UInt32] = []
            try cursor.scanBounds(
                block: { norm, freq in Double(freq) / Double(norm + 1) }, blockMaximum: { blocks.append($0) },
                tail: { doc, _ in tail.append(doc) })
            return (blocks, tail)
        }
        let (plainBlocks, plainTail) = try bounds(nil)
        let (tableBlocks, tableTail) = try bounds(table)
        #expect(tableBlocks == plainBlocks && tableTail == plainTail)
        #expect(plainBlocks.count == postingCount / 128 && plainTail.count == postingCount % 128)
        // Another term's table changes nothing.
        let filler = try #require(try reader.lookup(IndexTestSupport.term(.body, folded: "filler", accented: "filler")))
        var other = try reader.postings(info)
        other.useSkips(try reader.postings(filler).readSkips())
        let last = try #require(expected.last)
        #expect(try other.advance(to: last.0))
        #expect(other.doc == last.0 && other.freq == last.1)
    }

    /// scanBlock hands over the rest of the decoded block, and moveInBlock(by:) lands where as many
    /// next() calls would, positions included (those of the documents passed are skipped); in the
    /// tail nothing is handed over.
    @Test(arguments: [129, 1_000])
    func scanningAndMovingWithinBlocks(postingCount: Int) throws {
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        let (expected, snapshot, reader, info) = try Self.everyThirdDocument(postingCount, in: directory)
        defer { withExtendedLifetime(snapshot) {} }
        var cursor = try reader.postings(info)
        _ = try cursor.next()
        var at = 0
        var step = 1
        while cursor.doc != PostingsCursor.end {
            #expect(cursor.doc == expected[at].0)
            let handed = cursor.scanBlock { docs, freqs in
                #expect(Array(docs) == expected[at..<at + docs.count].map(\.0))
                #expect(Array(freqs) == expected[at..<at + freqs.count].map(\.1))
                return docs.count
            }
            #expect((handed == 0) == (at >= expected.count / 128 * 128))
            if handed > step {
                cursor.moveInBlock(by: step)
                at += step
                #expect(cursor.doc == expected[at].0)
                #expect(cursor.freq == expected[at].1)
                // Read the positions of every other landing, skip those of the rest.
                if at % 2 == 0 { #expect(try cursor.positions() == Array(1...expected[at].1)) }
                step = step % 7 + 1
            } else {
                _ = try cursor.next()
                at += 1
            }
        }
        #expect(at == expected.count)
    }

    /// forEachRun(before:) hands over every document before the window's end, in order, with its
    /// frequency, in runs that never cross a block, and stops on the first document at or after
    /// the end, as next() would: windows of several widths (ends inside blocks, on a block's last
    /// document, past the list), and with positions read after a run (the documents passed skipped).
    @Test(arguments: [1, 127, 128, 129, 1_000])
    func readingRunsBeforeAnEnd(postingCount: Int) throws {
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        let (expected, snapshot, reader, info) = try Self.everyThirdDocument(postingCount, in: directory)
        defer { withExtendedLifetime(snapshot) {} }
        let documentCount = UInt32(postingCount * 3)
        for width in [1, 3, 64, 383, 384, 385, 4_096] as [UInt32] {
            var cursor = try reader.postings(info)
            _ = try cursor.next()
            var read: [(UInt32, UInt32)] = []
            var end: UInt32 = 0
            var runs = 0
            var positionsRead = PostingsCursor.end
            while end < documentCount {
                end = min(end + width, documentCount)
                try cursor.forEachRun(before: end) { docs, freqs in
                    #expect(docs.count == freqs.count && !docs.isEmpty)
                    // A run is one block's, or one tail document.
                    if let first = docs.first, let last = docs.last {
                        let at = read.count
                        #expect(at / 128 == (at + docs.count - 1) / 128 || at >= expected.count / 128 * 128)
                        #expect(first < end && last < end)
                    }
                    read += zip(docs, freqs).map { ($0, $1) }
                    runs += 1
                }
                #expect(cursor.doc >= end)
                if cursor.doc != PostingsCursor.end {
                    #expect(cursor.doc == expected[read.count].0 && cursor.freq == expected[read.count].1)
                    // (Positions are read once a document.)
                    if runs % 3 == 0 && cursor.doc != positionsRead {
                        #expect(try cursor.positions() == Array(1...cursor.freq))
                        positionsRead = cursor.doc
                    }
                }
            }
            #expect(read.map(\.0) == expected.map(\.0), "width \(width)")
            #expect(read.map(\.1) == expected.map(\.1), "width \(width)")
            #expect(cursor.doc == PostingsCursor.end)
        }
    }

    /// The serializer writes a large segment's terms in parts on two threads: the file must be
    /// the one a single pass writes, byte for byte (offsets of the later parts moved, a folded term
    /// never cut from its variants), at every cut the split can choose.
    @Test(arguments: [1, 40, 300, 1_000])
    func termsWrittenInPartsGiveTheSameFile(documentCount: Int) {
        var generator = SeededGenerator(seed: UInt64(documentCount) + 17)
        let vocabulary = [
            "việt", "viết", "viet", "nam", "năm", "nấm", "đường", "dương", "hà", "nội", "a", "b", "cá", "ca", "cả",
            "xuân", "thu", "đông", "hạ",
        ]
        var segment = SegmentWriter()
        for doc in 0..<documentCount {
            let length = Int.random(in: 1...40, using: &generator)
            let words = (0..<length).map { _ in vocabulary.randomElement(using: &generator) ?? "a" }
            segment.add(IndexTestSupport.document("doc-\(doc)", title: "tiêu đề \(doc % 7)", body: words))
        }
        let analyzer = SegmentSerializer.AnalyzerInfo(name: "test", version: 1)
        var whole = segment
        let expected = SegmentSerializer.serialize(&whole, id: 7, analyzer: analyzer, splitAbove: .max)
        for splitAbove in [0, 100, 1_000] {
            var parts = segment
            let split = SegmentSerializer.serialize(&parts, id: 7, analyzer: analyzer, splitAbove: splitAbove)
            // Compared first: a failing #expect would print both files.
            let same = Array(split.joined()) == Array(expected.joined())
            #expect(same, "split above \(splitAbove) bytes")
        }
    }

    /// A merge of large segments merges their terms in two parts on two threads: the file must be
    /// the one a single pass writes, byte for byte, with deleted documents dropped on the way.
    @Test func mergedInTwoPartsGivesTheSameFile() throws {
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        let writer = try IndexTestSupport.writer(directory, mergeFactor: 1_000)
        var generator = SeededGenerator(seed: 41)
        let vocabulary = ["việt", "viết", "viet", "nam", "năm", "nấm", "đường", "dương", "hà", "nội", "cá", "ca", "b"]
        for doc in 0..<600 {
            let length = Int.random(in: 1...30, using: &generator)
            let words = (0..<length).map { _ in vocabulary.randomElement(using: &generator) ?? "b" }
            try writer.add(IndexTestSupport.document("doc-\(doc)", title: "tiêu đề \(doc % 7)", body: words))
            // Three segments.
            if doc % 200 == 199 { try writer.flush() }
        }
        for doc in stride(from: 3, to: 600, by: 17) { try writer.delete(id: "doc-\(doc)") }
        try writer.commit()
        let snapshot = try IndexSnapshot(directory: directory, analyzer: IndexTestSupport.analyzer)
        #expect(snapshot.segments.count == 3)
        let inputs = snapshot.segments.map { SegmentMerger.Input(reader: $0.reader, deleted: $0.deleted) }
        let whole = try SegmentMerger.merge(inputs, id: 9, analyzer: IndexTestSupport.analyzer, splitAbove: .max)
        #expect(whole.documentCount == 600 - 36)
        for splitAbove in [0, 1_000] {
            let parts = try SegmentMerger.merge(
                inputs, id: 9, analyzer: IndexTestSupport.analyzer, splitAbove: splitAbove)
            #expect(parts.documentCount == whole.documentCount)
            // Compared first: a failing #expect would print both files.
            let same = Array(parts.pieces.joined()) == Array(whole.pieces.joined())
            #expect(same, "split above \(splitAbove) bytes")
        }
    }
}

/// The index tests' deterministic generator.
typealias SeededGenerator = SeededRandom
