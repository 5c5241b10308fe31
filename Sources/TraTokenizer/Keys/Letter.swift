/// One letter of a token while its keys are built: the scalar as written and its decomposition.
struct Letter: BitwiseCopyable {
    /// The scalar as it appears in the cleaned text (for literals and foreign letters).
    var scalar: UInt32
    var charClass: CharClass
    /// Lower-case ASCII base for `.letter`, the digit for `.digit`.
    var base: UInt8
    var modifier: UInt8
    var tone: UInt8

    @inline(__always)
    init(scalar: UInt32, info: CharInfo) {
        self.scalar = scalar
        self.charClass = info.charClass
        self.base = info.base
        self.modifier = info.modifier
        self.tone = info.tone
    }

    /// A non-letter character kept as written (punctuation inside a number such as "1.000").
    @inline(__always)
    init(literal scalar: UInt32) {
        self.scalar = scalar
        self.charClass = .boundary
        self.base = 0
        self.modifier = 0
        self.tone = 0
    }

    /// Whether this is a vowel letter a, ă, â, e, ê, i, o, ô, ơ, u, ư or y (modifier checked).
    var isVietnameseVowel: Bool { ToneRule.vowelCode(self) != 0 }
}
