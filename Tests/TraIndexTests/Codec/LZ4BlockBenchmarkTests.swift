import Foundation
import Testing
import TraIndex
import TraTestSupport

/// Ratio and speed figures for every compression level, on Wikipedia bodies concatenated and cut
/// into 64 KiB blocks as the stored-fields writer does. Print-only, and only when `TRA_LZ4_BENCH` is
/// set; run it in release:
///
///     TRA_LZ4_BENCH=1 swift test -c release --filter LZ4BlockBenchmark
///
/// `TRA_LZ4_BENCH=full` adds the shared data's `viwiki.jsonl` when it is present, and
/// `TRA_LZ4_RUNS` sets the number of timed runs (default 7), whose median is printed.
@Suite("LZ4Block benchmark", .enabled(if: ProcessInfo.processInfo.environment["TRA_LZ4_BENCH"] != nil))
struct LZ4BlockBenchmarkTests {
    static let blockSize = 65_536

    static var runs: Int { Int(ProcessInfo.processInfo.environment["TRA_LZ4_RUNS"] ?? "") ?? 7 }

    /// The bodies of `url`, concatenated and cut into 64 KiB blocks.
    static func blocks(_ url: URL) throws -> [[UInt8]] {
        let all = Array(try TestData.jsonlStrings(url, fields: ["body"]).joined().utf8)
        return stride(from: 0, to: all.count, by: blockSize).map { Array(all[$0..<min($0 + blockSize, all.count)]) }
    }

    static func seconds(_ body: () -> Void) -> Double {
        let parts = ContinuousClock().measure(body).components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }

    static func median(_ values: [Double]) -> Double {
        values.sorted()[values.count / 2]
    }

    static func compressAll(_ blocks: [[UInt8]], _ level: LZ4Block.Level) -> [[UInt8]] {
        blocks.map { block in
            var output: [UInt8] = []
            output.reserveCapacity(LZ4Block.maxCompressedSize(block.count))
            block.withUnsafeBytes { LZ4Block.compress($0, level: level, into: &output) }
            return output
        }
    }

    /// Decodes every block into a reused buffer; false if any fails.
    static func decompressAll(_ blocks: [[UInt8]], _ compressed: [[UInt8]]) -> Bool {
        var restored: [UInt8] = []
        restored.reserveCapacity(blockSize)
        var ok = true
        for (block, packed) in zip(blocks, compressed) {
            restored.removeAll(keepingCapacity: true)
            ok =
                packed.withUnsafeBytes { LZ4Block.decompress($0, decompressedSize: block.count, into: &restored) }
                && ok
        }
        return ok
    }

    /// Times the levels in alternation, `runs` times each, and prints the ratio, the median
    /// compression speed and the median decompression speed of each level's output.
    static func report(_ label: String, _ blocks: [[UInt8]]) {
        let levels = LZ4Block.Level.allCases
        let total = blocks.reduce(0) { $0 + $1.count }
        let compressed = levels.map { compressAll(blocks, $0) }
        for packed in compressed {
            var exact = true
            for (block, bytes) in zip(blocks, packed) {
                var restored: [UInt8] = []
                let ok = bytes.withUnsafeBytes {
                    LZ4Block.decompress($0, decompressedSize: block.count, into: &restored)
                }
                exact = exact && ok && restored == block
            }
            #expect(exact)
        }
        var compressTimes = [[Double]](repeating: [], count: levels.count)
        var decompressTimes = [[Double]](repeating: [], count: levels.count)
        for _ in 0..<runs {
            for (index, level) in levels.enumerated() {
                compressTimes[index].append(seconds { _ = compressAll(blocks, level) })
                var ok = true
                decompressTimes[index].append(seconds { ok = decompressAll(blocks, compressed[index]) })
                #expect(ok)
            }
        }
        let megabytes = Double(total) / 1e6
        for (index, level) in levels.enumerated() {
            let packedTotal = compressed[index].reduce(0) { $0 + $1.count }
            let ratio = String(format: "%.4f", Double(packedTotal) / Double(total))
            let compressSpeed = String(format: "%.1f", megabytes / median(compressTimes[index]))
            let decompressSpeed = String(format: "%.0f", megabytes / median(decompressTimes[index]))
            print(
                "\(label) \(level): \(total) -> \(packedTotal) bytes, ratio \(ratio), compress \(compressSpeed) MB/s,"
                    + " decompress \(decompressSpeed) MB/s (median of \(runs))")
        }
    }

    @Test("ratio and speed on 64 KiB blocks of Wikipedia bodies")
    func wikipedia() throws {
        Self.report("sample", try Self.blocks(TestData.corpus.appendingPathComponent("viwiki-sample.jsonl")))
        if ProcessInfo.processInfo.environment["TRA_LZ4_BENCH"] == "full",
            let url = TestData.sharedFile("viwiki.jsonl")
        {
            Self.report("viwiki", try Self.blocks(url))
        }
    }
}
