/// Builds the two keys of a token from its cleaned scalars: the canonical accented key and the
/// folded key.
///
/// The canonical key is the token in NFC, lower case, with Ð/ð read as đ, doubled marks merged and,
/// for a Vietnamese syllable, the tone moved to its canonical vowel (``ToneRule``). The folded key
/// drops every letter modifier and tone mark and writes đ as d. Letters from the character table are
/// handled by table lookups; a token with anything else (other scripts, unusual combining marks) is
/// normalized and lower-cased by ICU instead.
struct KeyBuilder {
    let table: CharTable
    private let toneRule = ToneRule()
    private var letters = ScratchBuffer<Letter>()
    /// The key being built, copied into the output in one piece.
    private var output = ScratchBuffer<UInt8>(capacity: 256)

    init(table: CharTable) {
        self.table = table
    }

    /// Appends the key and then the folded key of the token `scalars` to `bytes`; returns the end
    /// of the key (the folded key runs from there to the new end of `bytes`).
    mutating func build(_ chars: UnsafeBufferPointer<SegmentChar>, into bytes: inout ScratchBuffer<UInt8>) -> Int {
        if decompose(chars) {
            canonicalizeTone()
            return emit(into: &bytes)
        }
        // The rare tokens below are built in an array, then appended.
        var built: [UInt8] = []
        let keyEnd: Int
        if chars.count > Self.maximumICUScalars {
            // Too long to make a key the index takes (see maximumICUScalars): kept as written, so
            // that a hostile run of combining marks costs no quadratic normalization.
            for char in chars { UTF8Decoder.append(char.scalar, to: &built) }
            keyEnd = built.count
            built += built
        } else {
            keyEnd = Self.buildWithICU(chars.map(\.scalar), into: &built)
        }
        let start = bytes.count
        built.withUnsafeBufferPointer { bytes.append(contentsOf: $0) }
        return start + keyEnd
    }

    /// Tokens of more scalars than this skip ICU and keep their text as both keys.
    ///
    /// ICU's normalization reorders a run of combining marks by insertion, in time quadratic in the
    /// run (400 kB of alternating acute and dot-below marks took 13 s); Unicode's stream-safe text
    /// format (UAX #15) bounds such runs at 30 marks for the same reason. A canonical
    /// decomposition has at most 4 scalars, so NFC keeps at least a quarter of the scalars, each
    /// at least one byte: a token of more than 512 scalars has keys of more than 128 bytes, longer
    /// than any key the index stores (120 bytes), with or without ICU.
    static let maximumICUScalars = 512

    /// Splits the scalars into letters; false when the token needs ICU.
    private mutating func decompose(_ chars: UnsafeBufferPointer<SegmentChar>) -> Bool {
        letters.removeAll()
        for char in chars {
            let scalar = char.scalar
            let info = table.info(scalar)
            switch info.charClass {
            case .letter, .foreignLetter, .digit:
                letters.append(Letter(scalar: scalar, info: info))
            case .mark:
                guard !letters.isEmpty else { return false }
                var last = letters[letters.count - 1]
                guard last.charClass == .letter, last.modifier != Modifier.stroke, apply(info, to: &last) else {
                    return false
                }
                letters[letters.count - 1] = last
            case .boundary, .midLetter, .midNum, .midNumLet:
                letters.append(Letter(literal: scalar))
            case .space, .ignorable:
                continue
            case .other:
                guard scalar < 0x80 else { return false }
                letters.append(Letter(literal: scalar))
            }
        }
        return true
    }

    /// Adds a combining modifier or tone to a letter; a repeat of the same mark is merged, a second
    /// different mark of the same kind needs ICU.
    @inline(__always)
    private func apply(_ mark: CharInfo, to letter: inout Letter) -> Bool {
        if mark.modifier != 0 {
            if letter.modifier != 0 && letter.modifier != mark.modifier { return false }
            letter.modifier = mark.modifier
        } else {
            if letter.tone != 0 && letter.tone != mark.tone { return false }
            letter.tone = mark.tone
        }
        return true
    }

