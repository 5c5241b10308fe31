import Foundation
import Testing
import TraTestSupport

@testable import TraIndex

@Suite("Commits, updates, deletes, merges, lock")
struct IndexWriterTests {
    private func bodies(_ directory: String) throws -> [String: String] {
        let snapshot = try IndexSnapshot(directory: directory, analyzer: nil)
        var result: [String: String] = [:]
        for segment in snapshot.segments {
            let ids = try segment.reader.allIDs()
            for doc in 0..<segment.reader.documentCount where segment.isLive(UInt32(doc)) {
                result[ids[doc] ?? ""] = try segment.reader.document(doc).first { $0.name == "body" }?.value
            }
        }
        return result
    }

    /// The live documents as (id bytes, body), by id bytes (e + U+0301 is 65 CC 81, "x" 78, "é" C3 A9).
    private func liveDocuments(_ directory: String) throws -> [([UInt8], String)] {
        let snapshot = try IndexSnapshot(directory: directory, analyzer: nil)
        var result: [([UInt8], String)] = []
        for segment in snapshot.segments {
            let ids = try segment.reader.allIDs()
            for doc in 0..<segment.reader.documentCount where segment.isLive(UInt32(doc)) {
                let body = try segment.reader.document(doc).first { $0.name == "body" }?.value ?? ""
                result.append((Array((ids[doc] ?? "").utf8), body))
            }
        }
        return result.sorted { $0.0.lexicographicallyPrecedes($1.0) }
    }

