/// Where a Vietnamese syllable carries its tone mark: the canonical, "traditional" placement.
///
/// Vietnamese writes the tone of a syllable on one vowel of its nucleus, and two conventions are in
/// wide use for the same syllables: traditional ("hòa", "thủy", "khỏe") and the newer one ("hoà",
/// "thuỷ", "khoẻ"). Both are correct and NFC keeps them distinct, so the analyzer moves the tone to one
/// canonical place before building the key. tra uses the traditional convention (the one most of the
/// Vietnamese Wikipedia uses), decided from the tone-free spelling alone:
///
/// 1. after the onset (with "qu" and "gi" + vowel as onsets), the vowel cluster and the coda are
///    split off; the cluster must be one of the Vietnamese nuclei (a, oa, uyê, ươi, ...), the coda
///    one of c, ch, m, n, ng, nh, p, t;
/// 2. a cluster with a modified vowel (ă â ê ô ơ ư) takes the tone on it, the last one if two
///    ("người", "rượu", "thuở");
/// 3. otherwise a single vowel takes it; with a coda, the last vowel ("hoàn", "huỳnh"); three vowels
///    without a coda, the middle one ("ngoài", "khuỷu"); two without a coda, the first ("hòa", "mùa").
///
/// A token that is not such a syllable keeps its marks where they were written.
struct ToneRule {
    /// The vowel code of a letter: 1...12 for a ă â e ê i o ô ơ u ư y, 0 for anything else.
    @inline(__always)
    static func vowelCode(_ letter: Letter) -> UInt16 {
        guard letter.charClass == .letter else { return 0 }
        switch (letter.base, letter.modifier) {
        case (0x61, Modifier.none): return 1  // a
        case (0x61, Modifier.breve): return 2  // ă
        case (0x61, Modifier.circumflex): return 3  // â
        case (0x65, Modifier.none): return 4  // e
        case (0x65, Modifier.circumflex): return 5  // ê
        case (0x69, Modifier.none): return 6  // i
        case (0x6F, Modifier.none): return 7  // o
        case (0x6F, Modifier.circumflex): return 8  // ô
        case (0x6F, Modifier.horn): return 9  // ơ
        case (0x75, Modifier.none): return 10  // u
        case (0x75, Modifier.horn): return 11  // ư
        case (0x79, Modifier.none): return 12  // y
        default: return 0
        }
    }

    /// The parts of a tone-free Vietnamese syllable: where its vowel cluster lies in the letters and
    /// the packed codes of its onset, cluster and coda.
    struct Parts {
        /// The onset letters packed one byte each (đ as 1); "q" stands for "qu", "g" with
        /// `vowelStart` past an "i" for "gi".
        var onset: UInt32
        /// The vowel cluster (medial, nucleus and glide) is `letters[vowelStart..<vowelEnd]`.
        var vowelStart: Int
        var vowelEnd: Int
        /// The cluster as 4-bit vowel codes (see ``vowelCode(_:)``).
        var cluster: UInt16
        /// The coda letters packed one byte each (0 when there is none).
        var coda: UInt32
    }

    /// The onset, vowel cluster and coda of `letters`, or nil when they are not a Vietnamese
    /// syllable by rule 1 above. Tones on the letters are ignored.
    func parts(_ letters: UnsafeBufferPointer<Letter>) -> Parts? {
        let count = letters.count
        guard count > 0, count <= 8 else { return nil }
        var vowelStart = 0
        while vowelStart < count && Self.vowelCode(letters[vowelStart]) == 0 { vowelStart += 1 }
        var vowelEnd = vowelStart
        while vowelEnd < count && Self.vowelCode(letters[vowelEnd]) != 0 { vowelEnd += 1 }
        guard vowelEnd > vowelStart, let onset = Self.consonantCode(letters, 0..<vowelStart), isOnset(onset),
            let coda = Self.consonantCode(letters, vowelEnd..<count), coda <= 0xFFFF, codas[Int(coda)]
        else { return nil }
        // "qu" and "gi" before another vowel: the u and the i belong to the onset.
        if onset == 0x71 {  // q
            guard vowelEnd - vowelStart >= 2, Self.vowelCode(letters[vowelStart]) == 10 else { return nil }
            vowelStart += 1
        } else if onset == 0x67 && vowelEnd - vowelStart >= 2 && Self.vowelCode(letters[vowelStart]) == 6 {  // g
            vowelStart += 1
        }
        guard vowelEnd - vowelStart <= 3 else { return nil }
        var cluster: UInt16 = 0
        for index in vowelStart..<vowelEnd { cluster = cluster << 4 | Self.vowelCode(letters[index]) }
        guard nuclei[Int(cluster)], vowelEnd == count || closable[Int(cluster)] else { return nil }
        return Parts(onset: onset, vowelStart: vowelStart, vowelEnd: vowelEnd, cluster: cluster, coda: coda)
    }