    /// Moves the single tone of a Vietnamese syllable to its canonical vowel (``ToneRule``).
    private mutating func canonicalizeTone() {
        var tone = Tone.none
        for letter in letters.elements {
            guard letter.charClass == .letter else { return }
            if letter.tone != 0 {
                if tone != 0 && tone != letter.tone { return }
                tone = letter.tone
            }
        }
        guard tone != 0, let position = toneRule.tonePosition(letters.elements) else { return }
        for index in 0..<letters.count { letters[index].tone = 0 }
        letters[position].tone = tone
    }

    private mutating func emit(into bytes: inout ScratchBuffer<UInt8>) -> Int {
        let letters = letters.elements
        output.removeAll()
        for letter in letters {
            switch letter.charClass {
            case .letter:
                var packed = table.packedComposition(base: letter.base, modifier: letter.modifier, tone: letter.tone)
                while packed > 0xFF {
                    output.append(UInt8(truncatingIfNeeded: packed))
                    packed >>= 8
                }
            case .foreignLetter:
                for byte in table.foreignLetter(letter.scalar)?.key ?? [] { output.append(byte) }
            default:
                appendUTF8(letter.scalar)
            }
        }
        bytes.append(contentsOf: output.elements)
        let keyEnd = bytes.count
        output.removeAll()
        for letter in letters {
            switch letter.charClass {
            case .letter:
                output.append(letter.base)
            case .foreignLetter:
                for byte in table.foreignLetter(letter.scalar)?.folded ?? [] { output.append(byte) }
            default:
                appendUTF8(letter.scalar)
            }
        }
        bytes.append(contentsOf: output.elements)
        return keyEnd
    }

    @inline(__always)
    private mutating func appendUTF8(_ scalar: UInt32) {
        if scalar < 0x80 {
            output.append(UInt8(scalar))
            return
        }
        var bytes: [UInt8] = []
        UTF8Decoder.append(scalar, to: &bytes)
        for byte in bytes { output.append(byte) }
    }

    /// Keys through ICU: NFC, lower case, NFC again; the folded key is the NFD of that without
    /// U+0300-U+036F (the Latin, Greek and Cyrillic diacritics; marks of other scripts such as Thai
    /// vowel signs stay) and with đ as d, recomposed to NFC.
    ///
    /// ICU fails here only when it cannot allocate memory; the token then keeps its text as written.
    private static func buildWithICU(_ scalars: [UInt32], into bytes: inout [UInt8]) -> Int {
        var units: [UInt16] = []
        for scalar in scalars {
            let mapped: UInt32 = (scalar == 0xD0 || scalar == 0xF0) ? 0x110 : scalar
            units.append(contentsOf: UTF16.encode(Unicode.Scalar(mapped) ?? "\u{FFFD}") ?? [])
        }
        let key = (try? ICUText.nfc(ICUText.lowercased(ICUText.nfc(units)))) ?? units
        appendUTF8(key, to: &bytes)
        let keyEnd = bytes.count
        let decomposed = (try? ICUText.nfd(key)) ?? key
        let stripped = decomposed.compactMap { unit -> UInt16? in
            if unit >= 0x300 && unit < 0x370 { return nil }
            return unit == 0x111 ? 0x64 : unit
        }
        appendUTF8((try? ICUText.nfc(stripped)) ?? stripped, to: &bytes)
        return keyEnd
    }

    private static func appendUTF8(_ units: [UInt16], to bytes: inout [UInt8]) {
        for scalar in String(decoding: units, as: UTF16.self).unicodeScalars {
            UTF8Decoder.append(scalar.value, to: &bytes)
        }
    }
}

extension UTF16 {
    /// The UTF-16 code units of one scalar.
    static func encode(_ scalar: Unicode.Scalar) -> [UInt16]? {
        var units: [UInt16] = []
        UTF16.encode(scalar) { units.append($0) }
        return units
    }
}
