import Testing
import TraTokenizer

/// Telex and VNI keystrokes read as the syllables they type, in the orders people type the keys.
@Suite("Input method decoding (Telex, VNI)")
struct InputMethodDecoderTests {
    static let telex: [(typed: String, expected: String)] = [
        ("vieejt", "việt"), ("Vieetj", "việt"), ("vieetj", "việt"), ("dduwowngf", "đường"), ("dduowngf", "đường"),
        ("dduwongf", "đường"), ("duongwf", "dường"), ("Haf", "hà"), ("Nooij", "nội"), ("Noij", "nọi"),
        ("nguyeenx", "nguyễn"), ("nguyeexn", "nguyễn"), ("tieengs", "tiếng"), ("hoaf", "hòa"), ("hofa", "hòa"),
        ("thuyr", "thủy"), ("tw", "tư"), ("wf", "ừ"), ("nhuwng", "nhưng"), ("trawng", "trăng"), ("awn", "ăn"),
        ("ddi", "đi"), ("ddaau", "đâu"), ("nguwowif", "người"), ("quas", "quá"), ("gias", "giá"),
        ("cuar", "của"), ("casr", "cả"), ("hoafzs", "hóa"), ("hoafr", "hỏa"), ("chuyeenj", "chuyện"),
        ("VIEEJT", "việt"),
        ("nghieengx", "nghiễng"), ("khoer", "khỏe"),
    ]

    static let vni: [(typed: String, expected: String)] = [
        ("vie65t", "việt"), ("vie56t", "việt"), ("viet65", "việt"), ("d9uo7ng2", "đường"), ("duong79", "đương"),
        ("Ha2", "hà"), ("No65i", "nội"), ("nguye6n4", "nguyễn"), ("tie61ng", "tiếng"), ("tra8ng", "trăng"),
        ("ho2a", "hòa"), ("thuy3", "thủy"), ("u7", "ư"), ("d9i", "đi"),
    ]

    @Test("Telex words decode to their syllables", arguments: telex)
    func telexWords(_ typed: String, _ expected: String) throws {
        let decoded = try InputMethodDecoder().decode(typed)
        #expect(decoded == DecodedWord(text: expected, method: .telex), "\(typed)")
    }

    @Test("VNI words decode to their syllables", arguments: vni)
    func vniWords(_ typed: String, _ expected: String) throws {
        let decoded = try InputMethodDecoder().decode(typed)
        #expect(decoded == DecodedWord(text: expected, method: .vni), "\(typed)")
    }

    @Test("Words without keys, with keys that do not apply, or with other characters do not decode")
    func notDecoded() throws {
        let decoder = try InputMethodDecoder()
        // No key: plain letters, or keys before any vowel (onset letters).
        for word in ["nam", "viet", "xa", "tra", "sang", "2019", "mp", "w3", "Việt", "việt", "hello-world"] {
            #expect(decoder.decode(word) == nil, "\(word)")
        }
        // The same tone key twice takes the tone back and types the letter: "pass" is "pas", no mark.
        #expect(decoder.decode("pass") == nil)
        #expect(decoder.decode("off") == nil)
        #expect(decoder.decode("hoafz") == nil, "z takes the tone back: no mark left")
        // A tone with nowhere to go (no Vietnamese syllable), a horn with no vowel to take it.
        #expect(decoder.decode("windows") == nil)
        #expect(decoder.decode("strs") == nil)
        #expect(decoder.decode("new") == nil)
        #expect(decoder.decode("d9") == nil, "no vowel")
        #expect(decoder.decode("vie65t".uppercased() + "xxxxxxxxxx") == nil, "too long")
        // Keys that apply are decoded whatever the result: validity is the caller's check.
        #expect(decoder.decode("test")?.text == "tét")
        #expect(decoder.decode("test")?.method == .telex)
    }
}
