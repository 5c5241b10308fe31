/// A keyboard input method that types Vietnamese on a Latin keyboard, as people type when the input
/// method is switched off and the keystrokes reach the text raw ("vieejt nam", "vie65t nam").
public enum InputMethod: String, Sendable, Equatable {
    /// Letters as keys: aa â, ee ê, oo ô, aw ă, ow ơ, uw ư, w ư, dd đ; tones s f r x j (sắc, huyền,
    /// hỏi, ngã, nặng), z clears the tone.
    case telex
    /// Digits as keys: 1 to 5 the tones (sắc, huyền, hỏi, ngã, nặng), 6 circumflex, 7 horn,
    /// 8 breve, 9 đ, 0 clears the tone.
    case vni

    /// "Telex" or "VNI".
    public var name: String { self == .telex ? "Telex" : "VNI" }
}

/// One word read as input-method keystrokes: the Vietnamese syllable they type.
public struct DecodedWord: Sendable, Equatable {
    /// The syllable in NFC, lower case, the tone on its canonical vowel ("việt").
    public var text: String
    /// The input method whose keys the word holds: VNI when it has digits, Telex otherwise.
    public var method: InputMethod

    /// Makes a decoded word.
    public init(text: String, method: InputMethod) {
        self.text = text
        self.method = method
    }
}

/// Reads a word typed with the Telex or VNI keys as the syllable those keys type, the way the input
/// methods (Unikey, EVKey) do it:
///
/// - a modifier key acts on the vowel before it: "aa" â, "ee" ê, "oo" ô, "aw" ă, "ow" ơ, "uw" ư,
///   "w" alone ư ("tw" tư); "w" after the coda acts on the vowels before it ("duongw" dương);
///   "uow" and "uwo" give ươ; "dd" at the start gives đ. In VNI, 6 (circumflex), 7 (horn), 8
///   (breve) act on the nearest vowel before them that takes them, 9 on the nearest d;
/// - a tone key may come anywhere after the first vowel: right after it ("vieejt", "vie65t"), after
///   the vowels or at the end ("Vieetj", "tieengs", "nguyeenx"); a later tone key replaces an
///   earlier one, z (VNI 0) clears it, and the same tone key twice takes the tone back and types the
///   letter itself, as the input methods do ("pass" is "pas", not "pá");
/// - the tone goes on the vowel the spelling rules give it (``ToneRule``), so a word whose letters
///   are no Vietnamese syllable does not decode when it has a tone.
///
/// Decoding only applies the keys: whether the result is a valid syllable is for the caller to check
/// (a ``SyllableChecker``). A word decodes when it holds only ASCII letters and digits, at least one
/// vowel, and keys that produce at least one mark.
///
/// ```swift
/// let decoder = try InputMethodDecoder()
/// decoder.decode("dduwowngf")   // DecodedWord(text: "đường", method: .telex)
/// decoder.decode("vie65t")      // DecodedWord(text: "việt", method: .vni)
/// decoder.decode("nam")         // nil: no key
/// ```
public struct InputMethodDecoder: Sendable {
    /// Longer words are not decoded (the longest Telex syllable, "nghieeengx", has 10 keys).
    public static let maximumLength = 12

    private let table: CharTable
    private let toneRule = ToneRule()

    /// Makes a decoder (it reads the analyzer's character table).
    public init() throws(ICUError) {
        table = try CharTable.shared()
    }

    /// The syllable `word` types in Telex (VNI when it holds a digit), nil when it holds something
    /// else than ASCII letters and digits, no vowel, no key that makes a mark, or keys that do not
    /// apply.
    public func decode(_ word: some StringProtocol) -> DecodedWord? {
        var keys: [UInt8] = []
        var hasDigit = false
        var hasLetter = false
        for byte in word.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): hasLetter = true
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): hasLetter = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"): hasDigit = true
            default: return nil
            }
            keys.append(byte | (byte >= UInt8(ascii: "A") ? 0x20 : 0))
            if keys.count > Self.maximumLength { return nil }
        }
        guard hasLetter else { return nil }
        var syllable = KeyedSyllable()
        let method: InputMethod = hasDigit ? .vni : .telex
        let applied = method == .vni ? syllable.typeVNI(keys) : syllable.typeTelex(keys)
        guard applied, syllable.hasMark, let text = syllable.compose(table, toneRule) else { return nil }
        return DecodedWord(text: text, method: method)
    }
}
