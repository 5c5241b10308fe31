/// UTF-8 decoding that never traps: invalid input decodes to U+FFFD, one byte at a time.
package enum UTF8Decoder {
    /// The replacement for every ill-formed sequence.
    package static let replacement: UInt32 = 0xFFFD

    /// Decodes the scalar that starts at `i` (with `i < count`), returning it and its length in bytes.
    ///
    /// Overlong forms, surrogates, values above U+10FFFF and truncated sequences give
    /// (U+FFFD, 1), so the caller always advances.
    @inline(__always)
    package static func decode(_ p: UnsafePointer<UInt8>, _ i: Int, _ count: Int) -> (scalar: UInt32, length: Int) {
        let b0 = UInt32(p[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xC2 { return (replacement, 1) }
        if b0 < 0xE0 {
            guard i + 1 < count, p[i + 1] & 0xC0 == 0x80 else { return (replacement, 1) }
            return ((b0 & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F), 2)
        }
        if b0 < 0xF0 {
            guard i + 2 < count, p[i + 1] & 0xC0 == 0x80, p[i + 2] & 0xC0 == 0x80 else { return (replacement, 1) }
            let s = (b0 & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F)
            if s < 0x800 || (s >= 0xD800 && s < 0xE000) { return (replacement, 1) }
            return (s, 3)
        }
        if b0 < 0xF5 {
            guard i + 3 < count, p[i + 1] & 0xC0 == 0x80, p[i + 2] & 0xC0 == 0x80, p[i + 3] & 0xC0 == 0x80 else {
                return (replacement, 1)
            }
            let s =
                (b0 & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6
                | UInt32(p[i + 3] & 0x3F)
            if s < 0x10000 || s > 0x10FFFF { return (replacement, 1) }
            return (s, 4)
        }
        return (replacement, 1)
    }

    /// Appends the UTF-8 encoding of `scalar` to `bytes`.
    @inline(__always)
    package static func append(_ scalar: UInt32, to bytes: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            bytes.append(UInt8(scalar))
        case 0x80..<0x800:
            bytes.append(UInt8(0xC0 | scalar >> 6))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            bytes.append(UInt8(0xE0 | scalar >> 12))
            bytes.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        default:
            bytes.append(UInt8(0xF0 | scalar >> 18))
            bytes.append(UInt8(0x80 | (scalar >> 12) & 0x3F))
            bytes.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
