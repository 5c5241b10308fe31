/// A syllable being typed key by key: its letters (ASCII base and modifier) and its tone, as an input
/// method keeps them. ``InputMethodDecoder`` drives it.
struct KeyedSyllable {
    struct KeyedLetter {
        var base: UInt8
        var modifier: UInt8 = Modifier.none
    }

    private(set) var letters: [KeyedLetter] = []
    private(set) var tone = Tone.none
    /// The tone key that set ``tone`` (pressing it again takes the tone back).
    private var toneKey: UInt8 = 0

    /// Whether a key made a mark: a modifier or a tone.
    var hasMark: Bool { tone != Tone.none || letters.contains { $0.modifier != Modifier.none } }

    private var hasVowel: Bool { letters.contains { Self.isVowel($0.base) } }

    static func isVowel(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"),
            UInt8(ascii: "y"):
            return true
        default: return false
        }
    }

    /// The last run of vowel letters.
    private var lastVowelRun: Range<Int>? {
        guard let last = letters.lastIndex(where: { Self.isVowel($0.base) }) else { return nil }
        var first = last
        while first > 0 && Self.isVowel(letters[first - 1].base) { first -= 1 }
        return first..<last + 1
    }

    // MARK: Telex

    /// Applies Telex keys; false when a key cannot apply (then the word is no Telex syllable).
    mutating func typeTelex(_ keys: [UInt8]) -> Bool {
        for key in keys {
            switch key {
            case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "o"):
                if let last = letters.indices.last, letters[last].base == key {
                    if letters[last].modifier == Modifier.none {
                        letters[last].modifier = Modifier.circumflex
                        continue
                    }
                    if letters[last].modifier == Modifier.circumflex {
                        // A third key takes the circumflex back and types the letter ("aaa" is "aa").
                        letters[last].modifier = Modifier.none
                    }
                }
                letters.append(KeyedLetter(base: key))
            case UInt8(ascii: "w"):
                if !applyHorn(breve: true) {
                    guard !hasVowel else { return false }
                    letters.append(KeyedLetter(base: UInt8(ascii: "u"), modifier: Modifier.horn))
                }
            case UInt8(ascii: "d"):
                if letters.count == 1 && letters[0].base == key && letters[0].modifier == Modifier.none {
                    letters[0].modifier = Modifier.stroke
                } else {
                    letters.append(KeyedLetter(base: key))
                }
            case UInt8(ascii: "s"), UInt8(ascii: "f"), UInt8(ascii: "r"), UInt8(ascii: "x"), UInt8(ascii: "j"):
                guard hasVowel else {
                    letters.append(KeyedLetter(base: key))
                    continue
                }
                setTone(key: key, Self.telexTone(key))
            case UInt8(ascii: "z"):
                guard hasVowel else { return false }
                tone = Tone.none
                toneKey = 0
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                return false
            default:
                letters.append(KeyedLetter(base: key))
            }
        }
        repairUwo()
        return true
    }

    private static func telexTone(_ key: UInt8) -> UInt8 {
        switch key {
        case UInt8(ascii: "s"): return Tone.acute
        case UInt8(ascii: "f"): return Tone.grave
        case UInt8(ascii: "r"): return Tone.hook
        case UInt8(ascii: "x"): return Tone.tilde
        default: return Tone.dot
        }
    }

    // MARK: VNI

    /// Applies VNI keys; false when a key cannot apply.
    mutating func typeVNI(_ keys: [UInt8]) -> Bool {
        for key in keys {
            switch key {
            case UInt8(ascii: "1")...UInt8(ascii: "5"):
                guard hasVowel else { return false }
                setTone(key: key, Self.vniTone(key))
            case UInt8(ascii: "0"):
                guard hasVowel else { return false }
                tone = Tone.none
                toneKey = 0
            case UInt8(ascii: "6"):
                guard let run = lastVowelRun,
                    let i = run.last(where: {
                        letters[$0].modifier == Modifier.none
                            && [UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "o")].contains(letters[$0].base)
                    })
                else { return false }
                letters[i].modifier = Modifier.circumflex
            case UInt8(ascii: "7"):
                guard applyHorn(breve: false) else { return false }
            case UInt8(ascii: "8"):
                guard let run = lastVowelRun,
                    let i = run.last(where: {
                        letters[$0].base == UInt8(ascii: "a") && letters[$0].modifier == Modifier.none
                    })
                else { return false }
                letters[i].modifier = Modifier.breve
            case UInt8(ascii: "9"):
                guard
                    let i = letters.lastIndex(where: {
                        $0.base == UInt8(ascii: "d") && $0.modifier == Modifier.none
                    })
                else { return false }
                letters[i].modifier = Modifier.stroke
            default:
                letters.append(KeyedLetter(base: key))
            }
        }
        repairUwo()
        return true
    }

    private static func vniTone(_ key: UInt8) -> UInt8 {
        switch key {
        case UInt8(ascii: "1"): return Tone.acute
        case UInt8(ascii: "2"): return Tone.grave
        case UInt8(ascii: "3"): return Tone.hook
        case UInt8(ascii: "4"): return Tone.tilde
        default: return Tone.dot
        }
    }

    // MARK: Shared rules

    /// Sets the tone of a tone key; the same key twice takes the tone back and types the key.
    private mutating func setTone(key: UInt8, _ value: UInt8) {
        if key == toneKey && tone == value {
            tone = Tone.none
            toneKey = 0
            letters.append(KeyedLetter(base: key))
        } else {
            tone = value
            toneKey = key
        }
    }

    /// The horn (Telex w, VNI 7) on the last vowel run: "uo" takes it on both letters (ươ), else the
    /// last o or u; for Telex, an a takes a breve. False when no vowel there takes it.
    private mutating func applyHorn(breve: Bool) -> Bool {
        guard let run = lastVowelRun else { return false }
        for i in run.dropLast() where letters[i].base == UInt8(ascii: "u") && letters[i + 1].base == UInt8(ascii: "o") {
            if letters[i + 1].modifier == Modifier.none
                && (letters[i].modifier == Modifier.none || letters[i].modifier == Modifier.horn)
            {
                letters[i].modifier = Modifier.horn
                letters[i + 1].modifier = Modifier.horn
                return true
            }
        }
        guard
            let i = run.last(where: {
                letters[$0].modifier == Modifier.none
                    && (letters[$0].base == UInt8(ascii: "o") || letters[$0].base == UInt8(ascii: "u")
                        || (breve && letters[$0].base == UInt8(ascii: "a")))
            })
        else { return false }
        letters[i].modifier = letters[i].base == UInt8(ascii: "a") ? Modifier.breve : Modifier.horn
        return true
    }

    /// "ưo" before more letters is always "ươ" (the input methods write it so: "uwong" is "ương").
    private mutating func repairUwo() {
        guard letters.count >= 3 else { return }
        for i in 0..<letters.count - 2
        where letters[i].base == UInt8(ascii: "u") && letters[i].modifier == Modifier.horn
            && letters[i + 1].base == UInt8(ascii: "o") && letters[i + 1].modifier == Modifier.none
        {
            letters[i + 1].modifier = Modifier.horn
        }
    }

    // MARK: Output

    /// The syllable in NFC with its tone on the canonical vowel; nil when it has a tone and its
    /// letters are no Vietnamese syllable (nowhere to put the tone), or no vowel.
    func compose(_ table: CharTable, _ toneRule: ToneRule) -> String? {
        guard hasVowel else { return nil }
        var toneAt: Int? = nil
        if tone != Tone.none {
            let spelled = letters.map {
                Letter(scalar: UInt32($0.base), info: CharInfo(.letter, base: $0.base, modifier: $0.modifier))
            }
            toneAt = spelled.withUnsafeBufferPointer { toneRule.tonePosition($0) }
            guard toneAt != nil else { return nil }
        }
        var bytes: [UInt8] = []
        for (i, letter) in letters.enumerated() {
            var packed = table.packedComposition(
                base: letter.base, modifier: letter.modifier, tone: i == toneAt ? tone : Tone.none)
            while packed > 0xFF {
                bytes.append(UInt8(truncatingIfNeeded: packed))
                packed >>= 8
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
