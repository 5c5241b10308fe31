import Testing
import TraTokenizer

/// The character table is derived from ICU; these tests check it against ICU again, entry by entry.
@Suite("Character table agrees with ICU")
struct CharTableTests {
    static let latinLetters: [UInt32] = (0xC0..<0x250).map { $0 } + (0x1E00..<0x1F00).map { $0 }

    /// Every Latin letter alone gives one token whose key is ICU's lower(NFC(letter)), with
    /// Ð/ð read as đ, whether it is written precomposed or decomposed.
    @Test func latinLettersMatchICU() throws {
        let analyzer = try Analyzer()
        let table = try CharTable.shared()
        var checked = 0
        for value in Self.latinLetters {
            let info = table.info(value)
            guard info.charClass == .letter || info.charClass == .foreignLetter,
                let scalar = Unicode.Scalar(value)
            else { continue }
            let expected =
                (value == 0xD0 || value == 0xF0)
                ? "đ" : String(decoding: try ICUText.nfc(ICUText.lowercased([UInt16(value)])), as: UTF16.self)
            let decomposed = String(decoding: try ICUText.nfd([UInt16(value)]), as: UTF16.self)
            for form in [String(scalar), decomposed] {
                let tokens = try analyzer.tokens(form)
                #expect(
                    tokens.map(\.key) == [expected],
                    "U+\(String(value, radix: 16, uppercase: true)) as \(form.unicodeScalars.map { $0.value })")
            }
            checked += 1
        }
        #expect(checked > 400)
    }

    /// Every Vietnamese vowel with every modifier and tone, in upper and lower case, written NFC,
    /// NFD, or "composite" (precomposed modifier + combining tone), gives the same keys.
    @Test func vietnameseVowelsInEveryForm() throws {
        let analyzer = try Analyzer()
        let vowels: [(Character, [UInt32])] = [
            ("a", [0, 0x306, 0x302]), ("e", [0, 0x302]), ("i", [0]), ("o", [0, 0x302, 0x31B]), ("u", [0, 0x31B]),
            ("y", [0]),
        ]
        let tones: [UInt32] = [0, 0x300, 0x301, 0x309, 0x303, 0x323]
        for (base, modifiers) in vowels {
            for modifier in modifiers {
                for tone in tones {
                    let marks = [modifier, tone].filter { $0 != 0 }.compactMap(Unicode.Scalar.init)
                    var decomposed = String(base)
                    decomposed.unicodeScalars.append(contentsOf: marks)
                    let nfc = String(decoding: try ICUText.nfc(Array(decomposed.utf16)), as: UTF16.self)
                    var withModifier = String(base)
                    if let mark = Unicode.Scalar(modifier), modifier != 0 { withModifier.unicodeScalars.append(mark) }
                    var composite = String(decoding: try ICUText.nfc(Array(withModifier.utf16)), as: UTF16.self)
                    if let mark = Unicode.Scalar(tone), tone != 0 { composite.unicodeScalars.append(mark) }
                    let expected = try analyzer.tokens(nfc)
                    #expect(expected.map(\.key) == [nfc])
                    #expect(expected.map(\.folded) == [String(base)])
                    for form in [decomposed, composite, nfc.uppercased(), decomposed.uppercased()] {
                        #expect(
                            try analyzer.tokens(form).map(\.key) == [nfc], "\(form.unicodeScalars.map { $0.value })")
                    }
                }
            }
        }
    }
}
