import Foundation
import Testing
import TraIndex
import TraTestSupport

@testable import Tra

/// The pipeline's workers take a batch's documents as they come free and go on to the next batch
/// without waiting for each other; whatever the order they finish in, the index holds the
/// documents in input order.
@Suite("Indexing pipeline")
struct IndexingPipelineTests {
    @Test(arguments: [1, 2, 3])
    func documentsKeepTheirInputOrderWhateverTheWorkersTake(threads: Int) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tra-pipeline-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Documents of very different lengths (a long one takes a worker while the other takes
        // many short ones), in batches of a few documents, and one bad line, skipped.
        var random = SeededRandom(seed: 31)
        let words = ["hà", "nội", "việt", "nam", "đường", "sông", "hồng", "thủ", "đô", "biển"]
        var lines: [String] = []
        var expected: [(id: String, body: String)] = []
        for n in 0..<300 {
            if n == 150 {
                lines.append("{\"id\": \"bad\"")
                continue
            }
            let length = random.next(below: 10) == 0 ? 2_000 + random.next(below: 8_000) : 1 + random.next(below: 30)
            let body = (0..<length).map { _ in words[random.next(below: words.count)] }.joined(separator: " ")
            lines.append("{\"id\": \"d\(n)\", \"title\": \"t\(n)\", \"body\": \"\(body)\"}")
            expected.append(("d\(n)", body))
        }
        let input = directory + "/input.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)

        let index = try SearchIndex(directory: directory + "/index", mode: .create)
        var options = IndexingPipeline.Options()
        options.threads = threads
        options.batchBytes = 20_000
        options.skipBad = true
        let pipeline = try IndexingPipeline(index: index, options: options)
        let summary = try pipeline.run(try IngestSource(inputs: [input])) { _ in }
        #expect(summary.documents == expected.count)
        #expect(summary.skipped == 1)

        let snapshot = try IndexSnapshot(directory: directory + "/index", analyzer: nil)
        #expect(snapshot.segments.count == 1)
        let reader = try #require(snapshot.segments.first).reader
        #expect(try reader.allIDs() == expected.map { Optional($0.id) })
        for doc in [0, 1, 149, 150, expected.count - 1] {
            let stored = try reader.document(doc)
            #expect(stored.first { $0.name == "body" }?.value == expected[doc].body, "document \(doc)")
        }
    }
}
