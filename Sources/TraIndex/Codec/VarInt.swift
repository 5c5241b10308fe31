/// Unsigned LEB128 variable-length integers, and the zigzag mapping for signed ones.
///
/// LEB128 ("Little Endian Base 128", DWARF Debugging Information Format, version 2, 1993, section
/// 7.6; the same encoding as Protocol Buffers' varints) stores an unsigned integer in groups of
/// seven bits, least significant group first. Each byte carries one group in its low seven bits and
/// sets its high bit when more bytes follow, so small numbers (term frequencies, doc-id gaps, string
/// lengths) take one byte and a full `UInt64` takes ten.
///
/// The decoder treats its input as untrusted bytes from disk: it never traps and never reads past
/// the buffer. A truncated encoding, one longer than ten bytes, or one whose tenth byte carries bits
/// above bit 63 decodes as `nil` and leaves the offset where it was, so the caller can report the
/// offset of the corrupt value. Non-minimal encodings of at most ten bytes (such as `80 00` for 0)
/// are accepted, as Protocol Buffers does; the encoder never produces them.
///
///     var bytes: [UInt8] = []
///     VarInt.append(300, to: &bytes)          // [0xAC, 0x02]
///     var offset = 0
///     let value = bytes.withUnsafeBytes { VarInt.read($0, at: &offset) }   // 300, offset == 2
package enum VarInt {
    /// The longest encoding of a `UInt64`: ⌈64 / 7⌉ bytes.
    package static let maxLength = 10

    // Layout, least significant group first (value 300 = 0b10_0101100):
    //
    //   byte 0: 1 0101100   continuation bit set, bits 0...6 of the value
    //   byte 1: 0 0000010   continuation bit clear, bits 7...13
    //
    // Byte i holds bits 7i...7i+6; the last byte has its high bit clear. A UInt64 needs at most ten
    // bytes, and the tenth may only hold bit 63 (its value is 0 or 1).

    /// Appends the LEB128 encoding of `value` to `bytes`.
    ///
    /// - Complexity: O(1); at most ten bytes are appended.
    @inline(__always)
    package static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: rest))
    }

    /// Appends the LEB128 encoding of `value` to `bytes`; the bytes are those of `UInt64(value)`.
    ///
    /// - Complexity: O(1); at most five bytes are appended.
    @inline(__always)
    package static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        append(UInt64(value), to: &bytes)
    }

    /// The number of bytes `append(_:to:)` writes for `value`, from 1 to 10.
    ///
    /// - Complexity: O(1).
    @inline(__always)
    package static func encodedLength(_ value: UInt64) -> Int {
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    /// The number of bytes `append(_:to:)` writes for `value`, from 1 to 5.
    ///
    /// - Complexity: O(1).
    @inline(__always)
    package static func encodedLength(_ value: UInt32) -> Int {
        encodedLength(UInt64(value))
    }

    /// Decodes the LEB128 value starting at `offset` and advances `offset` past it.
    ///
    /// - Parameters:
    ///   - buffer: The bytes to read; never read outside.
    ///   - offset: Where the value starts. On success it is moved past the value; on failure it is
    ///     left unchanged.
    /// - Returns: The value, or `nil` if the encoding is truncated by the end of the buffer, longer
    ///   than ten bytes, or overflows 64 bits. An offset outside the buffer also gives `nil`.
    /// - Complexity: O(1); at most ten bytes are read.
    @inline(__always)
    package static func read(_ buffer: UnsafeRawBufferPointer, at offset: inout Int) -> UInt64? {
        guard offset >= 0, offset < buffer.count, let base = buffer.baseAddress else { return nil }
        if buffer.count - offset >= 8 {
            // Up to eight bytes without a branch per byte: the first clear high bit ends the value.
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let stops = ~word & 0x8080_8080_8080_8080
            if stops != 0 {
                offset += stops.trailingZeroBitCount / 8 + 1
                return compact(word & (stops ^ (stops &- 1)))
            }
        }
        return readLong(buffer, at: &offset)
    }

    /// Moves `offset` past `count` values without decoding them: a value ends at each byte whose
    /// high bit is clear, so this counts such bytes, eight at a time (a population count per
    /// word instead of a decode per value).
    ///
    /// Unlike `read(_:at:)` it does not check each value's length (a run of more than ten
    /// continuation bytes is skipped as one value): callers check the bytes' checksum first.
    ///
    /// - Returns: false, with `offset` unchanged, when the buffer ends before `count` values.
    /// - Complexity: O(n) in the number of bytes skipped.
    @inline(__always)
    package static func skip(_ count: Int, in buffer: UnsafeRawBufferPointer, at offset: inout Int) -> Bool {
        guard count > 0 else { return true }
        guard offset >= 0, let base = buffer.baseAddress else { return false }
        var left = count
        var position = offset
        while buffer.count - position >= 8 {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            var stops = ~word & 0x8080_8080_8080_8080
            let found = stops.nonzeroBitCount
            if found < left {
                left -= found
                position += 8
                continue
            }
            // The word holds the last value's end: drop the stops before it.
            for _ in 1..<left { stops &= stops &- 1 }
            offset = position + stops.trailingZeroBitCount / 8 + 1
            return true
        }
        while position < buffer.count {
            if buffer[position] & 0x80 == 0 {
                left -= 1
                if left == 0 {
                    offset = position + 1
                    return true
                }
            }
            position += 1
        }
        return false
    }

    /// Gathers the low seven bits of each byte of `bytes` into one 56-bit number, in three steps
    /// that each halve the number of groups.
    @inline(__always)
    private static func compact(_ bytes: UInt64) -> UInt64 {
        var value = bytes & 0x7F7F_7F7F_7F7F_7F7F
        value = (value & 0x007F_007F_007F_007F) | ((value & 0x7F00_7F00_7F00_7F00) >> 1)
        value = (value & 0x0000_3FFF_0000_3FFF) | ((value & 0x3FFF_0000_3FFF_0000) >> 2)
        return (value & 0x0000_0000_0FFF_FFFF) | ((value & 0x0FFF_FFFF_0000_0000) >> 4)
    }

    /// Decodes a LEB128 value that must fit in 32 bits.
    ///
    /// - Returns: The value, or `nil` under the conditions of `read(_:at:)` or if the value exceeds
    ///   `UInt32.max`; `offset` is unchanged on failure.
    /// - Complexity: O(1).
    @inline(__always)
    package static func readUInt32(_ buffer: UnsafeRawBufferPointer, at offset: inout Int) -> UInt32? {
        var position = offset
        guard let value = read(buffer, at: &position), let narrow = UInt32(exactly: value) else { return nil }
        offset = position
        return narrow
    }

    /// The multi-byte path of `read(_:at:)`; `buffer[offset]` is known to have its high bit set.
    private static func readLong(_ buffer: UnsafeRawBufferPointer, at offset: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var position = offset
        while position < buffer.count {
            let byte = buffer[position]
            position += 1
            if shift == 63 {
                // The tenth byte: only bit 63 is left, and no further byte may follow.
                guard byte <= 1 else { return nil }
                offset = position
                return value | (UInt64(byte) << 63)
            }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                offset = position
                return value
            }
            shift += 7
        }
        return nil
    }

    /// Maps a signed integer to an unsigned one so that small magnitudes stay small: 0, -1, 1, -2, 2
    /// become 0, 1, 2, 3, 4 (the "zigzag" encoding of Protocol Buffers).
    ///
    /// - Complexity: O(1).
    @inline(__always)
    package static func zigzagEncode(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    /// Inverts `zigzagEncode(_:)`.
    ///
    /// - Complexity: O(1).
    @inline(__always)
    package static func zigzagDecode(_ value: UInt64) -> Int64 {
        Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }
}
