/// VNI-Windows, the encoding of the `VNI-Times` fonts: a vowel is its ASCII letter followed by one
/// byte for its marks; ơ ư đ, the five toned i and ỵ have bytes of their own.
///
/// The mark bytes, as Windows-1252 shows them (lower case; the capital fonts use the upper-case
/// twin of each, and either case is accepted after either case of letter):
///
/// | marks | byte | | marks | byte | | marks | byte |
/// |---|---|---|---|---|---|---|---|
/// | acute | ù | | circumflex | â | | breve | ê |
/// | grave | ø | | circumflex + acute | á | | breve + acute | é |
/// | hook | û | | circumflex + grave | à | | breve + grave | è |
/// | tilde | õ | | circumflex + hook | å | | breve + hook | ú |
/// | dot below | ï | | circumflex + tilde | ã | | breve + tilde | ü |
/// | | | | circumflex + dot | ä | | breve + dot | ë |
///
/// Letters: ô ơ, ö ư, ñ đ, í í, ì ì, æ ỉ, ó ĩ, ò ị, î ỵ. So "Vieät Nam" is "Việt Nam", "ñöôøng" is
/// "đường". A mark byte that follows no letter it can mark stays what it is.
enum VNIWindows {
    /// What a byte at 0xC0-0xFF means.
    enum Meaning {
        case tone(UInt8)
        case modifier(UInt8, tone: UInt8)
        case letter(LegacyLetter)
    }

    /// The meaning of the Latin-1 scalar `value` (0xC0-0xFF), nil when it has none in VNI.
    static func meaning(_ value: UInt32) -> Meaning? {
        guard value >= 0xC0 && value <= 0xFF, value != 0xD7, value != 0xF7, value != 0xDF else { return nil }
        let upper = value < 0xE0
        switch value | 0x20 {
        case 0xF9: return .tone(Tone.acute)
        case 0xF8: return .tone(Tone.grave)
        case 0xFB: return .tone(Tone.hook)
        case 0xF5: return .tone(Tone.tilde)
        case 0xEF: return .tone(Tone.dot)
        case 0xE2: return .modifier(Modifier.circumflex, tone: Tone.none)
        case 0xE1: return .modifier(Modifier.circumflex, tone: Tone.acute)
        case 0xE0: return .modifier(Modifier.circumflex, tone: Tone.grave)
        case 0xE5: return .modifier(Modifier.circumflex, tone: Tone.hook)
        case 0xE3: return .modifier(Modifier.circumflex, tone: Tone.tilde)
        case 0xE4: return .modifier(Modifier.circumflex, tone: Tone.dot)
        case 0xEA: return .modifier(Modifier.breve, tone: Tone.none)
        case 0xE9: return .modifier(Modifier.breve, tone: Tone.acute)
        case 0xE8: return .modifier(Modifier.breve, tone: Tone.grave)
        case 0xFA: return .modifier(Modifier.breve, tone: Tone.hook)
        case 0xFC: return .modifier(Modifier.breve, tone: Tone.tilde)
        case 0xEB: return .modifier(Modifier.breve, tone: Tone.dot)
        case 0xF4: return .letter(LegacyLetter(base: "o", modifier: Modifier.horn, upper: upper))
        case 0xF6: return .letter(LegacyLetter(base: "u", modifier: Modifier.horn, upper: upper))
        case 0xF1: return .letter(LegacyLetter(base: "d", modifier: Modifier.stroke, upper: upper))
        case 0xED: return .letter(LegacyLetter(base: "i", tone: Tone.acute, upper: upper))
        case 0xEC: return .letter(LegacyLetter(base: "i", tone: Tone.grave, upper: upper))
        case 0xE6: return .letter(LegacyLetter(base: "i", tone: Tone.hook, upper: upper))
        case 0xF3: return .letter(LegacyLetter(base: "i", tone: Tone.tilde, upper: upper))
        case 0xF2: return .letter(LegacyLetter(base: "i", tone: Tone.dot, upper: upper))
        case 0xEE: return .letter(LegacyLetter(base: "y", tone: Tone.dot, upper: upper))
        default: return nil
        }
    }

    /// Decodes one word (no spaces) read as Windows-1252 into NFC scalars, appended to `output`.
    static func decode(_ word: ArraySlice<Unicode.Scalar>, into output: inout [Unicode.Scalar]) {
        // The letter being built and its index in `output`: marks may still attach to it.
        var open: (letter: LegacyLetter, index: Int)? = nil
        for scalar in word {
            let value = scalar.value
            if value < 0x80, let ascii = UInt8(exactly: value), Self.isASCIILetter(ascii) {
                let letter = LegacyLetter(ascii: ascii)
                open = letter.isVowel ? (letter, output.count) : nil
                output.append(scalar)
                continue
            }
            switch meaning(value) {
            case .tone(let tone)?:
                if let (current, index) = open, current.acceptsTone {
                    var letter = current
                    letter.tone = tone
                    if let composed = letter.scalar {
                        output[index] = composed
                        open = nil
                        continue
                    }
                }
            case .modifier(let modifier, let tone)?:
                if let (current, index) = open, current.accepts(modifier: modifier) {
                    var letter = current
                    letter.modifier = modifier
                    letter.tone = tone
                    if let composed = letter.scalar {
                        output[index] = composed
                        open = tone == Tone.none ? (letter, index) : nil
                        continue
                    }
                }
            case .letter(let letter)?:
                if let composed = letter.scalar {
                    open = letter.tone == Tone.none && letter.isVowel ? (letter, output.count) : nil
                    output.append(composed)
                    continue
                }
            case nil:
                break
            }
            open = nil
            output.append(scalar)
        }
    }

    @inline(__always)
    static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }
}
