/// VIQR, "Vietnamese Quoted-Readable" (RFC 1456): Vietnamese in ASCII, each mark typed as a
/// punctuation character after its vowel, the letter modifier first: `(` breve, `^` circumflex,
/// `+` horn, then `'` acute, `` ` `` grave, `?` hook, `~` tilde, `.` dot below; `dd` is đ. A
/// backslash makes the next mark character literal ("ddi\." is "đi."). "Vie^.t Nam" is "Việt Nam",
/// "ddu+o+`ng" is "đường".
enum VIQR {
    /// One reading of a word.
    struct Reading {
        var scalars: [Unicode.Scalar] = []
        /// Marks applied (dd counts as one).
        var marks = 0
        /// Whether a mark only VIQR writes was applied: a modifier, the grave or the tilde, or dd.
        var strong = false
        /// Backslash escapes removed.
        var escapes = 0
        /// Whether the word's last scalar was read as a mark.
        var lastIsMark = false
        /// The letter runs of `scalars` that carry a mark: each must be a syllable.
        var markedRuns: [Range<Int>] = []
    }

    /// The mark a VIQR character writes.
    enum Mark {
        case modifier(UInt8)
        case tone(UInt8)
    }

    static func mark(_ value: UInt32) -> Mark? {
        switch value {
        case 0x28: .modifier(Modifier.breve)  // (
        case 0x5E: .modifier(Modifier.circumflex)  // ^
        case 0x2B: .modifier(Modifier.horn)  // +
        case 0x27: .tone(Tone.acute)  // '
        case 0x60: .tone(Tone.grave)  // `
        case 0x3F: .tone(Tone.hook)  // ?
        case 0x7E: .tone(Tone.tilde)  // ~
        case 0x2E: .tone(Tone.dot)  // .
        default: nil
        }
    }

    /// Reads `word` (no spaces). With `lastLiteral`, a mark character ending the word is read as
    /// itself (a full stop or a question mark after a vowel-final syllable).
    static func read(_ word: ArraySlice<Unicode.Scalar>, lastLiteral: Bool) -> Reading {
        var reading = Reading()
        var open: (letter: LegacyLetter, index: Int)? = nil
        var runStart: Int? = nil
        var runMarked = false
        func closeRun() {
            if let start = runStart, runMarked { reading.markedRuns.append(start..<reading.scalars.count) }
            runStart = nil
            runMarked = false
        }
        var i = word.startIndex
        while i < word.endIndex {
            let value = word[i].value
            let next = i + 1 < word.endIndex ? word[i + 1].value : 0
            if value == 0x5C, mark(next) != nil || next == 0x5C {  // \ before a mark: the mark is literal
                closeRun()
                open = nil
                reading.scalars.append(word[i + 1])
                reading.escapes += 1
                i += 2
                continue
            }
            if value < 0x80, let ascii = UInt8(exactly: value), VNIWindows.isASCIILetter(ascii) {
                if runStart == nil {
                    runStart = reading.scalars.count
                    if ascii | 0x20 == UInt8(ascii: "d"), next | 0x20 == UInt32(UInt8(ascii: "d")) {
                        let letter = LegacyLetter(base: "d", modifier: Modifier.stroke, upper: ascii < 0x60)
                        reading.scalars.append(letter.scalar ?? word[i])
                        reading.marks += 1
                        reading.strong = true
                        runMarked = true
                        open = nil
                        i += 2
                        continue
                    }
                }
                let letter = LegacyLetter(ascii: ascii)
                open = letter.isVowel ? (letter, reading.scalars.count) : nil
                reading.scalars.append(word[i])
                i += 1
                continue
            }
            let isLast = i + 1 == word.endIndex
            if let mark = mark(value), let (current, index) = open, !(lastLiteral && isLast) {
                var letter = current
                var applied = false
                switch mark {
                case .modifier(let modifier):
                    if letter.accepts(modifier: modifier) {
                        letter.modifier = modifier
                        applied = true
                    }
                case .tone(let tone):
                    if letter.acceptsTone {
                        letter.tone = tone
                        applied = true
                    }
                }
                if applied, let composed = letter.scalar {
                    reading.scalars[index] = composed
                    reading.marks += 1
                    if case .modifier = mark { reading.strong = true }
                    if value == 0x60 || value == 0x7E { reading.strong = true }
                    reading.lastIsMark = isLast
                    runMarked = true
                    open = (letter, index)
                    i += 1
                    continue
                }
            }
            closeRun()
            open = nil
            reading.scalars.append(word[i])
            i += 1
        }
        closeRun()
        return reading
    }

    /// Whether a word is left alone whatever it holds: digits or characters of code, addresses and
    /// formulas ("x^2", "U+00E9", "a?b=c", "user@host", "http://...").
    static func isVerbatim(_ word: ArraySlice<Unicode.Scalar>) -> Bool {
        var previous: UInt32 = 0
        for scalar in word {
            switch scalar.value {
            case 0x30...0x39, 0x40, 0x3D, 0x5F, 0x23, 0x26, 0x25, 0x24, 0x3C, 0x3E, 0x7B, 0x7D, 0x5B, 0x5D, 0x7C, 0x2A:
                return true
            case 0x2F where previous == 0x3A:  // "://"
                return true
            default:
                previous = scalar.value
            }
        }
        return false
    }
}
