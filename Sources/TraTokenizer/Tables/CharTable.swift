/// The analyzer's character table: class and decomposition of every scalar below U+2070, plus the
/// composition table that turns (base, modifier, tone) back into NFC text.
///
/// The table is derived from ICU once per process (lower-case mapping, NFD decomposition, NFC
/// composition, White_Space), so the hot loops never call ICU for Latin and Vietnamese text, yet
/// cannot disagree with it. Tests compare every entry against ICU again.
package final class CharTable: Sendable {
    /// Scalars below this value have an entry; above it only U+3000 (space) and U+FEFF (ignorable)
    /// are classified, everything else is `.other`.
    package static let limit: UInt32 = 0x2070

    private let entries: [UInt32]
    /// UTF-8 of every (base, modifier, tone) composition; see ``packedComposition(base:modifier:tone:)``.
    private let packedCompositions: [UInt64]
    /// Keys and folded keys of the letters in class `.foreignLetter`.
    private let foreign: [UInt32: ForeignLetter]

    package struct ForeignLetter: Sendable {
        package let key: [UInt8]
        package let folded: [UInt8]
    }

    /// The shared table, built on first use.
    package static func shared() throws(ICUError) -> CharTable {
        switch cached {
        case .success(let table): return table
        case .failure(let error): throw error
        }
    }

    private static let cached: Result<CharTable, ICUError> = Result { () throws(ICUError) in try CharTable() }

    private init() throws(ICUError) {
        var entries = [UInt32](repeating: CharInfo(.other).raw, count: Int(Self.limit))
        var foreign: [UInt32: ForeignLetter] = [:]
        for scalar in 0..<Self.limit {
            if scalar >= 0xD800 && scalar < 0xE000 { continue }
            let (info, letter) = try Self.classify(scalar)
            entries[Int(scalar)] = info.raw
            if let letter { foreign[scalar] = letter }
        }
        var packed: [UInt64] = []
        for base in UInt8(ascii: "a")...UInt8(ascii: "z") {
            for modifier in 0...Modifier.stroke {
                for tone in 0...Tone.dot {
                    // At most 7 bytes fit above the marker; every composition here has at most 5.
                    let bytes = try Self.compose(base: base, modifier: modifier, tone: tone).prefix(7)
                    packed.append(bytes.reversed().reduce(UInt64(1)) { $0 << 8 | UInt64($1) })
                }
            }
        }
        self.entries = entries
        self.packedCompositions = packed
        self.foreign = foreign
    }

    /// The entry of `scalar`.
    @inline(__always)
    package func info(_ scalar: UInt32) -> CharInfo {
        if scalar < Self.limit { return entries.withUnsafeBufferPointer { CharInfo(raw: $0[Int(scalar)]) } }
        if scalar == 0x3000 { return CharInfo(.space) }
        if scalar == 0xFEFF { return CharInfo(.ignorable) }
        return CharInfo(.other)
    }

    /// The NFC UTF-8 bytes of an ASCII `base` letter with a modifier and a tone, packed
    /// little-endian into a `UInt64` above a final 0x01 marker byte: append the low byte and shift
    /// right by 8 while the value is above 0xFF.
    @inline(__always)
    package func packedComposition(base: UInt8, modifier: UInt8, tone: UInt8) -> UInt64 {
        let index = (Int(base &- UInt8(ascii: "a")) * 5 + Int(modifier)) * 6 + Int(tone)
        return packedCompositions.withUnsafeBufferPointer { $0[index] }
    }

    /// The key and folded key of a `.foreignLetter` scalar.
    package func foreignLetter(_ scalar: UInt32) -> ForeignLetter? { foreign[scalar] }
}

extension CharTable {
    /// Vietnamese combining marks: the tone or modifier each one writes.
    static let vietnameseMarks: [UInt32: CharInfo] = [
        0x0300: CharInfo(.mark, tone: Tone.grave), 0x0340: CharInfo(.mark, tone: Tone.grave),
        0x0301: CharInfo(.mark, tone: Tone.acute), 0x0341: CharInfo(.mark, tone: Tone.acute),
        0x0309: CharInfo(.mark, tone: Tone.hook), 0x0303: CharInfo(.mark, tone: Tone.tilde),
        0x0323: CharInfo(.mark, tone: Tone.dot), 0x0302: CharInfo(.mark, modifier: Modifier.circumflex),
        0x0306: CharInfo(.mark, modifier: Modifier.breve), 0x031B: CharInfo(.mark, modifier: Modifier.horn),
    ]

    /// Punctuation above ASCII that is always a word boundary (UAX #29 class Other).
    static let boundaryPunctuation: Set<UInt32> = [
        0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAB, 0xAC, 0xAE, 0xAF, 0xB0, 0xB1, 0xB4, 0xB6, 0xB8,
        0xBB, 0xBF, 0xD7, 0xF7, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x201C, 0x201D, 0x201E, 0x2020,
        0x2021, 0x2022, 0x2026, 0x2030, 0x2032, 0x2033, 0x2039, 0x203A,
    ]

    /// Zero-width characters the analyzer removes before segmentation.
    static let ignorables: Set<UInt32> = [0xAD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]

