extension LegacyDetector {
    /// What one pass over a text's UTF-8 bytes says, before any conversion is tried.
    struct Prescan: Equatable {
        /// A letter only Vietnamese uses (ă đ ĩ ũ ơ ư and their capitals, U+1EA0-U+1EF9) or a
        /// combining Vietnamese mark: the text is Unicode already.
        var vietnamese = false
        /// Scalars U+00A0-U+00FF, where TCVN3 and VNI bytes land when read as Windows-1252.
        var latin1 = 0
        /// An ASCII vowel followed by `^`, `(`, `+`, `` ` `` or `~`: VIQR's marks.
        var viqrStrong = 0
    }

    /// One pass over the bytes, stopping at the first Vietnamese letter.
    ///
    /// - Complexity: O(n), a table lookup per ASCII byte; Unicode Vietnamese text usually stops
    ///   within its first few words.
    static func prescan(_ text: String) -> Prescan {
        if let scan = text.utf8.withContiguousStorageIfAvailable({ prescan($0) }) { return scan }
        var copy = text
        return copy.withUTF8 { prescan($0) }
    }

    static func prescan(_ bytes: UnsafeBufferPointer<UInt8>) -> Prescan {
        var scan = Prescan()
        var previous: UInt8 = 0
        var i = 0
        let count = bytes.count
        while i < count {
            let byte = bytes[i]
            if byte < 0x80 {
                if asciiClass[Int(byte)] == strongMark && asciiClass[Int(previous)] == vowel { scan.viqrStrong += 1 }
                previous = byte
                i += 1
                continue
            }
            let next = i + 1 < count ? bytes[i + 1] : 0
            switch byte {
            case 0xC2: if next >= 0xA0 { scan.latin1 += 1 }
            case 0xC3: scan.latin1 += 1
            case 0xC4:
                if next == 0x82 || next == 0x83 || next == 0x90 || next == 0x91 || next == 0xA8 || next == 0xA9 {
                    scan.vietnamese = true
                }
            case 0xC5: if next == 0xA8 || next == 0xA9 { scan.vietnamese = true }
            case 0xC6: if next == 0xA0 || next == 0xA1 || next == 0xAF || next == 0xB0 { scan.vietnamese = true }
            case 0xCC:
                // U+0300-U+0323: the combining tones and modifiers (and the accents around them).
                if next >= 0x80 && next <= 0xA3 { scan.vietnamese = true }
            case 0xE1: if next == 0xBA || next == 0xBB { scan.vietnamese = true }
            default: break
            }
            if scan.vietnamese { return scan }
            previous = byte
            i += 1
        }
        return scan
    }

    private static let vowel: UInt8 = 1
    private static let strongMark: UInt8 = 2

    /// The class of each ASCII byte for the VIQR check.
    private static let asciiClass: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for letter in "aeiouyAEIOUY".utf8 { table[Int(letter)] = vowel }
        for mark in "^(+`~".utf8 { table[Int(mark)] = strongMark }
        return table
    }()
}
