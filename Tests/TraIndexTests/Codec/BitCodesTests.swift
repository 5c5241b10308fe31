import Testing
import TraIndex
import TraTestSupport

@Suite("Bit codes: unary, Golomb-Rice and Elias gamma")
struct BitCodesTests {
    @Test func riceAndGammaRoundTrip() throws {
        var generator = SeededGenerator(seed: 7)
        var values: [(rice: UInt64, k: Int, gamma: UInt64)] = []
        for _ in 0..<2_000 {
            let k = Int.random(in: 0...31, using: &generator)
            let rice =
                UInt64.random(in: 0..<(1 << 32), using: &generator) >> UInt64.random(in: 0...32, using: &generator)
            let gamma = max(
                1, UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63, using: &generator))
            values.append((rice, k, gamma))
        }
        values += [(0, 0, 1), ((1 << 32) - 1, 31, UInt64.max), (1 << 20, 0, 1 << 63), (5, 31, 2)]
        var writer = BitWriter()
        for value in values {
            writer.writeRice(value.rice, k: value.k)
            writer.writeGamma(value.gamma)
        }
        writer.finish()
        writer.bytes.withUnsafeBytes { buffer in
            var reader = BitReader(buffer, start: 0, end: buffer.count)
            for value in values {
                let rice = reader.readRice(k: value.k, bits: 32)
                let gamma = reader.readGamma()
                #expect(rice == value.rice)
                #expect(gamma == value.gamma)
            }
            #expect(reader.remaining < 8)
        }
    }

    @Test func oneBitForAGammaOfOne() {
        var writer = BitWriter()
        for _ in 0..<16 { writer.writeGamma(1) }
        writer.finish()
        #expect(writer.bytes == [0xff, 0xff])
        // Rice with k = 2 of 6 (1 in unary, then 0b10): bits 0 1 | 0 1, least significant first.
        var rice = BitWriter()
        rice.writeRice(6, k: 2)
        rice.finish()
        #expect(rice.bytes == [0b1010])
    }

    @Test func truncatedOrOverlongCodesReadAsNil() {
        var writer = BitWriter()
        writer.writeGamma(UInt64.max)
        writer.finish()
        writer.bytes.withUnsafeBytes { buffer in
            var short = BitReader(buffer, start: 0, end: buffer.count - 1)
            let value = short.readGamma()
            #expect(value == nil)
        }
        // Only zeros: no unary number ends; a Rice code longer than its bits allow.
        [UInt8](repeating: 0, count: 40).withUnsafeBytes { buffer in
            var zeros = BitReader(buffer, start: 0, end: buffer.count)
            let gamma = zeros.readGamma()
            #expect(gamma == nil)
            var rice = BitReader(buffer, start: 0, end: buffer.count)
            let value = rice.readRice(k: 30, bits: 32)
            #expect(value == nil)
        }
        [UInt8](repeating: 0xff, count: 2).withUnsafeBytes { buffer in
            var reader = BitReader(buffer, start: 0, end: buffer.count)
            let tooMany = reader.read(bits: 17)
            let all = reader.read(bits: 16)
            let past = reader.readUnary(limit: 10)
            #expect(tooMany == nil)
            #expect(all == 0xffff)
            #expect(past == nil)
        }
    }
}