    private static func classify(_ scalar: UInt32) throws(ICUError) -> (CharInfo, ForeignLetter?) {
        // ICU's word rules (CLDR root) count "@" as a letter, so e-mail addresses stay one segment;
        // the analyzer then splits them at "@" (``Analyzer/isInnerPunctuation(_:)``).
        if scalar == 0x40 { return (CharInfo(.foreignLetter), ForeignLetter(key: [0x40], folded: [0x40])) }
        if scalar < 0x80 { return (asciiInfo(UInt8(scalar)), nil) }
        if ignorables.contains(scalar) { return (CharInfo(.ignorable), nil) }
        if ICUText.isWhiteSpace(scalar) { return (CharInfo(.space), nil) }
        if let mark = vietnameseMarks[scalar] { return (mark, nil) }
        if boundaryPunctuation.contains(scalar) { return (CharInfo(.boundary), nil) }
        switch scalar {
        case 0x2018, 0x2019, 0x2024: return (CharInfo(.midNumLet), nil)
        case 0xB7, 0x2027: return (CharInfo(.midLetter), nil)
        // Ð and ð (eth) stand for Đ in real Vietnamese text: read them as đ.
        case 0xD0, 0xF0, 0x110, 0x111:
            return (CharInfo(.letter, base: UInt8(ascii: "d"), modifier: Modifier.stroke), nil)
        case 0xAA, 0xB5, 0xBA, 0xC0..<0x250, 0x1E00..<0x1F00: return try letterInfo(scalar)
        default: return (CharInfo(.other), nil)
        }
    }

    private static func asciiInfo(_ byte: UInt8) -> CharInfo {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return CharInfo(.letter, base: byte)
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return CharInfo(.letter, base: byte + 32)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return CharInfo(.digit, base: byte)
        case 0x09...0x0D, 0x20: return CharInfo(.space)
        case UInt8(ascii: "."), UInt8(ascii: "'"): return CharInfo(.midNumLet)
        case UInt8(ascii: ":"): return CharInfo(.midLetter)
        case UInt8(ascii: ","), UInt8(ascii: ";"): return CharInfo(.midNum)
        // ExtendNumLet joins on either side: ICU segments chunks that contain it.
        case UInt8(ascii: "_"): return CharInfo(.other)
        default: return CharInfo(.boundary)
        }
    }

    /// Classifies a Latin letter by asking ICU for its lower-case form and that form's NFD.
    private static func letterInfo(_ scalar: UInt32) throws(ICUError) -> (CharInfo, ForeignLetter?) {
        // General categories Lu, Ll, Lt, Lm, Lo are 1...5 in ICU's UCharCategory.
        let category = ICUText.category(scalar)
        guard (1...5).contains(category), scalar < 0x10000 else { return (CharInfo(.other), nil) }
        let lower = try ICUText.lowercased([UInt16(scalar)])
        // A letter whose lower-case form is not one scalar (İ) is left to ICU.
        guard lower.count == 1, !(0xD800..<0xE000).contains(lower[0]) else { return (CharInfo(.other), nil) }
        let decomposed = try ICUText.nfd(lower)
        if let info = vietnameseDecomposition(decomposed) {
            let recomposed = try compose(base: info.base, modifier: info.modifier, tone: info.tone)
            if recomposed == utf8(lower) { return (info, nil) }
        }
        let stripped = try ICUText.nfc(decomposed.filter { !(0x300..<0x370).contains($0) })
        return (CharInfo(.foreignLetter), ForeignLetter(key: utf8(lower), folded: utf8(stripped)))
    }

    /// (base, modifier, tone) when `units` is an ASCII letter followed by at most one Vietnamese
    /// modifier mark and at most one tone mark, in either order (NFD puts the dot below of ậ, ặ, ệ
    /// and ộ before their circumflex or breve).
    private static func vietnameseDecomposition(_ units: [UInt16]) -> CharInfo? {
        guard let first = units.first, first >= 0x61, first <= 0x7A else { return nil }
        var modifier = Modifier.none
        var tone = Tone.none
        for unit in units.dropFirst() {
            guard let mark = vietnameseMarks[UInt32(unit)] else { return nil }
            if mark.modifier != 0 {
                guard modifier == 0 else { return nil }
                modifier = mark.modifier
            } else {
                guard tone == 0 else { return nil }
                tone = mark.tone
            }
        }
        return CharInfo(.letter, base: UInt8(first), modifier: modifier, tone: tone)
    }

    /// The NFC form of base + modifier mark + tone mark, computed by ICU.
    private static func compose(base: UInt8, modifier: UInt8, tone: UInt8) throws(ICUError) -> [UInt8] {
        if modifier == Modifier.stroke && base != UInt8(ascii: "d") { return [] }
        var units: [UInt16] = [modifier == Modifier.stroke ? 0x0111 : UInt16(base)]
        if modifier != 0 && modifier != Modifier.stroke { units.append(UInt16(Modifier.combining[Int(modifier)])) }
        if tone != 0 { units.append(UInt16(Tone.combining[Int(tone)])) }
        return utf8(try ICUText.nfc(units))
    }

    private static func utf8(_ units: [UInt16]) -> [UInt8] {
        var bytes: [UInt8] = []
        for scalar in String(decoding: units, as: UTF16.self).unicodeScalars {
            UTF8Decoder.append(scalar.value, to: &bytes)
        }
        return bytes
    }
}
