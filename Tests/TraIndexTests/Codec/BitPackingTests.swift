import Testing
import TraIndex

@Suite("BitPacking")
struct BitPackingTests {
    static func pack(_ values: [UInt32], bitWidth: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        values.withUnsafeBufferPointer { BitPacking.pack($0, bitWidth: bitWidth, into: &bytes) }
        return bytes
    }

    /// Unpacks from an exactly sized copy of `bytes`; nil when `unpack` refuses.
    static func unpack(_ bytes: [UInt8], bitWidth: Int) -> [UInt32]? {
        var values = [UInt32](repeating: 0xDEAD_BEEF, count: BitPacking.blockSize)
        let ok = withExactBuffer(bytes) { raw in
            values.withUnsafeMutableBufferPointer { BitPacking.unpack(raw, bitWidth: bitWidth, into: $0) }
        }
        return ok ? values : nil
    }

    /// Unpacks gaps from an exactly sized copy of `bytes`: the values and the last sum, nil when
    /// `unpackGaps` refuses.
    static func unpackGaps(_ bytes: [UInt8], bitWidth: Int, from start: Int64) -> (values: [UInt32], last: Int64)? {
        var values = [UInt32](repeating: 0xDEAD_BEEF, count: BitPacking.blockSize)
        let last = withExactBuffer(bytes) { raw in
            values.withUnsafeMutableBufferPointer {
                BitPacking.unpackGaps(raw, bitWidth: bitWidth, from: start, into: $0)
            }
        }
        return last.map { (values, $0) }
    }

    static func randomBlock(bitWidth: Int, using random: inout CodecRandom) -> [UInt32] {
        let mask = UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(bitWidth)) - 1)
        var values = (0..<BitPacking.blockSize).map { _ in UInt32(truncatingIfNeeded: random.next()) & mask }
        values[Int.random(in: 0..<values.count, using: &random)] = mask  // the width is needed
        return values
    }

    @Test("round trip at every width 0...32", arguments: 0...32)
    func roundTrip(bitWidth: Int) {
        var random = CodecRandom(seed: 5 + UInt64(bitWidth))
        for _ in 0..<20 {
            let values = Self.randomBlock(bitWidth: bitWidth, using: &random)
            #expect(values.withUnsafeBufferPointer(BitPacking.requiredBitWidth) == bitWidth)
            let bytes = Self.pack(values, bitWidth: bitWidth)
            #expect(bytes.count == 16 * bitWidth)
            #expect(bytes.count == BitPacking.packedByteCount(bitWidth: bitWidth))
            #expect(Self.unpack(bytes, bitWidth: bitWidth) == values)
            // With trailing bytes (a block inside a larger file) the result is the same.
            #expect(
                Self.unpack(bytes + random.bytes(Int.random(in: 1...40, using: &random)), bitWidth: bitWidth) == values)
        }
    }

    @Test("gaps unpack to their running sums at every width 0...32", arguments: 0...32)
    func gaps(bitWidth: Int) {
        var random = CodecRandom(seed: 7 + UInt64(bitWidth))
        for start: Int64 in [-1, 0, 1_000, Int64(UInt32.max) + 5] {
            let gaps = Self.randomBlock(bitWidth: bitWidth, using: &random)
            // What a decoder summing the plain unpacked values gets, in 64 bits.
            var sums: [Int64] = []
            var total = start
            for gap in gaps {
                total += Int64(gap) + 1
                sums.append(total)
            }
            let bytes = Self.pack(gaps, bitWidth: bitWidth)
            for source in [bytes, bytes + random.bytes(Int.random(in: 1...40, using: &random))] {
                let unpacked = Self.unpackGaps(source, bitWidth: bitWidth, from: start)
                #expect(unpacked?.last == total)
                #expect(unpacked?.values == sums.map { UInt32(truncatingIfNeeded: $0) })
            }
        }
    }

    @Test("gaps from a short source or at an impossible width are refused", arguments: [0, 1, 7, 32])
    func gapsRefuseShortSource(bitWidth: Int) {
        var random = CodecRandom(seed: 8)
        let bytes = Self.pack(Self.randomBlock(bitWidth: bitWidth, using: &random), bitWidth: bitWidth)
        if !bytes.isEmpty { #expect(Self.unpackGaps(Array(bytes.dropLast()), bitWidth: bitWidth, from: 0) == nil) }
        #expect(Self.unpackGaps(bytes + [UInt8](repeating: 0, count: 600), bitWidth: 33, from: 0) == nil)
    }

    @Test("packing appends after existing bytes and at a wider width than needed")
    func appendsAndWidens() {
        let values = (0..<128).map { UInt32($0) }
        var bytes: [UInt8] = [1, 2, 3]
        values.withUnsafeBufferPointer { BitPacking.pack($0, bitWidth: 9, into: &bytes) }
        #expect(bytes.count == 3 + 144)
        #expect(bytes[..<3] == [1, 2, 3])
        #expect(Self.unpack(Array(bytes[3...]), bitWidth: 9) == values)
    }

    @Test("worked example of the layout comment")
    func layout() {
        var values = [UInt32](repeating: 0, count: 128)
        values[0...3] = [5, 1, 7, 0]
        let bytes = Self.pack(values, bitWidth: 3)
        #expect(bytes[0] == 0xCD && bytes[1] == 0x01)
        #expect(bytes[2...].allSatisfy { $0 == 0 })
        // Width 32 is plain little-endian UInt32s.
        let wide = Self.pack((0..<128).map { UInt32($0) &* 0x0102_0304 }, bitWidth: 32)
        #expect(wide[4..<8] == [0x04, 0x03, 0x02, 0x01])
    }

    @Test("required bit width")
    func requiredBitWidth() {
        let cases: [([UInt32], Int)] = [
            ([], 0), ([0, 0], 0), ([1], 1), ([2, 1], 2), ([255], 8), ([256], 9), ([UInt32.max], 32),
        ]
        for (values, width) in cases {
            #expect(values.withUnsafeBufferPointer(BitPacking.requiredBitWidth) == width)
        }
    }

    @Test("a short source or an impossible width is refused", arguments: 0...32)
    func refusesShortSource(bitWidth: Int) {
        var random = CodecRandom(seed: 6)
        let bytes = Self.pack(Self.randomBlock(bitWidth: bitWidth, using: &random), bitWidth: bitWidth)
        for length in Set([0, 1, bytes.count / 2, bytes.count - 1]) where (0..<bytes.count).contains(length) {
            #expect(Self.unpack(Array(bytes[..<length]), bitWidth: bitWidth) == nil)
        }
        #expect(Self.unpack(bytes + [UInt8](repeating: 0, count: 600), bitWidth: 33) == nil)
        #expect(Self.unpack(bytes, bitWidth: -1) == nil)
    }
}
