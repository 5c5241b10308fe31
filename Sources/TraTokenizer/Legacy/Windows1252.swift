/// Windows-1252, the code page through which legacy Vietnamese bytes usually reach Unicode text
/// (a program that does not know the font's encoding reads its bytes as Windows-1252 or Latin-1).
///
/// Both legacy byte encodings put their letters at 0xA0-0xFF, where Windows-1252 and Latin-1 agree
/// with Unicode (byte b is U+00b), so getting the bytes back from such text is taking the scalar
/// value. 0x80-0x9F hold Windows punctuation; the five positions Windows-1252 leaves undefined
/// decode to the C1 controls, as Latin-1 and Windows itself do.
public enum Windows1252 {
    /// The scalars of bytes 0x80-0x9F.
    static let c1: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161,
        0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// `bytes` read as Windows-1252: never fails, every byte is one scalar.
    public static func decode(_ bytes: some Sequence<UInt8>) -> String {
        var text = String.UnicodeScalarView()
        for byte in bytes {
            let value = byte >= 0x80 && byte < 0xA0 ? c1[Int(byte) - 0x80] : UInt32(byte)
            text.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(text)
    }

    /// The byte of `scalar` when it is at 0xA0-0xFF (where the legacy letters are), nil otherwise.
    @inline(__always)
    static func highByte(_ scalar: Unicode.Scalar) -> UInt8? {
        scalar.value >= 0xA0 && scalar.value <= 0xFF ? UInt8(scalar.value) : nil
    }
}
