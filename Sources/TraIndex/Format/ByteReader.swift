/// A cursor over bytes from disk that never traps: every read checks the bounds and returns nil
/// when the bytes run out, like SwiftNIO's `ByteBuffer` readers. Callers turn nil into
/// ``IndexError/corrupt(_:file:offset:)`` with the cursor's offset.
///
/// Numbers are little-endian.
package struct ByteReader {
    package let buffer: UnsafeRawBufferPointer
    /// The offset of the next byte to read, relative to `buffer`.
    package var offset: Int

    package init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.buffer = buffer
        self.offset = offset
    }

    package var remaining: Int { buffer.count - offset }

    @inline(__always)
    package mutating func readUInt8() -> UInt8? {
        guard offset < buffer.count else { return nil }
        defer { offset += 1 }
        return buffer[offset]
    }

    @inline(__always)
    package mutating func readUInt32() -> UInt32? {
        guard offset >= 0, buffer.count - offset >= 4 else { return nil }
        defer { offset += 4 }
        return UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    package mutating func readUInt64() -> UInt64? {
        guard offset >= 0, buffer.count - offset >= 8 else { return nil }
        defer { offset += 8 }
        return UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// A LEB128 unsigned integer.
    @inline(__always)
    package mutating func readVarInt() -> UInt64? {
        VarInt.read(buffer, at: &offset)
    }

    /// Skips `count` LEB128 integers without decoding them (see ``VarInt/skip(_:in:at:)``); false,
    /// with the offset unchanged, when the bytes run out first.
    @inline(__always)
    package mutating func skipVarInts(_ count: Int) -> Bool {
        VarInt.skip(count, in: buffer, at: &offset)
    }

    /// A LEB128 integer that must fit in an `Int` no larger than `limit`.
    @inline(__always)
    package mutating func readVarInt(limit: Int) -> Int? {
        let start = offset
        guard let value = VarInt.read(buffer, at: &offset), value <= UInt64(limit) else {
            offset = start
            return nil
        }
        return Int(value)
    }

    /// `count` bytes as a sub-buffer (no copy).
    package mutating func readBytes(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, offset >= 0, buffer.count - offset >= count else { return nil }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count])
    }

    /// A varint length followed by that many bytes of UTF-8; nil when short or not valid UTF-8
    /// (what tra writes always is, so damaged bytes are reported instead of shown as U+FFFD).
    package mutating func readString() -> String? {
        guard let length = readVarInt(limit: remaining), let bytes = readBytes(length) else { return nil }
        // One validating pass (nil for invalid UTF-8), not a repairing decode and a comparison.
        return String(validating: bytes, as: UTF8.self)
    }
}

/// Appends little-endian numbers, varints and strings to a byte array.
package struct ByteWriter {
    package var bytes: [UInt8] = []

    package init() {}

    package var count: Int { bytes.count }

    @inline(__always) package mutating func write(_ value: UInt8) { bytes.append(value) }

    @inline(__always)
    package mutating func write(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    package mutating func write(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inline(__always) package mutating func writeVarInt(_ value: UInt64) { VarInt.append(value, to: &bytes) }
    @inline(__always) package mutating func writeVarInt(_ value: Int) { VarInt.append(UInt64(value), to: &bytes) }

    package mutating func write<C: Collection>(bytes other: C) where C.Element == UInt8 {
        bytes.append(contentsOf: other)
    }

    /// A varint length followed by the UTF-8 bytes.
    package mutating func write(string: String) {
        writeVarInt(string.utf8.count)
        bytes.append(contentsOf: string.utf8)
    }
}