    /// An id is its bytes, in the buffer as on disk: "é" as one scalar and as e + U+0301 are equal
    /// Swift strings but two documents, replaced and deleted each on its own.
    @Test func idsAreTheirBytes() throws {
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        let composed = "\u{E9}"
        let decomposed = "e\u{301}"
        #expect(composed == decomposed)
        let writer = try IndexWriter(directory: directory, analyzer: IndexTestSupport.analyzer, mode: .create)
        try writer.add(IndexTestSupport.document(composed, body: ["one"]))
        try writer.add(IndexTestSupport.document(decomposed, body: ["two"]))
        try writer.add(IndexTestSupport.document("x", body: ["x"]))
        // In the buffer: deleting one leaves the other.
        #expect(try writer.delete(id: "x\u{301}") == false)
        try writer.commit()
        #expect(writer.replacedDocuments == 0)
        #expect(try liveDocuments(directory).map(\.1) == ["two", "x", "one"])
        // Across segments: replacing one leaves the other.
        try writer.add(IndexTestSupport.document(decomposed, body: ["three"]))
        try writer.commit()
        #expect(
            try liveDocuments(directory).map(\.0) == [Array(decomposed.utf8), Array("x".utf8), Array(composed.utf8)])
        #expect(try liveDocuments(directory).map(\.1) == ["three", "x", "one"])
        // In the buffer again, then on disk.
        try writer.add(IndexTestSupport.document(composed, body: ["four"]))
        #expect(try writer.delete(id: decomposed))
        try writer.commit()
        #expect(try liveDocuments(directory).map(\.1) == ["x", "four"])
        #expect(try writer.delete(id: composed))
        try writer.commit()
        #expect(try liveDocuments(directory).map(\.1) == ["x"])
    }

    @Test func updatesAndDeletesAcrossSegmentsAndMerges() throws {
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        do {
            let writer = try IndexWriter(directory: directory, analyzer: IndexTestSupport.analyzer, mode: .create)
            for id in ["a", "b", "c"] { try writer.add(IndexTestSupport.document(id, body: ["one", id])) }
            try writer.commit()
            // Same id in the buffer and in a committed segment: the last one wins.
            try writer.add(IndexTestSupport.document("a", body: ["two", "a"]))
            try writer.add(IndexTestSupport.document("a", body: ["three", "a"]))
            #expect(try writer.delete(id: "b"))
            #expect(try !writer.delete(id: "nope"))
            try writer.add(IndexTestSupport.document("d", body: ["one", "d"]))
            try writer.commit()
            #expect(writer.replacedDocuments == 2)
        }
        #expect(try bodies(directory) == ["a": "three a", "c": "one c", "d": "one d"])
        let before = try IndexSnapshot(directory: directory, analyzer: nil)
        #expect(before.documentCount == 3)
        #expect(before.segments.count == 2)
        do {
            let writer = try IndexWriter(directory: directory, analyzer: IndexTestSupport.analyzer, mode: .append)
            try writer.forceMerge()
        }
        let after = try IndexSnapshot(directory: directory, analyzer: nil)
        #expect(after.segments.count == 1)
        #expect(after.segments.first?.reader.documentCount == 3)
        #expect(after.segments.first?.deleted == nil)
        #expect(try bodies(directory) == ["a": "three a", "c": "one c", "d": "one d"])
        // The merged segment's postings follow the new numbering; deleted documents are gone.
        let reader = try #require(after.segments.first?.reader)
        let one = try IndexTestSupport.postings(reader, IndexTestSupport.term(.body, folded: "one", accented: "one"))
        let ids = try reader.allIDs()
        #expect(one.compactMap { ids[Int($0.0)] }.sorted() == ["c", "d"])
        #expect(try IndexTestSupport.postings(reader, IndexTestSupport.term(.body, folded: "b", accented: "b")).isEmpty)
        _ = try IndexVerifier.verify(directory: directory)
        // Only the files of the current commit remain.
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(files.filter { $0.hasPrefix("seg-") }.count == 1)
        #expect(!files.contains("manifest.tmp"))
    }

    @Test func createReplacesAndUncommittedWorkIsInvisible() throws {
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        do {
            let writer = try IndexWriter(directory: directory, analyzer: IndexTestSupport.analyzer, mode: .create)
            try writer.add(IndexTestSupport.document("old", body: ["x"]))
            try writer.commit()
        }
        do {
            let writer = try IndexWriter(directory: directory, analyzer: IndexTestSupport.analyzer, mode: .create)
            try writer.add(IndexTestSupport.document("new", body: ["y"]))
            try writer.flush()
            // Flushed but not committed: readers still see the old commit.
            #expect(try bodies(directory) == ["old": "x"])
        }
        // The writer went away without committing: the old commit is intact, the orphan removed on next open.
        #expect(try bodies(directory) == ["old": "x"])
        do {
            let writer = try IndexWriter(directory: directory, analyzer: IndexTestSupport.analyzer, mode: .create)
            try writer.add(IndexTestSupport.document("new", body: ["y"]))
            try writer.commit()
        }
        #expect(try bodies(directory) == ["new": "y"])
    }

    @Test func mergePolicyKeepsSegmentCountLogarithmic() throws {
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        let writer = try IndexTestSupport.writer(directory, mergeFactor: 3)
        for batch in 0..<27 {
            try writer.add(IndexTestSupport.document("doc\(batch)", body: ["w\(batch % 4)"]))
            try writer.commit()
            #expect(writer.segmentCount <= 2 * 3 + 1, "after \(batch + 1) commits")
        }
        #expect(writer.segmentCount <= 3)
        #expect(try IndexSnapshot(directory: directory, analyzer: nil).documentCount == 27)
        #expect(MergePolicy.segmentsToMerge([1, 1, 1], factor: 3) == [0, 1, 2])
        #expect(MergePolicy.segmentsToMerge([1, 100, 1], factor: 3) == nil)
    }

    /// A small RAM budget flushes segments by the bytes buffered, not one per document: the
    /// fixed parts of a buffer (its tables, the pair counter) count for what they hold.
    @Test func smallBudgetFlushesBySize() throws {
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        let writer = try IndexTestSupport.writer(directory, mergeFactor: 1_000, ramBudget: 4 << 20)
        var random = SeededRandom(seed: 5)
        for doc in 0..<400 {
            let words = (0..<300).map { _ in "t\(random.next(below: 3_000))" }
            try writer.add(IndexTestSupport.document("d\(doc)", body: words))
        }
        try writer.commit()
        // 120,000 tokens: a few segments at 2 MB a buffer, not hundreds.
        #expect(writer.segmentCount >= 2 && writer.segmentCount <= 40, "\(writer.segmentCount) segments")
        #expect(try IndexSnapshot(directory: directory, analyzer: nil).documentCount == 400)
    }

    /// Told how much input is left, the writer lets a buffer the rest fits in grow past half the
    /// budget: the input becomes one segment. Not told, it flushes at half the budget. Told too
    /// little, it flushes at the whole budget (and nothing is lost).
    @Test func bufferGrowsIntoOneSegmentWhenTheRestFits() throws {
        var random = SeededRandom(seed: 11)
        let documents = (0..<240).map { doc in
            IndexTestSupport.document("d\(doc)", body: (0..<300).map { _ in "t\(random.next(below: 3_000))" })
        }
        let textBytes = documents.map { $0.stored.reduce(0) { $0 + $1.value.utf8.count } }
        var whole = SegmentWriter()
        for document in documents { whole.add(document) }
        let footprint = whole.memoryFootprint

        func segments(budget: Int, remaining: (_ added: Int) -> Int?) throws -> Int {
            let directory = IndexTestSupport.temporaryDirectory()
            defer { IndexTestSupport.remove(directory) }
            let writer = try IndexTestSupport.writer(directory, mergeFactor: 1_000, ramBudget: budget)
            for (i, document) in documents.enumerated() {
                writer.remainingInputBytes = remaining(i)
                try writer.add(document)
            }
            try writer.commit()
            #expect(try IndexSnapshot(directory: directory, analyzer: nil).documentCount == documents.count)
            return writer.segmentCount
        }
        let truth: (Int) -> Int? = { added in textBytes[added...].reduce(0, +) }
        // A budget of 1.8 footprints, half of which is passed past the middle of the input: the
        // words repeat, so the footprint grows more slowly than the input and the projection errs
        // on the large side (when written: 4.9 MB projected at about half the input, 3.0 MB at
        // the end).
        #expect(try segments(budget: footprint * 9 / 5, remaining: truth) == 1)
        #expect(try segments(budget: footprint * 9 / 5, remaining: { _ in nil }) == 2)
        // A rest said to be empty: the buffer grows until the whole budget, then is flushed.
        #expect(try segments(budget: footprint * 3 / 4, remaining: { _ in 0 }) == 2)
        // A rest too large for the budget: flushed at half, as without it.
        #expect(try segments(budget: footprint * 9 / 5, remaining: { _ in 100 << 20 }) == 2)
    }

    /// The footprint the budget is kept on depends on the documents alone, not on the room the
    /// allocator gave each array: two buffers given the same documents, one of them while other
    /// blocks of odd sizes come and go around it, report the same footprint after every document
    /// (with the arrays' capacities, the same input was cut into segments at different documents
    /// from run to run).
    @Test func footprintDependsOnTheDocumentsAlone() {
        var random = SeededRandom(seed: 23)
        let documents = (0..<300).map { doc in
            IndexTestSupport.document(
                "d\(doc)", body: (0..<(20 + random.next(below: 400))).map { _ in "t\(random.next(below: 5_000))" })
        }
        var quiet = SegmentWriter()
        var noisy = SegmentWriter()
        var held: [[UInt8]] = []
        var differences = 0
        for document in documents {
            quiet.add(document)
            // Blocks of odd sizes allocated and freed between the other buffer's growth.
            for _ in 0..<8 {
                held.append([UInt8](repeating: 1, count: 1 + random.next(below: 3_000)))
                if held.count > 40 { held.remove(at: random.next(below: held.count)) }
            }
            noisy.add(document)
            if quiet.memoryFootprint != noisy.memoryFootprint { differences += 1 }
        }
        #expect(differences == 0, "\(differences) of \(documents.count) documents")
        #expect(quiet.memoryFootprint == noisy.memoryFootprint)
        let parts = quiet.memoryFootprintParts
        #expect(parts.text > 0 && parts.vocabulary > 0 && parts.text + parts.vocabulary == quiet.memoryFootprint)
        _ = held
    }

    /// The room model: the power of two at or above the length, never below the floor, within a
    /// factor of two of the length.
    @Test func arrayRoomIsThePowerOfTwoAtOrAboveTheLength() {
        #expect(ArrayRoom.of(0) == 0)
        #expect(ArrayRoom.of(0, floor: 16) == 0)
        #expect(ArrayRoom.of(1) == 1)
        #expect(ArrayRoom.of(1, floor: 16) == 16)
        #expect(ArrayRoom.of(17, floor: 16) == 32)
        #expect(ArrayRoom.of(1 << 20) == 1 << 20)
        #expect(ArrayRoom.of((1 << 20) + 1) == 1 << 21)
        for count in 1..<5_000 {
            let room = ArrayRoom.of(count)
            #expect(room >= count && room < 2 * count + 1 && room & (room - 1) == 0, "\(count): \(room)")
        }
    }

    @Test func secondWriterFailsAtOnceNamingTheHolder() throws {
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        let first = try IndexWriter(directory: directory, analyzer: IndexTestSupport.analyzer, mode: .create)
        let error = #expect(throws: IndexError.self) {
            _ = try IndexWriter(directory: directory, analyzer: IndexTestSupport.analyzer, mode: .append)
        }
        #expect(error?.code == .locked)
        #expect(error?.description.contains("process \(ProcessInfo.processInfo.processIdentifier)") == true)
        _ = first
    }

    @Test func analyzerMismatchIsRefused() throws {
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        do {
            let writer = try IndexWriter(directory: directory, analyzer: IndexTestSupport.analyzer, mode: .create)
            try writer.add(IndexTestSupport.document("a", body: ["x"]))
            try writer.commit()
        }
        let other = SegmentSerializer.AnalyzerInfo(name: "test-analyzer", version: 2)
        let appendError = #expect(throws: IndexError.self) {
            _ = try IndexWriter(directory: directory, analyzer: other, mode: .append)
        }
        #expect(appendError?.code == .analyzerMismatch)
        let readError = #expect(throws: IndexError.self) {
            _ = try IndexSnapshot(directory: directory, analyzer: other)
        }
        #expect(readError?.code == .analyzerMismatch)
        #expect(readError?.description.contains("test-analyzer 1") == true)
        // Rebuilding with the new analyzer is allowed.
        _ = try IndexWriter(directory: directory, analyzer: other, mode: .create)
    }

    @Test func missingIndexIsNotFound() throws {
        let error = #expect(throws: IndexError.self) {
            _ = try IndexSnapshot(directory: IndexTestSupport.temporaryDirectory(), analyzer: nil)
        }
        #expect(error?.code == .notFound)
    }
}
