import Testing
import TraIndex
import TraTestSupport

@Suite("LZ4Block")
struct LZ4BlockTests {
    static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var compressed: [UInt8] = []
        bytes.withUnsafeBytes { LZ4Block.compress($0, into: &compressed) }
        #expect(compressed.count <= LZ4Block.maxCompressedSize(bytes.count))
        return compressed
    }

    /// Decompresses from an exactly sized copy of `compressed`; nil when the block is refused.
    static func decompress(_ compressed: [UInt8], size: Int) -> [UInt8]? {
        var output: [UInt8] = []
        let ok = withExactBuffer(compressed) { LZ4Block.decompress($0, decompressedSize: size, into: &output) }
        #expect(ok ? output.count == size : output.isEmpty)
        return ok ? output : nil
    }

    static func expectRoundTrip(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let compressed = compress(bytes)
        #expect(decompress(compressed, size: bytes.count) == bytes, sourceLocation: sourceLocation)
    }

    /// Bodies of the first `count` articles of the bundled Wikipedia sample.
    static func corpusBodies(_ count: Int) throws -> [[UInt8]] {
        let url = TestData.corpus.appendingPathComponent("viwiki-sample.jsonl")
        return try TestData.jsonlStrings(url, fields: ["body"]).prefix(count).map { Array($0.utf8) }
    }

    @Test("worked example of the layout comment")
    func workedExample() {
        let compressed = Self.compress(Array("abcabcabcabcabcab".utf8))
        #expect(compressed == [0x35] + Array("abc".utf8) + [0x03, 0x00, 0x50] + Array("abcab".utf8))
    }

    @Test("empty input and a single byte")
    func tiny() {
        #expect(Self.compress([]) == [0x00])
        #expect(Self.decompress([0x00], size: 0) == [])
        #expect(Self.compress([0x41]) == [0x10, 0x41])
        Self.expectRoundTrip([0x41])
    }

    @Test("every size up to 300, random and repetitive")
    func smallSizes() {
        var random = CodecRandom(seed: 7)
        for size in 0...300 {
            Self.expectRoundTrip(random.bytes(size))
            Self.expectRoundTrip([UInt8](repeating: 0x61, count: size))
            Self.expectRoundTrip((0..<size).map { UInt8(truncatingIfNeeded: $0 % 7) })
        }
    }

    @Test("highly repetitive input compresses well")
    func repetitive() {
        let run = [UInt8](repeating: 0x61, count: 100_000)
        #expect(Self.compress(run).count < 500)
        Self.expectRoundTrip(run)
        let phrase = Array(String(repeating: "Hà Nội mùa thu, cây cơm nguội vàng. ", count: 3_000).utf8)
        #expect(Self.compress(phrase).count < phrase.count / 50)
        Self.expectRoundTrip(phrase)
    }

    @Test("random input barely grows")
    func incompressible() {
        var random = CodecRandom(seed: 8)
        let bytes = random.bytes(200_000)
        let compressed = Self.compress(bytes)
        #expect(compressed.count <= LZ4Block.maxCompressedSize(bytes.count))
        #expect(compressed.count >= bytes.count)
        #expect(Self.decompress(compressed, size: bytes.count) == bytes)
    }

    @Test("repeats further apart than the 64 KB window and mixed content")
    func longInputs() {
        var random = CodecRandom(seed: 9)
        let chunk = random.bytes(70_000)
        Self.expectRoundTrip(chunk + chunk)  // too far apart to match
        let near = random.bytes(65_535)
        Self.expectRoundTrip(near + near + random.bytes(3) + near)  // exactly at the window's edge
        var mixed: [UInt8] = []
        for _ in 0..<2_000 {
            if Bool.random(using: &random), mixed.count > 100 {
                let start = Int.random(in: 0..<(mixed.count - 50), using: &random)
                mixed += mixed[start..<(start + Int.random(in: 1...50, using: &random))]
            } else {
                mixed += random.bytes(Int.random(in: 1...30, using: &random))
            }
        }
        Self.expectRoundTrip(mixed)
    }

    @Test("Vietnamese Wikipedia bodies, one by one and in 16 KB blocks")
    func vietnameseText() throws {
        let bodies = try Self.corpusBodies(300)
        #expect(bodies.count == 300)
        for body in bodies { Self.expectRoundTrip(body) }
        let all = Array(bodies.joined())
        var compressedTotal = 0
        for start in stride(from: 0, to: all.count, by: 16_384) {
            let block = Array(all[start..<min(start + 16_384, all.count)])
            let compressed = Self.compress(block)
            compressedTotal += compressed.count
            #expect(Self.decompress(compressed, size: block.count) == block)
        }
        // Not a speed or ratio benchmark; a loose bound that catches a matcher that stopped matching.
        #expect(Double(compressedTotal) < 0.75 * Double(all.count))
    }

    @Test("decompression appends after existing output, which failures leave untouched")
    func appends() {
        let text = Array(String(repeating: "mùa thu ", count: 50).utf8)
        let compressed = Self.compress(text)
        var output: [UInt8] = [9, 9]
        #expect(compressed.withUnsafeBytes { LZ4Block.decompress($0, decompressedSize: text.count, into: &output) })
        #expect(output == [9, 9] + text)
        #expect(
            !compressed.withUnsafeBytes { LZ4Block.decompress($0, decompressedSize: text.count + 1, into: &output) })
        #expect(output == [9, 9] + text)
    }
}
