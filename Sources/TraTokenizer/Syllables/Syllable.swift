/// A Vietnamese syllable split into its parts (``SyllableChecker/parse(_:)``), all in lower case
/// NFC.
public struct Syllable: Sendable, Equatable, CustomStringConvertible {
    /// The six tones (thanh) of Vietnamese.
    public enum Tone: UInt8, Sendable, CaseIterable {
        /// ngang: no mark.
        case level = 0
        /// huyền: grave accent.
        case grave = 1
        /// sắc: acute accent.
        case acute = 2
        /// hỏi: hook above.
        case hook = 3
        /// ngã: tilde.
        case tilde = 4
        /// nặng: dot below.
        case dot = 5
    }

    /// The initial consonant letters as written, with the u of "qu" and the i of "gi" ("", "ngh",
    /// "qu", "gi", "đ").
    public var onset: String
    /// The vowel letters without the tone: medial, nucleus and final glide ("oa", "ươi", "uyê").
    public var vowels: String
    /// The final consonant letters ("", "ng", "ch").
    public var coda: String
    public var tone: Tone
    /// The syllable written with the tone on its canonical vowel (the traditional placement the
    /// analyzer's keys use: "hòa", "thủy").
    public var spelling: String

    public var description: String { spelling }
}
