/// Decides whether a word is a Vietnamese syllable, from the rules of Vietnamese phonotactics and
/// spelling (not from a word list), and splits it into onset, vowel cluster, coda and tone.
///
/// The rules, on top of the onset / cluster / coda inventory of ``ToneRule``:
/// 1. a syllable ending in p, t, c or ch takes only the acute (sắc) or the dot-below (nặng) tone;
/// 2. ch and nh close only a, ê, i and the clusters oa, uê, uy ("anh", "ếch", "tình", "hoạch",
///    "quỳnh");
/// 3. the clusters written with a short or centring vowel need a coda: ă, â, oă, uâ, iê, yê, uô,
///    ươ, uyê, and oo (only before ng and c: "xoong", "soóc");
/// 4. the /k/, /ɣ/ and /ŋ/ onsets are spelled k, gh, ngh before i, e, ê (and k before y) and c, g,
///    ng elsewhere; q is only written as qu, which takes no second medial ("quoa" is no syllable);
/// 5. the diphthong iê is written yê at the start of a syllable or after the medial u ("yên",
///    "khuyên") and iê after any other onset ("tiên"); ya only as uya ("khuya");
/// 6. one tone mark at most, on a vowel of the cluster (either placement convention is accepted).
///
/// Upper and lower case, NFC and NFD are all accepted. Loan syllables that break these rules
/// ("xoong" follows them; "boong" too) and abbreviations ("HTML") are not syllables here.
public struct SyllableChecker: Sendable {
    private let table: CharTable
    private let rule = ToneRule()

    /// Loads the analyzer's character table (built from ICU once per process).
    public init() throws(ICUError) {
        table = try CharTable.shared()
    }

    /// Whether `word` is one Vietnamese syllable.
    public func isValid(_ word: some StringProtocol) -> Bool {
        guard let letters = letters(of: word) else { return false }
        return letters.withUnsafeBufferPointer { check($0) != nil }
    }

    /// The parts of `word` when it is one Vietnamese syllable, nil otherwise.
    public func parse(_ word: some StringProtocol) -> Syllable? {
        guard let letters = letters(of: word) else { return nil }
        return letters.withUnsafeBufferPointer { parse(letters: $0) }
    }

    /// The parts of the decomposed `letters` when they form one Vietnamese syllable.
    func parse(letters: UnsafeBufferPointer<Letter>) -> Syllable? {
        guard let (parts, tone) = check(letters) else { return nil }
        let canonical = rule.tonePosition(letters) ?? parts.vowelStart
        return Syllable(
            onset: spell(letters[0..<parts.vowelStart]),
            vowels: spell(letters[parts.vowelStart..<parts.vowelEnd]),
            coda: spell(letters[parts.vowelEnd...]),
            tone: Syllable.Tone(rawValue: tone) ?? .level,
            spelling: spell(letters[...], tone: tone, at: canonical))
    }

    /// The letters of `word` (marks applied), nil when it holds anything but Vietnamese letters and
    /// marks or more than 8 letters.
    private func letters(of word: some StringProtocol) -> [Letter]? {
        var letters: [Letter] = []
        for scalar in word.unicodeScalars {
            let info = table.info(scalar.value)
            switch info.charClass {
            case .letter:
                guard letters.count < 8 else { return nil }
                letters.append(Letter(scalar: scalar.value, info: info))
            case .mark:
                guard var last = letters.popLast(), last.charClass == .letter, last.modifier != Modifier.stroke else {
                    return nil
                }
                if info.modifier != 0 {
                    guard last.modifier == 0 || last.modifier == info.modifier else { return nil }
                    last.modifier = info.modifier
                } else {
                    guard last.tone == 0 || last.tone == info.tone else { return nil }
                    last.tone = info.tone
                }
                letters.append(last)
            default:
                return nil
            }
        }
        return letters
    }

