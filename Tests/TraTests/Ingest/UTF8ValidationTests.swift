import Testing
import Tra
import TraTestSupport

@Suite("Invalid UTF-8")
struct UTF8ValidationTests {
    /// A line whose body holds `bad` after "ab": the bad bytes start at column 21.
    private func line(_ bad: [UInt8], closed: Bool = true) -> [UInt8] {
        Array(#"{"id":"1","body":"ab"#.utf8) + bad + (closed ? Array(#"cd"}"#.utf8) : [])
    }

    @Test func eachClassIsRejectedWithItsColumn() {
        let cases: [([UInt8], Bool, String)] = [
            ([0x80], true, "unexpected continuation byte 0x80"),
            ([0xBF, 0x80], true, "unexpected continuation byte 0xBF"),
            ([0xC0, 0xAF], true, "overlong encoding (0xC0 0xAF)"),
            ([0xC1, 0xBF], true, "overlong encoding (0xC1 0xBF)"),
            ([0xE0, 0x80, 0xAF], true, "overlong encoding (0xE0 0x80 0xAF)"),
            ([0xF0, 0x80, 0x80, 0xAF], true, "overlong encoding (0xF0 0x80 0x80 0xAF)"),
            ([0xED, 0xA0, 0x80], true, "UTF-16 surrogate encoded in UTF-8 (0xED 0xA0 0x80)"),
            ([0xED, 0xBF, 0xBF], true, "UTF-16 surrogate encoded in UTF-8 (0xED 0xBF 0xBF)"),
            ([0xF4, 0x90, 0x80, 0x80], true, "code point above U+10FFFF (0xF4 0x90 0x80 0x80)"),
            ([0xF5, 0x80, 0x80, 0x80], true, "code point above U+10FFFF (0xF5 0x80 0x80 0x80)"),
            ([0xFF], true, "byte 0xFF never appears in UTF-8"),
            ([0xE1, 0xBA], false, "incomplete multi-byte sequence at end of line (0xE1 0xBA)"),
            ([0xF0, 0x9F, 0x98], false, "incomplete multi-byte sequence at end of line (0xF0 0x9F 0x98)"),
            ([0xE1, 0xBA], true, "incomplete multi-byte sequence (0xE1 0xBA) before 0x63"),
            ([0xC3], true, "incomplete multi-byte sequence (0xC3) before 0x63"),
        ]
        for (bad, closed, reason) in cases {
            #expect(
                ingestLineError(line(bad, closed: closed)) == "data.jsonl:17: invalid UTF-8 at column 21: \(reason)",
                "\(bad)")
        }
    }

    @Test func errorsInKeysAndOutsideStrings() {
        let key = Array(#"{"id":"1","body":"b","k"#.utf8) + [0x80] + Array(#"":"v"}"#.utf8)
        #expect(ingestLineError(key) == "data.jsonl:17: invalid UTF-8 at column 24: unexpected continuation byte 0x80")
        let outside = Array(#"{"id":"1","body":"b"}"#.utf8) + [0xC3]
        #expect(
            ingestLineError(outside)
                == "data.jsonl:17: invalid UTF-8 at column 22: incomplete multi-byte sequence at end of line (0xC3)")
        // Ill-formed UTF-8 is reported first, even after a syntax error or a field that is not a string.
        let late = Array(#"{"id" "1","x":"#.utf8) + [0xFF] + Array(#""}"#.utf8)
        #expect(ingestLineError(late) == "data.jsonl:17: invalid UTF-8 at column 15: byte 0xFF never appears in UTF-8")
        let afterNumber = Array(#"{"id":"1","n":1,"body":""#.utf8) + [0xFF] + Array(#""}"#.utf8)
        #expect(
            ingestLineError(afterNumber)
                == "data.jsonl:17: invalid UTF-8 at column 25: byte 0xFF never appears in UTF-8")
        // An escape next to the bad bytes goes through the scratch path.
        let escaped = Array(#"{"id":"1","body":"\n"#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8)
        #expect(
            ingestLineError(escaped)
                == "data.jsonl:17: invalid UTF-8 at column 21: UTF-16 surrogate encoded in UTF-8 (0xED 0xA0 0x80)")
    }

    @Test func boundaryScalarsAreAccepted() throws {
        let good: [[UInt8]] = [
            [0x7F], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80],
            [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
        ]
        for bytes in good {
            let document = try parseIngestLine(line(bytes)).get()
            #expect(Array(document.body.utf8) == Array("ab".utf8) + bytes + Array("cd".utf8))
            #expect(bytes.withUnsafeBytes { UTF8Validation.firstError(in: $0) } == nil)
        }
    }

    /// The parser's UTF-8 check must agree with the standard library's decoder (which repairs exactly the
    /// ill-formed bytes) on every byte pair, and on random mixes of good and bad sequences placed at every
    /// alignment, with and without escapes nearby; a rejected line names the first bad byte's column.
    @Test func agreesWithTheStandardLibrary() {
        let special: Set<UInt8> = [UInt8(ascii: "\""), UInt8(ascii: "\\")]
        let usable = (0...255).map(UInt8.init).filter { $0 >= 0x20 && !special.contains($0) }
        var checked = 0
        for lead in UInt8(0x80)...UInt8(0xFF) {
            for next in usable {
                check([lead, next], prefix: Int(next) % 9, escaped: false)
                checked += 1
            }
        }
        let pieces: [[UInt8]] =
            ["a", "Việt", "ệ", "đ", "😀", "\u{10FFFF}", "\u{7FF}", "\u{800}", "\u{FFFF}", "\u{10000}"].map {
                Array($0.utf8)
            }
            + [0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF]
            .map { [$0] } + [0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF8, 0xFF].map { [$0] }
        var random = IngestRandom(seed: 20_251_129)
        for _ in 0..<50_000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.next(below: 8) { bytes += pieces[random.next(below: pieces.count)] }
            check(bytes, prefix: random.next(below: 17), escaped: random.next(below: 3) == 0)
            checked += 1
        }
        #expect(checked > 75_000)
    }

    /// Parses a body of `prefix` ASCII letters, then (when `escaped`) an escape, then `bytes`.
    private func check(_ bytes: [UInt8], prefix: Int, escaped: Bool) {
        let lead = Array(repeating: UInt8(ascii: "x"), count: prefix) + (escaped ? Array(#"\n"#.utf8) : [])
        let body = lead + bytes
        let line = Array(#"{"id":"1","body":""#.utf8) + body + Array(#""}"#.utf8)
        let valid = Array(String(decoding: bytes, as: UTF8.self).utf8) == bytes
        switch parseIngestLine(line) {
        case .success(let document):
            let expected = Array(repeating: UInt8(ascii: "x"), count: prefix) + (escaped ? [0x0A] : []) + bytes
            #expect(valid && Array(document.body.utf8) == expected, "\(bytes) accepted")
        case .failure(let error):
            let offset = bytes.withUnsafeBytes { UTF8Validation.firstError(in: $0)?.offset }
            let column = offset.map { 18 + lead.count + $0 + 1 }
            #expect(!valid && error.column == column && error.message.hasPrefix("invalid UTF-8"), "\(bytes): \(error)")
        }
    }
}

/// The ingest tests' deterministic generator.
typealias IngestRandom = SeededRandom
