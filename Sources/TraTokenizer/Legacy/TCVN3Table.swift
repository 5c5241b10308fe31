/// The letters of TCVN 5712:1993 VN3 ("TCVN3", "ABC"), the 8-bit Vietnamese encoding of the
/// `.VnTime` fonts: ASCII below 0x80, and above it the 134 positions of the standard's VN3 table.
///
/// VN3 has the seven capitals Ă Â Ê Ô Ơ Ư Đ and every lower-case letter; capitals with tones were
/// set with the capital fonts (`.VnTimeH`) on the lower-case positions, so they come back lower
/// case. The positions VN3 leaves free (0x80-0xA0, 0xAF-0xB4, 0xBA, 0xBF-0xC5, 0xCD, 0xD9-0xDB,
/// 0xE0, 0xF0, 0xFF) are where the fuller VN1 puts capitals with tones; they are not decoded, so
/// Windows punctuation typed in a `.VnTime` font (quotes, dashes) stays what it is. glibc's
/// `iconv -f TCVN5712-1` (VN1) agrees on every position decoded here (a test checks it).
enum TCVN3Table {
    /// The letter at each byte 0xA0...0xFF, nil where VN3 has none.
    static let high: [Unicode.Scalar?] = {
        var table = [Unicode.Scalar?](repeating: nil, count: 0x60)
        let runs: [(first: Int, letters: String)] = [
            (0xA1, "ĂÂÊÔƠƯĐăâêôơưđ"),
            (0xB5, "àảãáạ"),
            (0xBB, "ằẳẵắ"),
            (0xC6, "ặầẩẫấậè"),
            (0xCE, "ẻẽéẹềểễếệìỉ"),
            (0xDC, "ĩíịò"),
            (0xE1, "ỏõóọồổỗốộờởỡớợù"),
            (0xF1, "ủũúụừửữứựỳỷỹýỵ"),
        ]
        for (first, letters) in runs {
            for (offset, scalar) in letters.unicodeScalars.enumerated() { table[first - 0xA0 + offset] = scalar }
        }
        return table
    }()

    /// The letter that `byte` encodes, nil for ASCII and for the positions VN3 leaves free.
    static func letter(_ byte: UInt8) -> Unicode.Scalar? {
        byte >= 0xA0 ? high[Int(byte) - 0xA0] : nil
    }
}