    /// The syllable's parts and tone when `letters` follow every rule.
    private func check(_ letters: UnsafeBufferPointer<Letter>) -> (ToneRule.Parts, UInt8)? {
        guard let parts = rule.parts(letters) else { return nil }
        // Rule 6: one tone, carried by a vowel of the cluster.
        var tone = Tone.none
        for (index, letter) in letters.enumerated() where letter.tone != 0 {
            guard tone == 0, index >= parts.vowelStart, index < parts.vowelEnd else { return nil }
            tone = letter.tone
        }
        guard Self.followsSpelling(parts, letters) else { return nil }
        // Rule 1: p, t, c, ch take only the acute or the dot below.
        let stop = parts.coda == Self.c || parts.coda == Self.ch || parts.coda == Self.p || parts.coda == Self.t
        if stop && tone != Tone.acute && tone != Tone.dot { return nil }
        return (parts, tone)
    }

    /// Lower-case NFC text of `letters` without tones, or with `tone` on the letter at `position`.
    private func spell(_ letters: Slice<UnsafeBufferPointer<Letter>>, tone: UInt8 = 0, at position: Int = -1) -> String
    {
        var bytes: [UInt8] = []
        for index in letters.indices {
            let letter = letters[index]
            var packed = table.packedComposition(
                base: letter.base, modifier: letter.modifier, tone: index == position ? tone : 0)
            while packed > 0xFF {
                bytes.append(UInt8(truncatingIfNeeded: packed))
                packed >>= 8
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a cluster code begins with the two-vowel cluster `prefix`.
    private static func startsWith(_ cluster: UInt16, _ prefix: UInt16) -> Bool {
        cluster == prefix || cluster >> 4 == prefix
    }

    private static func followsSpelling(_ parts: ToneRule.Parts, _ letters: UnsafeBufferPointer<Letter>) -> Bool {
        let cluster = parts.cluster
        let first = letters[parts.vowelStart]
        let front = first.modifier == Modifier.none ? first.base : 0  // plain e, i, y; ê below
        let frontVowel =
            front == UInt8(ascii: "i") || front == UInt8(ascii: "e") || front == UInt8(ascii: "y")
            || (first.base == UInt8(ascii: "e") && first.modifier == Modifier.circumflex)
        // Rule 2: ch and nh.
        if parts.coda == ch || parts.coda == nh, !palatalNuclei.contains(cluster),
            !(parts.onset == q && cluster == y)  // "quỳnh": the u of qu is the medial of uy
        {
            return false
        }
        // Rule 3: clusters that need a coda.
        if parts.coda == 0, needsCoda.contains(cluster) { return false }
        if cluster == oo, parts.coda != ng, parts.coda != c { return false }
        // Rule 4: k / c, gh / g, ngh / ng, qu.
        switch parts.onset {
        case k: if !frontVowel { return false }
        case c: if frontVowel { return false }
        case gh, ngh: if !frontVowel || front == UInt8(ascii: "y") { return false }
        case g: if frontVowel && parts.vowelStart == 1 && front != UInt8(ascii: "i") { return false }
        case ng: if frontVowel { return false }
        case q:
            if first.base == UInt8(ascii: "u") || (first.base == UInt8(ascii: "o") && first.modifier == 0) {
                return false
            }
        default: break
        }
        // Rule 5: yê after no onset or qu, iê after any other onset.
        if startsWith(cluster, ye) && parts.onset != 0 && parts.onset != q { return false }
        if startsWith(cluster, ie) && parts.onset == 0 { return false }
        return true
    }

    // MARK: - Codes

    private static let c = ToneRule.code("c")
    private static let ch = ToneRule.code("ch")
    private static let p = ToneRule.code("p")
    private static let t = ToneRule.code("t")
    private static let nh = ToneRule.code("nh")
    private static let ng = ToneRule.code("ng")
    private static let k = ToneRule.code("k")
    private static let g = ToneRule.code("g")
    private static let gh = ToneRule.code("gh")
    private static let ngh = ToneRule.code("ngh")
    private static let q = ToneRule.code("q")
    private static let oo = ToneRule.clusterCode("oo")
    private static let y = ToneRule.clusterCode("y")
    private static let ie = ToneRule.clusterCode("iê")
    private static let ye = ToneRule.clusterCode("yê")
    private static let palatalNuclei = Set(["a", "ê", "i", "oa", "uê", "uy"].map(ToneRule.clusterCode))
    private static let needsCoda = Set(
        ["ă", "â", "oă", "uâ", "iê", "yê", "uô", "ươ", "uyê", "oo"].map(ToneRule.clusterCode))
}
