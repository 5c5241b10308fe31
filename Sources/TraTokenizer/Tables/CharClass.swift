/// How the analyzer's fast path treats one Unicode scalar.
///
/// The classes mirror the UAX #29 word-break properties that matter for Vietnamese text, plus the
/// analyzer's own clean-up (white space and zero-width characters). Anything the fast path does not
/// model exactly is `.other`, which hands the surrounding space-delimited chunk to ICU.
package enum CharClass: UInt8, BitwiseCopyable {
    /// Not modelled by the tables: the chunk is segmented by ICU.
    case other = 0
    /// White space, including NBSP, CR and LF: a token boundary, read as U+0020.
    case space
    /// Zero-width characters (U+200B-U+200D, U+2060, U+FEFF, soft hyphen): removed before segmentation.
    case ignorable
    /// A Latin letter that decomposes into an ASCII base, at most one Vietnamese letter modifier
    /// (circumflex, breve, horn) and at most one Vietnamese tone mark, or đ/Đ (and Ð/ð read as Đ/đ).
    case letter
    /// Any other Latin letter (ü, ñ, ß, ø, ...): a word character whose key is its lower-case form.
    case foreignLetter
    /// An ASCII digit.
    case digit
    /// A combining Vietnamese tone or modifier mark (U+0300, U+0301, U+0303, U+0309, U+0323,
    /// U+0340, U+0341, U+0302, U+0306, U+031B).
    case mark
    /// Punctuation or a symbol that is always a word boundary.
    case boundary
    /// Joins two letters (UAX #29 MidLetter).
    case midLetter
    /// Joins two digits (UAX #29 MidNum).
    case midNum
    /// Joins two letters or two digits (UAX #29 MidNumLet and Single_Quote).
    case midNumLet
}

/// Vietnamese letter modifiers, as stored in ``CharInfo/modifier``.
package enum Modifier {
    package static let none: UInt8 = 0
    package static let circumflex: UInt8 = 1
    package static let breve: UInt8 = 2
    package static let horn: UInt8 = 3
    /// The bar of đ; only on d.
    package static let stroke: UInt8 = 4
    /// The combining mark that writes each modifier, indexed by modifier (0 and stroke have none).
    package static let combining: [UInt32] = [0, 0x0302, 0x0306, 0x031B, 0]
}

/// The five Vietnamese tone marks (thanh), as stored in ``CharInfo/tone``. 0 is the level tone (ngang).
package enum Tone {
    package static let none: UInt8 = 0
    /// huyền, grave accent.
    package static let grave: UInt8 = 1
    /// sắc, acute accent.
    package static let acute: UInt8 = 2
    /// hỏi, hook above.
    package static let hook: UInt8 = 3
    /// ngã, tilde.
    package static let tilde: UInt8 = 4
    /// nặng, dot below.
    package static let dot: UInt8 = 5
    /// The combining mark that writes each tone, indexed by tone.
    package static let combining: [UInt32] = [0, 0x0300, 0x0301, 0x0309, 0x0303, 0x0323]
}

/// One entry of the character table: a class and, for letters and marks, their decomposition.
///
/// Layout of `raw`: bits 0-7 class, 8-15 lower-case ASCII base letter (or digit), 16-23 modifier,
/// 24-31 tone.
package struct CharInfo: Equatable {
    package var raw: UInt32

    @inline(__always) package init(raw: UInt32) { self.raw = raw }

    @inline(__always)
    package init(_ charClass: CharClass, base: UInt8 = 0, modifier: UInt8 = 0, tone: UInt8 = 0) {
        raw = UInt32(charClass.rawValue) | UInt32(base) << 8 | UInt32(modifier) << 16 | UInt32(tone) << 24
    }

    @inline(__always) package var charClass: CharClass { CharClass(rawValue: UInt8(truncatingIfNeeded: raw)) ?? .other }
    @inline(__always) package var base: UInt8 { UInt8(truncatingIfNeeded: raw >> 8) }
    @inline(__always) package var modifier: UInt8 { UInt8(truncatingIfNeeded: raw >> 16) }
    @inline(__always) package var tone: UInt8 { UInt8(truncatingIfNeeded: raw >> 24) }

    /// Whether the scalar continues a word (a letter or a digit).
    @inline(__always) package var isWordCharacter: Bool {
        let c = UInt8(truncatingIfNeeded: raw)
        return c == CharClass.letter.rawValue || c == CharClass.foreignLetter.rawValue || c == CharClass.digit.rawValue
    }
}