    /// The index in `letters` that carries the tone in canonical spelling, or nil when the letters
    /// are not a Vietnamese syllable. Tones already on the letters are ignored.
    func tonePosition(_ letters: UnsafeBufferPointer<Letter>) -> Int? {
        guard let parts = parts(letters) else { return nil }
        let (vowelStart, vowelEnd) = (parts.vowelStart, parts.vowelEnd)
        if let modified = (vowelStart..<vowelEnd).last(where: { letters[$0].modifier != Modifier.none }) {
            return modified
        }
        let length = vowelEnd - vowelStart
        if length == 1 || vowelEnd < letters.count { return vowelEnd - 1 }
        return length == 3 ? vowelStart + 1 : vowelStart
    }

    /// The consonant letters in `range` packed into one integer (đ as 1), nil if one is not a
    /// plain consonant.
    private static func consonantCode(_ letters: UnsafeBufferPointer<Letter>, _ range: Range<Int>) -> UInt32? {
        guard range.count <= 3 else { return nil }
        var value: UInt32 = 0
        for index in range {
            let letter = letters[index]
            guard letter.charClass == .letter else { return nil }
            let byte: UInt8
            if letter.modifier == Modifier.stroke {
                byte = 1
            } else if letter.modifier == Modifier.none {
                byte = letter.base
            } else {
                return nil
            }
            value = value << 8 | UInt32(byte)
        }
        return value
    }

    static func code(_ text: String) -> UInt32 {
        text.utf8.reduce(0) { $0 << 8 | UInt32($1) }
    }

    @inline(__always)
    private func isOnset(_ code: UInt32) -> Bool {
        code <= 0xFFFF ? onsets[Int(code)] : code == 0x6E_6768  // "ngh"
    }

    /// Vietnamese onsets of one or two letters, as a table indexed by their code; "q" stands for
    /// "qu" and "g" covers "gi" (checked above); "ngh" is the only three-letter onset.
    private let onsets: [Bool] = Self.consonantTable(
        [
            "", "b", "c", "ch", "d", "\u{01}", "g", "gh", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p",
            "ph", "q", "r", "s", "t", "th", "tr", "v", "x",
        ])

    private let codas: [Bool] = Self.consonantTable(["", "c", "ch", "m", "n", "ng", "nh", "p", "t"])

    private static func consonantTable(_ clusters: [String]) -> [Bool] {
        var table = [Bool](repeating: false, count: 1 << 16)
        for cluster in clusters where cluster.utf8.count <= 2 { table[Int(code(cluster))] = true }
        return table
    }

    /// Tone-free Vietnamese vowel clusters (nuclei with their medials and glides), as a table
    /// indexed by cluster code (three 4-bit vowel codes).
    private let nuclei: [Bool] = Self.table([
        "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
        "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi",
        "oo", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê",
        "iêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu",
    ])

    /// The clusters that can be followed by a coda ("hoàn", "tiếng"); the others end the syllable
    /// ("hai", "mùa"), so "Léon" is no Vietnamese syllable and keeps its accent where it is.
    private let closable: [Bool] = Self.table([
        "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
        "iê", "oa", "oă", "oe", "oo", "uâ", "uê", "uô", "uy", "ươ", "yê", "uyê",
    ])

    private static func table(_ clusters: [String]) -> [Bool] {
        var table = [Bool](repeating: false, count: 1 << 12)
        for cluster in clusters { table[Int(clusterCode(cluster))] = true }
        return table
    }

    /// The code of a tone-free vowel cluster written in NFC ("oa", "ươ"), as ``Parts/cluster``.
    static func clusterCode(_ cluster: String) -> UInt16 {
        let vowels = Array("aăâeêioôơuưy")
        return cluster.reduce(0) { $0 << 4 | UInt16((vowels.firstIndex(of: $1) ?? -1) + 1) }
    }
}
