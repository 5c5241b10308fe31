/// A Vietnamese letter being assembled from a legacy encoding's pieces: an ASCII base, a letter
/// modifier and a tone (the constants of ``Modifier`` and ``Tone``), and its case.
struct LegacyLetter: Equatable {
    /// The lower-case ASCII base letter.
    var base: UInt8
    var modifier: UInt8 = Modifier.none
    var tone: UInt8 = Tone.none
    var upper: Bool

    /// The letter for an ASCII letter byte.
    init(ascii: UInt8) {
        upper = ascii >= UInt8(ascii: "A") && ascii <= UInt8(ascii: "Z")
        base = upper ? ascii + 32 : ascii
    }

    init(base: Character, modifier: UInt8 = Modifier.none, tone: UInt8 = Tone.none, upper: Bool) {
        self.base = base.asciiValue ?? 0
        self.modifier = modifier
        self.tone = tone
        self.upper = upper
    }

    /// Whether the letter is one of the Vietnamese vowels a e i o u y (with any modifier).
    var isVowel: Bool { Self.vowelRow(base, Modifier.none) != nil }

    /// Whether `modifier` may be added: circumflex on a e o, breve on a, horn on o u, and only to a
    /// letter that has neither a modifier nor a tone yet.
    func accepts(modifier added: UInt8) -> Bool {
        guard modifier == Modifier.none, tone == Tone.none else { return false }
        return Self.vowelRow(base, added) != nil
    }

    /// Whether a tone may be added: a vowel without one.
    var acceptsTone: Bool { tone == Tone.none && Self.vowelRow(base, modifier) != nil }

    /// The letter as one NFC scalar (đ for d with the stroke), or nil when it has no such scalar.
    var scalar: Unicode.Scalar? {
        if base == UInt8(ascii: "d") && modifier == Modifier.stroke {
            return upper ? "\u{110}" : "\u{111}"
        }
        if modifier == Modifier.none && tone == Tone.none { return Unicode.Scalar(upper ? base - 32 : base) }
        guard let row = Self.vowelRow(base, modifier) else { return nil }
        return (upper ? Self.upperVowels : Self.lowerVowels)[row * 6 + Int(tone)]
    }

    /// Rows of the vowel tables: a ă â e ê i o ô ơ u ư y.
    private static func vowelRow(_ base: UInt8, _ modifier: UInt8) -> Int? {
        switch (base, modifier) {
        case (UInt8(ascii: "a"), Modifier.none): 0
        case (UInt8(ascii: "a"), Modifier.breve): 1
        case (UInt8(ascii: "a"), Modifier.circumflex): 2
        case (UInt8(ascii: "e"), Modifier.none): 3
        case (UInt8(ascii: "e"), Modifier.circumflex): 4
        case (UInt8(ascii: "i"), Modifier.none): 5
        case (UInt8(ascii: "o"), Modifier.none): 6
        case (UInt8(ascii: "o"), Modifier.circumflex): 7
        case (UInt8(ascii: "o"), Modifier.horn): 8
        case (UInt8(ascii: "u"), Modifier.none): 9
        case (UInt8(ascii: "u"), Modifier.horn): 10
        case (UInt8(ascii: "y"), Modifier.none): 11
        default: nil
        }
    }

    /// Each vowel row without a tone, then with the grave, acute, hook, tilde and dot below (the
    /// order of ``Tone``), in NFC.
    private static let lowerVowels = Array(
        "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ".unicodeScalars)
    private static let upperVowels = Array(
        "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬEÈÉẺẼẸÊỀẾỂỄỆIÌÍỈĨỊOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢUÙÚỦŨỤƯỪỨỬỮỰYỲÝỶỸỴ".unicodeScalars)
}
