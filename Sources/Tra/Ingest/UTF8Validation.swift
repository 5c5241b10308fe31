/// Finds and explains the first ill-formed UTF-8 sequence in some bytes (Unicode Table 3-7).
///
/// This is the slow, explaining path: JSONL strings are validated by `JSONLineParser`'s DFA as it scans them,
/// text files by the standard library; this runs only to say where and why some bytes were rejected.
package enum UTF8Validation {
    /// An ill-formed sequence: the offset of its first byte and what is wrong with it.
    package struct Failure: Sendable, Hashable {
        package var offset: Int
        package var reason: String
    }

    /// The string of `bytes`, or nil when they are not well-formed UTF-8 (the standard library's validation).
    @inline(__always)
    package static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if #available(macOS 15, iOS 18, tvOS 18, watchOS 11, *) {
            return String(validating: bytes, as: UTF8.self)
        }
        guard firstError(in: UnsafeRawBufferPointer(bytes)) == nil else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The first ill-formed sequence in `bytes`, or nil when they are well-formed UTF-8.
    package static func firstError(in bytes: UnsafeRawBufferPointer) -> Failure? {
        let count = bytes.count
        var i = 0
        while i < count {
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let length: Int
            // The allowed range of the second byte (the others are always 0x80...0xBF).
            var second: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0x80...0xBF:
                return Failure(offset: i, reason: "unexpected continuation byte \(hex(lead))")
            case 0xC0, 0xC1:
                return Failure(offset: i, reason: "overlong encoding (\(sequence(bytes, i, 2)))")
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                second = 0xA0...0xBF
            case 0xED:
                length = 3
                second = 0x80...0x9F
            case 0xE1...0xEF: length = 3
            case 0xF0:
                length = 4
                second = 0x90...0xBF
            case 0xF4:
                length = 4
                second = 0x80...0x8F
            case 0xF1...0xF3: length = 4
            case 0xF5...0xF7:
                return Failure(offset: i, reason: "code point above U+10FFFF (\(sequence(bytes, i, 4)))")
            default:
                return Failure(offset: i, reason: "byte \(hex(lead)) never appears in UTF-8")
            }
            for k in 1..<length {
                guard i + k < count else {
                    let shown = sequence(bytes, i, length)
                    return Failure(offset: i, reason: "incomplete multi-byte sequence at end of line (\(shown))")
                }
                let byte = bytes[i + k]
                guard byte & 0xC0 == 0x80 else {
                    let shown = sequence(bytes, i, length)
                    return Failure(offset: i, reason: "incomplete multi-byte sequence (\(shown)) before \(hex(byte))")
                }
                if k == 1 && !second.contains(byte) {
                    let shown = sequence(bytes, i, length)
                    switch lead {
                    case 0xE0, 0xF0: return Failure(offset: i, reason: "overlong encoding (\(shown))")
                    case 0xED: return Failure(offset: i, reason: "UTF-16 surrogate encoded in UTF-8 (\(shown))")
                    default: return Failure(offset: i, reason: "code point above U+10FFFF (\(shown))")
                    }
                }
            }
            i += length
        }
        return nil
    }

    /// The lead byte at `i` and the continuation bytes after it, up to `length` bytes, as `0xE1 0xBA`.
    private static func sequence(_ bytes: UnsafeRawBufferPointer, _ i: Int, _ length: Int) -> String {
        var shown = [hex(bytes[i])]
        var k = i + 1
        while k < bytes.count, k < i + length, bytes[k] & 0xC0 == 0x80 {
            shown.append(hex(bytes[k]))
            k += 1
        }
        return shown.joined(separator: " ")
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }
}
