import Testing
import TraIndex
import TraTestSupport

@Suite("LZ4Block")
struct LZ4BlockTests {
    // The helpers of the level tests: exactly sized buffers, size bound and block rules checked.
    static func compress(_ bytes: [UInt8]) -> [UInt8] { LZ4BlockHighCompressionTests.compress(bytes, level: .fast) }

    static func decompress(_ compressed: [UInt8], size: Int) -> [UInt8]? {
        LZ4BlockHighCompressionTests.decompress(compressed, size: size)
    }

    static func expectRoundTrip(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        LZ4BlockHighCompressionTests.expectRoundTrip(bytes, level: .fast, sourceLocation: sourceLocation)
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

    @Test("Vietnamese Wikipedia bodies, one by one and in 16 KB blocks")
    func vietnameseText() throws {
        let bodies = try LZ4BlockHighCompressionTests.corpusBodies(300)
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
