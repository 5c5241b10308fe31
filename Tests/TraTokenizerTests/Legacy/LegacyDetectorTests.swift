import Foundation
import Testing

@testable import TraTokenizer

@Suite struct LegacyDetectorTests {
    private let detector: LegacyDetector

    init() throws {
        detector = try LegacyDetector()
    }

    @Test(arguments: [
        ("Céng hßa X· héi chñ nghÜa ViÖt Nam", "Cộng hòa Xã hội chủ nghĩa Việt Nam", LegacyEncoding.tcvn3),
        ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc", .tcvn3),
        ("Xin chaøo caùc baïn", "Xin chào các bạn", .vniWindows),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam", .vniWindows),
        ("ÑÖÔØNG PHOÁ HAØ NOÄI ñeïp", "ĐƯỜNG PHỐ HÀ NỘI đẹp", .vniWindows),
        ("Vie^.t Nam la` mo^.t quo^'c gia", "Việt Nam là một quốc gia", .viqr),
        ("DDu+o+`ng pho^' Ha` No^.i ddi\\. To^i o+? dda^y\\.", "Đường phố Hà Nội đi. Tôi ở đây.", .viqr),
        ("Ho. ddi. To^i o+? dda^y.\nHe^'t.", "Họ đị Tôi ở đây.\nHết.", .viqr),
    ])
    func convertsLegacyText(_ input: String, _ expected: String, _ encoding: LegacyEncoding) throws {
        let conversion = try #require(detector.convert(input), "\(input) is \(encoding)")
        #expect(conversion.encoding == encoding)
        #expect(Array(conversion.text.unicodeScalars) == Array(expected.unicodeScalars), "\(conversion.evidence)")
    }

    @Test(arguments: [
        // Unicode Vietnamese, with and without letters outside Latin-1.
        "Cộng hòa Xã hội chủ nghĩa Việt Nam", "Cà phê sáng ở Hà Nội", "Cà phê sáng mà có tôi",
        "Tôi là sinh viên, tôi có nhà ở phố cổ", "Vie\u{0302}\u{0323}t Nam",
        // French, German, Spanish, Portuguese.
        "Un café crème et une tarte aux pommes, s'il vous plaît.", "Le thé est né à Paris, où il a été créé.",
        "Müller Straße 5, 80331 München", "Die Bäume im Garten sind schön grün.", "¿Qué pasa? Sí, señor, mañana.",
        "São Paulo não é a capital do Brasil", "À la carte: crêpes, pâté, côte de bœuf, hôtel du Nord.",
        // English with VIQR look-alikes, code, URLs.
        "What? I don't know, e.g. the U.S. and i.e. a.m. or p.m. Really? Yes I'm sure.",
        "I go to. So do you? Me too.", "x^2 + y^2 = z^2; a+b; i++ ~home/user `ls` (a) (e)",
        "https://vi.wikipedia.org/wiki/Vi%E1%BB%87t_Nam?action=edit&oldid=1", "user@example.com U+00E9 C++ C#",
        "Beyoncé Giselle Knowles-Carter", "naïve façade déjà vu résumé", "Ø Ñ ù ø ï é è",
    ])
    func leavesOtherTextAlone(_ input: String) {
        let conversion = detector.convert(input)
        #expect(conversion == nil, "\(input) became \(conversion?.text ?? "") (\(conversion?.encoding.name ?? ""))")
    }

    @Test func aShortTitleNeedsItsDocument() throws {
        #expect(detector.convert("ViÖt Nam") == nil)
        let assumed = try #require(detector.convert("ViÖt Nam", assuming: .tcvn3))
        #expect(assumed.text == "Việt Nam")
        #expect(try #require(detector.convert("Vie^.t Nam", assuming: .viqr)).text == "Việt Nam")
        #expect(detector.convert("ngu+o+`i ma.") == nil)
        #expect(try #require(detector.convert("ngu+o+`i ma.", assuming: .viqr)).text == "người mạ")
        #expect(try #require(detector.convert("15 tha'ng 8", assuming: .viqr)).text == "15 tháng 8")
        #expect(try #require(detector.convert("nhÉn", assuming: .tcvn3)).text == "nhẫn")
        #expect(detector.convert("Müller Straße", assuming: .tcvn3) == nil)
        #expect(detector.convert("What? I don't know.", assuming: .viqr) == nil)
    }

    @Test func tcvn3TableHasEveryVietnameseLetter() {
        var letters = Set<Unicode.Scalar>()
        for byte in UInt8(0)...UInt8(255) { if let letter = TCVN3Table.letter(byte) { letters.insert(letter) } }
        #expect(letters.count == 74)  // 67 lower-case letters and Ă Â Ê Ô Ơ Ư Đ
        let lower = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
        for scalar in lower.unicodeScalars where !"aeiouy".unicodeScalars.contains(scalar) {
            #expect(letters.contains(scalar), "\(scalar)")
        }
    }

    /// glibc's TCVN5712-1 is VN1, a superset of VN3: every VN3 position must decode the same.
    @Test func tcvn3TableAgreesWithIconv() throws {
        let iconv = ["/usr/bin/iconv", "/bin/iconv"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let iconv else {
            print("skipped: no iconv to compare the TCVN3 table with")
            return
        }
        for byte in UInt8(0xA0)...UInt8(0xFF) {
            guard let letter = TCVN3Table.letter(byte) else { continue }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: iconv)
            process.arguments = ["-f", "TCVN5712-1", "-t", "UTF-8"]
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            input.fileHandleForWriting.write(Data([byte]))
            try input.fileHandleForWriting.close()
            let decoded = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(Array(decoded.unicodeScalars) == [letter], "byte \(String(byte, radix: 16))")
        }
    }

    @Test func windows1252DecodesEveryByte() {
        let text = Windows1252.decode(UInt8(0)...UInt8(255))
        #expect(text.unicodeScalars.count == 256)
        #expect(Windows1252.decode([0x80, 0x93, 0x94, 0xE9, 0x81]) == "€“”é\u{81}")
    }

    @Test func prescanStopsAtVietnameseLetters() {
        #expect(LegacyDetector.prescan("Việt Nam").vietnamese)
        #expect(LegacyDetector.prescan("đi").vietnamese)
        #expect(LegacyDetector.prescan("vie\u{0302}\u{0323}t").vietnamese)
        #expect(!LegacyDetector.prescan("Céng hßa").vietnamese)
        #expect(LegacyDetector.prescan("Céng hßa").latin1 == 2)
        #expect(LegacyDetector.prescan("Vie^.t Nam la` a+b").viqrStrong == 3)
    }
}
