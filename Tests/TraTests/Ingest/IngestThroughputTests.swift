import Foundation
import Testing
import Tra
import TraTestSupport

/// Prints how fast the JSONL reader goes over the shared viwiki.jsonl; no timing is asserted.
/// Run it with `TRA_INGEST_THROUGHPUT=1 swift test -c release --filter IngestThroughput`.
@Suite("Ingest throughput")
struct IngestThroughputTests {
    @Test(
        .enabled(
            if: ProcessInfo.processInfo.environment["TRA_INGEST_THROUGHPUT"] != nil, "TRA_INGEST_THROUGHPUT unset"),
        .enabled(if: TestData.sharedFile("viwiki.jsonl") != nil, "needs ../shared/data/viwiki.jsonl"))
    func viwiki() throws {
        let url = try #require(TestData.sharedFile("viwiki.jsonl"))
        let source = try IngestSource(inputs: [url.path])
        let megabytes = Double(source.totalBytes) / 1_000_000
        for run in 1...3 {
            let clock = ContinuousClock()
            var documents = 0
            var bodyBytes = 0
            let elapsed = clock.measure {
                source.forEach { result, _ in
                    if case .success(let document) = result {
                        documents += 1
                        bodyBytes += document.body.utf8.count
                    }
                }
            }
            let seconds = Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds)
            let rate = Int(megabytes / seconds)
            print("ingest run \(run): \(documents) documents, \(bodyBytes) body bytes in \(seconds) s: \(rate) MB/s")
        }
        // For comparison: Foundation's JSONSerialization over the same lines (in memory).
        let data = try Data(contentsOf: url)
        let lines = data.split(separator: UInt8(ascii: "\n"))
        let clock = ContinuousClock()
        var count = 0
        let elapsed = try clock.measure {
            for line in lines where try JSONSerialization.jsonObject(with: Data(line)) is [String: Any] { count += 1 }
        }
        let seconds = Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds)
        print("JSONSerialization: \(count) lines in \(seconds) s: \(Int(megabytes / seconds)) MB/s")
    }
}
