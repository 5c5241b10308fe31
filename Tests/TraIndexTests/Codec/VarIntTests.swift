import Testing
import TraIndex

@Suite("VarInt")
struct VarIntTests {
    static func encode(_ value: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        VarInt.append(value, to: &bytes)
        return bytes
    }

    /// Decodes one value, returning it and the new offset (or the unchanged one on failure).
    static func decode(_ bytes: [UInt8], at start: Int = 0) -> (value: UInt64?, offset: Int) {
        withExactBuffer(bytes) { raw in
            var offset = start
            let value = VarInt.read(raw, at: &offset)
            return (value, offset)
        }
    }

    @Test("known encodings")
    func knownEncodings() {
        #expect(Self.encode(0) == [0x00])
        #expect(Self.encode(1) == [0x01])
        #expect(Self.encode(127) == [0x7F])
        #expect(Self.encode(128) == [0x80, 0x01])
        #expect(Self.encode(300) == [0xAC, 0x02])
        #expect(Self.encode(16_384) == [0x80, 0x80, 0x01])
        #expect(Self.encode(UInt64(UInt32.max)) == [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        #expect(Self.encode(UInt64.max) == [UInt8](repeating: 0xFF, count: 9) + [0x01])
        var narrow: [UInt8] = []
        VarInt.append(UInt32(300), to: &narrow)
        #expect(narrow == [0xAC, 0x02])
    }

    @Test("round trip and encoded length at every 7-bit boundary and at random")
    func roundTrip() {
        var values: [UInt64] = [0, 1, UInt64.max, UInt64.max - 1, 1 << 63]
        for shift in stride(from: 7, to: 64, by: 7) {
            values += [(1 << UInt64(shift)) - 1, 1 << UInt64(shift), (1 << UInt64(shift)) + 1]
        }
        var random = CodecRandom(seed: 3)
        values += (0..<1_000).map { _ in random.next() >> UInt64.random(in: 0...63, using: &random) }
        var stream: [UInt8] = []
        for value in values {
            let bytes = Self.encode(value)
            #expect(bytes.count == VarInt.encodedLength(value))
            #expect(Self.decode(bytes) == (value, bytes.count))
            stream += bytes
        }
        // Back to back in one buffer.
        withExactBuffer(stream) { raw in
            var offset = 0
            for value in values { #expect(VarInt.read(raw, at: &offset) == value) }
            #expect(offset == stream.count)
            #expect(VarInt.read(raw, at: &offset) == nil)
        }
        #expect(VarInt.encodedLength(UInt32.max) == 5)
        #expect(VarInt.encodedLength(UInt32(0)) == 1)
    }

    @Test("skipping n values lands where reading n values does, from any start, or fails at the end")
    func skip() {
        var random = CodecRandom(seed: 11)
        // Mostly one-byte values (position gaps), some long ones.
        let values: [UInt64] = (0..<600).map { i in
            i % 7 == 0 ? random.next() >> UInt64.random(in: 0...63, using: &random) : random.next() % 100
        }
        var stream: [UInt8] = []
        var ends: [Int] = []
        for value in values {
            VarInt.append(value, to: &stream)
            ends.append(stream.count)
        }
        withExactBuffer(stream) { raw in
            for first in [0, 1, 5, 63, 300] {
                let start = first == 0 ? 0 : ends[first - 1]
                for count in [0, 1, 2, 7, 8, 9, 15, 16, 17, 100, values.count - first] {
                    var offset = start
                    #expect(VarInt.skip(count, in: raw, at: &offset))
                    #expect(offset == (count == 0 ? start : ends[first + count - 1]), "from \(first), \(count)")
                    if first + count < values.count {
                        #expect(VarInt.read(raw, at: &offset) == values[first + count])
                    }
                }
                // One value too many: false, the offset unchanged.
                var offset = start
                #expect(!VarInt.skip(values.count - first + 1, in: raw, at: &offset))
                #expect(offset == start)
            }
        }
        // A value cut short at the end of the buffer is not a value.
        let cut = Self.encode(5) + Self.encode(300).dropLast()
        withExactBuffer(cut) { raw in
            var offset = 0
            #expect(VarInt.skip(1, in: raw, at: &offset) && offset == 1)
            offset = 0
            #expect(!VarInt.skip(2, in: raw, at: &offset) && offset == 0)
        }
    }

    @Test("every truncation of an encoding fails and leaves the offset alone")
    func truncation() {
        for value: UInt64 in [128, 300, 1 << 35, UInt64.max] {
            let bytes = [0x55] + Self.encode(value)
            for length in 1..<bytes.count {
                #expect(Self.decode(Array(bytes[..<length]), at: 1) == (nil, 1))
            }
        }
    }

    @Test("over-long and overflowing encodings fail")
    func overflow() {
        // Ten bytes are allowed when the tenth holds only bit 63.
        #expect(Self.decode([UInt8](repeating: 0x80, count: 9) + [0x01]) == (1 << 63, 10))
        // A tenth byte with bits above 63, or that continues, or an eleventh byte.
        #expect(Self.decode([UInt8](repeating: 0xFF, count: 9) + [0x02]) == (nil, 0))
        #expect(Self.decode([UInt8](repeating: 0xFF, count: 9) + [0x81, 0x00]) == (nil, 0))
        #expect(Self.decode([UInt8](repeating: 0x80, count: 10) + [0x00]) == (nil, 0))
        #expect(Self.decode([UInt8](repeating: 0xFF, count: 64)) == (nil, 0))
        // Non-minimal but short encodings are accepted.
        #expect(Self.decode([0x80, 0x00]) == (0, 2))
    }

    @Test("offsets outside the buffer fail")
    func badOffsets() {
        #expect(Self.decode([0x01], at: 1) == (nil, 1))
        #expect(Self.decode([0x01], at: -1) == (nil, -1))
        #expect(Self.decode([], at: 0) == (nil, 0))
    }

    @Test("32-bit reads refuse values above UInt32.max")
    func readUInt32() {
        withExactBuffer(Self.encode(UInt64(UInt32.max)) + Self.encode(UInt64(UInt32.max) + 1)) { raw in
            var offset = 0
            #expect(VarInt.readUInt32(raw, at: &offset) == UInt32.max)
            #expect(offset == 5)
            #expect(VarInt.readUInt32(raw, at: &offset) == nil)
            #expect(offset == 5)
        }
    }

    @Test("zigzag maps small magnitudes to small numbers and round trips")
    func zigzag() {
        #expect([0, -1, 1, -2, 2].map(VarInt.zigzagEncode) == [0, 1, 2, 3, 4])
        #expect(VarInt.zigzagEncode(Int64.max) == UInt64.max - 1)
        #expect(VarInt.zigzagEncode(Int64.min) == UInt64.max)
        var random = CodecRandom(seed: 4)
        for value in [Int64.min, Int64.max, 0, -1] + (0..<500).map({ _ in Int64(bitPattern: random.next()) }) {
            #expect(VarInt.zigzagDecode(VarInt.zigzagEncode(value)) == value)
        }
    }
}
