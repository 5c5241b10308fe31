import Foundation

/// Types a Vietnamese word as its raw Telex or VNI keystrokes, as they reach the text when the input
/// method is off: letter keys for the modifiers right after their vowel, the tone key at the end of
/// the word ("việt" is "vieetj" in Telex, "vie6t5" in VNI). Words without marks stay as they are.
public enum KeystrokeTyping {
    /// The Telex keys of `word`, in lower case.
    public static func telex(_ word: String) -> String {
        keys(word, stroke: "d", circumflex: nil, breve: "w", horn: "w", tones: ["f", "s", "r", "x", "j"])
    }

    /// The VNI keys of `word`, in lower case.
    public static func vni(_ word: String) -> String {
        keys(word, stroke: "9", circumflex: "6", breve: "8", horn: "7", tones: ["2", "1", "3", "4", "5"])
    }

    /// `circumflex` nil types the vowel twice (Telex); `tones` for grave, acute, hook, tilde, dot.
    private static func keys(
        _ word: String, stroke: String, circumflex: String?, breve: String, horn: String, tones: [String]
    ) -> String {
        var result = ""
        var tone = ""
        var last: Character = " "
        for scalar in word.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.value {
            case 0x0111:
                result += "d" + stroke
                last = "d"
            case 0x0302: result += circumflex ?? String(last)
            case 0x0306: result += breve
            case 0x031B: result += horn
            case 0x0300: tone = tones[0]
            case 0x0301: tone = tones[1]
            case 0x0309: tone = tones[2]
            case 0x0303: tone = tones[3]
            case 0x0323: tone = tones[4]
            default:
                result.unicodeScalars.append(scalar)
                last = Character(scalar)
            }
        }
        return result + tone
    }
}
