import Testing
import TraIndex

/// Hostile inputs: the decoder must refuse them (or, for a lucky corruption, still produce exactly
/// the announced size) without trapping, reading or writing out of bounds, or looping forever.
@Suite("LZ4Block corruption")
struct LZ4BlockCorruptionTests {
    /// A sample mixing literals, short and long matches, and long literal runs.
    static let sample: [UInt8] = {
        var random = CodecRandom(seed: 10)
        let text = Array(String(repeating: "Sông Hồng chảy qua Hà Nội. ", count: 12).utf8)
        return text + random.bytes(300) + [UInt8](repeating: 0x20, count: 400) + text
    }()

    static func compressed() -> [UInt8] {
        var compressed: [UInt8] = []
        sample.withUnsafeBytes { LZ4Block.compress($0, into: &compressed) }
        return compressed
    }

    /// Decodes `block` from an exactly sized copy, checking the outcome's invariants.
    @discardableResult
    static func decode(
        _ block: [UInt8], size: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) -> [UInt8]? {
        var output: [UInt8] = [7]
        let ok = withExactBuffer(block) { LZ4Block.decompress($0, decompressedSize: size, into: &output) }
        if ok {
            #expect(output.count == size + 1, sourceLocation: sourceLocation)
        } else {
            #expect(output == [7], sourceLocation: sourceLocation)
        }
        return ok ? Array(output.dropFirst()) : nil
    }

    @Test("the sample decodes, and a wrong announced size is refused")
    func sizes() {
        let block = Self.compressed()
        #expect(Self.decode(block, size: Self.sample.count) == Self.sample)
        for size in [0, 1, Self.sample.count - 1, Self.sample.count + 1, Self.sample.count * 2, -1, Int.max] {
            #expect(Self.decode(block, size: size) == nil)
        }
    }

    @Test("every truncation is refused")
    func truncations() {
        let block = Self.compressed()
        for length in 0..<block.count {
            #expect(Self.decode(Array(block[..<length]), size: Self.sample.count) == nil)
        }
        #expect(Self.decode(block + [0x00], size: Self.sample.count) == nil)
    }

    @Test("2,000 random byte flips never crash")
    func byteFlips() {
        let block = Self.compressed()
        var random = CodecRandom(seed: 11)
        for _ in 0..<2_000 {
            var corrupt = block
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                corrupt[Int.random(in: 0..<corrupt.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            Self.decode(corrupt, size: Self.sample.count)
        }
    }

    @Test("random garbage never crashes")
    func garbage() {
        var random = CodecRandom(seed: 12)
        for _ in 0..<2_000 {
            let garbage = random.bytes(Int.random(in: 0...64, using: &random))
            Self.decode(garbage, size: Int.random(in: 0...300, using: &random))
        }
    }

    @Test("crafted corruptions are refused")
    func crafted() {
        let cases: [(String, [UInt8], Int)] = [
            ("empty input", [], 0),
            ("offset 0", [0x40, 0x61, 0x62, 0x63, 0x64, 0x00, 0x00, 0x00], 8),
            ("offset before the start", [0x40, 0x61, 0x62, 0x63, 0x64, 0x05, 0x00, 0x00], 8),
            ("literals past the input", [0x50, 0x61, 0x62], 5),
            ("literals past the output", [0x30, 0x61, 0x62, 0x63], 2),
            ("match past the output", [0x14, 0x61, 0x01, 0x00, 0x00], 5),
            ("truncated literal length", [0xF0], 20),
            ("truncated literal length after 255", [0xF0, 0xFF], 300),
            ("truncated match length", [0x1F, 0x61, 0x01, 0x00], 100),
            ("truncated offset", [0x14, 0x61, 0x01], 10),
            ("missing final literals", [0x10, 0x61, 0x01, 0x00], 5),
            ("output shorter than announced", [0x20, 0x61, 0x62], 3),
            ("huge literal length", [0xF0] + [UInt8](repeating: 0xFF, count: 100) + [0x00], 50),
            ("huge announced size", [0x00], 1 << 40),
        ]
        for (name, block, size) in cases {
            #expect(Self.decode(block, size: size) == nil, "\(name)")
        }
        // Valid neighbours of those cases decode. The end-of-block rules bind the compressor only: an
        // empty final literal run is accepted, as long as the sizes agree.
        #expect(Self.decode([0x14, 0x61, 0x01, 0x00, 0x00], size: 9) == Array("aaaaaaaaa".utf8))
        #expect(Self.decode([0x14, 0x61, 0x01, 0x00, 0x00], size: 10) == nil)
        #expect(Self.decode([0x14, 0x61, 0x01, 0x00, 0x10, 0x62], size: 10) == Array("aaaaaaaaab".utf8))
        #expect(Self.decode([0x30, 0x61, 0x62, 0x63], size: 3) == Array("abc".utf8))
    }
}
