import Foundation
import Testing

/// Expects two strings to be the same bytes. Swift's `==` on `String` is canonical equivalence, so
/// it would accept NFD output where NFC is promised; these tests compare UTF-8 exactly.
func expectBytes(
    _ actual: String, _ expected: String, _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        Array(actual.utf8) == Array(expected.utf8),
        "\(comment.map { "\($0): " } ?? "")got \(actual.debugDescription), expected \(expected.debugDescription)",
        sourceLocation: sourceLocation)
}

/// One object of `tra tokenize --json`.
struct JSONToken: Equatable, CustomStringConvertible {
    let text: String
    let start: Int
    let end: Int
    let position: Int
    let key: String
    let folded: String

    var description: String { "\(position) \(start)..<\(end) \(text.debugDescription) \(key) \(folded)" }
}

/// Runs `tra tokenize --json TEXT…`, checks the run succeeded cleanly, and parses the array.
func tokenizeJSON(_ text: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [JSONToken] {
    let result = try TraProcess.run(["tokenize", "--json"] + text)
    #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
    #expect(result.exitedNormally, "\(result)", sourceLocation: sourceLocation)
    expectBytes(result.stderr, "", "stderr", sourceLocation: sourceLocation)
    #expect(result.stdout.hasSuffix("]\n"), "\(result)", sourceLocation: sourceLocation)
    #expect(result.stdout.filter { $0 == "\n" }.count == 1, "one line: \(result)", sourceLocation: sourceLocation)

    let array = try #require(
        try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]],
        "not a JSON array of objects: \(result)", sourceLocation: sourceLocation)
    return try array.map { object in
        #expect(
            Set(object.keys) == ["text", "start", "end", "position", "key", "folded"], "\(object)",
            sourceLocation: sourceLocation)
        return JSONToken(
            text: try #require(object["text"] as? String, sourceLocation: sourceLocation),
            start: try #require(object["start"] as? Int, sourceLocation: sourceLocation),
            end: try #require(object["end"] as? Int, sourceLocation: sourceLocation),
            position: try #require(object["position"] as? Int, sourceLocation: sourceLocation),
            key: try #require(object["key"] as? String, sourceLocation: sourceLocation),
            folded: try #require(object["folded"] as? String, sourceLocation: sourceLocation))
    }
}

/// Checks that every token's `text` is exactly the bytes [start, end) of `input`, that the ranges
/// are in order and do not overlap, and that positions count up from 0.
func expectOffsets(
    _ tokens: [JSONToken], into input: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let bytes = Array(input.utf8)
    var previousEnd = 0
    for (index, token) in tokens.enumerated() {
        #expect(token.position == index, "\(token)", sourceLocation: sourceLocation)
        guard token.start >= previousEnd, token.start < token.end, token.end <= bytes.count else {
            Issue.record(
                "bad range \(token) in \(bytes.count) bytes (previous end \(previousEnd))",
                sourceLocation: sourceLocation)
            continue
        }
        let slice = Array(bytes[token.start..<token.end])
        #expect(
            slice == Array(token.text.utf8),
            "bytes \(token.start)..<\(token.end) of \(input.debugDescription) are \(String(decoding: slice, as: UTF8.self).debugDescription), token says \(token.text.debugDescription)",
            sourceLocation: sourceLocation)
        previousEnd = token.end
    }
}

@Suite("tra tokenize (the built executable)")
struct TokenizeCommandTests {
    @Test("--json prints the documented array, keys in order")
    func jsonExact() throws {
        let result = try TraProcess.run("tokenize", "--json", "Hoà Bình")
        #expect(result.status == 0, "\(result)")
        expectBytes(
            result.stdout,
            #"[{"text":"Hoà","start":0,"end":4,"position":0,"key":"hòa","folded":"hoa"},"#
                + #"{"text":"Bình","start":5,"end":10,"position":1,"key":"bình","folded":"binh"}]"# + "\n")
        expectBytes(result.stderr, "")
    }

    @Test("plain output: position, byte range, text, key, folded")
    func plainExact() throws {
        // Đ (U+0110) and ư (U+01B0) are 2 bytes each, ờ (U+1EDD) is 3: "Đường" is 9 bytes.
        let result = try TraProcess.run("tokenize", "Đường phố")
        #expect(result.status == 0, "\(result)")
        expectBytes(result.stdout, "0\t0..<9\tĐường\tđường\tduong\n1\t10..<15\tphố\tphố\tpho\n")
        expectBytes(result.stderr, "")
    }

    @Test("plain output of text without tokens is empty")
    func plainEmpty() throws {
        let result = try TraProcess.run("tokenize", "… !?")
        #expect(result.status == 0, "\(result)")
        expectBytes(result.stdout, "")
        expectBytes(result.stderr, "")
    }

    static let equivalentForms: [(String, String)] = [
        ("Việt Nam", "Vie\u{0323}\u{0302}t Nam"),  // NFC vs NFD
        ("Việt Nam", "Vi\u{00EA}\u{0323}t Nam"),  // NFC vs precomposed ê + combining dot below
        ("Vie\u{0323}\u{0302}t Nam", "Vi\u{00EA}\u{0323}t Nam"),
        ("Ðà Nẵng", "Đà Nẵng"),  // U+00D0 (Eth) vs U+0110 (D with stroke)
        ("thủy", "thuỷ"),
        ("khỏe", "khoẻ"),
        ("hòa", "hoà"),
        ("Thúy", "Thuý"),
        ("họa", "hoạ"),
    ]

    @Test(
        "spellings of the same words get the same keys",
        arguments: equivalentForms.map { [$0.0, $0.1] })
    func equivalentSpellings(_ pair: [String]) throws {
        let first = try tokenizeJSON([pair[0]])
        let second = try tokenizeJSON([pair[1]])
        expectOffsets(first, into: pair[0])
        expectOffsets(second, into: pair[1])
        #expect(!first.isEmpty)
        #expect(first.map { Array($0.key.utf8) } == second.map { Array($0.key.utf8) }, "\(first) vs \(second)")
        #expect(
            first.map { Array($0.folded.utf8) } == second.map { Array($0.folded.utf8) }, "\(first) vs \(second)")
        // The keys are NFC whatever the input form.
        for token in first + second {
            expectBytes(token.key, token.key.precomposedStringWithCanonicalMapping, "key is NFC")
            #expect(token.folded.unicodeScalars.allSatisfy { $0.isASCII }, "folded \(token.folded) is ASCII")
        }
    }

    @Test("NFD input: offsets count the combining marks")
    func nfdOffsets() throws {
        let input = "Vie\u{0323}\u{0302}t Nam"
        let tokens = try tokenizeJSON([input])
        #expect(tokens.map(\.start) == [0, 9])
        #expect(tokens.map(\.end) == [8, 12])
        #expect(tokens.map(\.key) == ["việt", "nam"])
        expectOffsets(tokens, into: input)
    }

    @Test("offsets across an emoji and CRLF")
    func emojiAndCRLF() throws {
        let input = "Phở 🍜\r\nngon"
        let tokens = try tokenizeJSON([input])
        #expect(tokens.map(\.text) == ["Phở", "ngon"])
        #expect(tokens.map(\.start) == [0, 12])
        #expect(tokens.map(\.end) == [5, 16])
        #expect(tokens.map(\.folded) == ["pho", "ngon"])
        expectOffsets(tokens, into: input)
    }

    @Test("arguments are joined by single spaces")
    func multipleArguments() throws {
        let tokens = try tokenizeJSON(["Hà", "Nội"])
        #expect(tokens.map(\.text) == ["Hà", "Nội"])
        #expect(tokens.map(\.start) == [0, 4])
        #expect(tokens.map(\.end) == [3, 9])
        #expect(tokens.map(\.key) == ["hà", "nội"])
        #expect(tokens.map(\.folded) == ["ha", "noi"])
        expectOffsets(tokens, into: "Hà Nội")

        let result = try TraProcess.run("tokenize", "--json", "Hà", "Nội")
        let joined = try TraProcess.run("tokenize", "--json", "Hà Nội")
        expectBytes(result.stdout, joined.stdout)
    }

    @Test("the flag may follow the text")
    func flagAfterText() throws {
        let before = try TraProcess.run("tokenize", "--json", "Hà Nội")
        let after = try TraProcess.run("tokenize", "Hà Nội", "--json")
        #expect(after.status == 0, "\(after)")
        expectBytes(after.stdout, before.stdout)
    }

    @Test("text without tokens prints an empty JSON array")
    func jsonEmpty() throws {
        for text in ["\"", "\\", " ", "\"\\ \t\n"] {
            let result = try TraProcess.run("tokenize", "--json", text)
            #expect(result.status == 0, "\(result)")
            expectBytes(result.stdout, "[]\n", "tokenize --json \(text.debugDescription)")
            expectBytes(result.stderr, "")
        }
    }

    @Test("--help exits 0 and shows the usage")
    func help() throws {
        let result = try TraProcess.run("tokenize", "--help")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("USAGE: tra tokenize"), "\(result)")
        #expect(result.stdout.contains("--json"), "\(result)")
        expectBytes(result.stderr, "")
    }
}

@Suite("tra command line errors (the built executable)")
struct TraErrorTests {
    /// Expects a user error: status 1, nothing on stdout, exactly one "tra: " line on stderr.
    func expectUserError(
        _ arguments: [String], mentioning fragment: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let result = try TraProcess.run(arguments)
        #expect(result.status == 1, "\(result)", sourceLocation: sourceLocation)
        #expect(result.exitedNormally, "\(result)", sourceLocation: sourceLocation)
        expectBytes(result.stdout, "", "stdout", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("tra: "), "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasSuffix("\n"), "\(result)", sourceLocation: sourceLocation)
        #expect(
            result.stderr.filter { $0 == "\n" }.count == 1, "exactly one line: \(result)",
            sourceLocation: sourceLocation)
        #expect(result.stderr.contains(fragment), "\(result)", sourceLocation: sourceLocation)
    }

    @Test func missingText() throws {
        try expectUserError(["tokenize"], mentioning: "Missing expected argument")
    }

    @Test func missingTextWithJSON() throws {
        try expectUserError(["tokenize", "--json"], mentioning: "Missing expected argument")
    }

    @Test func unknownOption() throws {
        try expectUserError(["tokenize", "--bogus", "x"], mentioning: "--bogus")
    }

    @Test func unknownSubcommand() throws {
        try expectUserError(["nosuchcommand"], mentioning: "nosuchcommand")
    }

    /// A negative number given to a numeric option is read as its value (not as an option), so the
    /// error is the option's range, not "Missing value"; an option after it is still not a number.
    @Test func negativeNumbersAreOutOfRange() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = folder.path("index")
        for (arguments, message) in [
            (["search", "--index", index, "--limit", "-1", "nam"], "--limit must be between 0 and 10000"),
            (["index", "--index", index, "--threads", "-2", index], "--threads must be between 1 and 64"),
            (["index", "--index", index, "--ram-budget", "-5", index], "--ram-budget must be at least 1"),
            (["index", "--index", index, "--commit-every", "-5", index], "--commit-every must be at least 1"),
            (["bench", "--runs", "-1", "--queries", index], "--runs must be at least 1"),
            (["eval", "--limit", "-3", "--queries", index], "--limit must be at least 1"),
            (["search", "--index", index, "--limit", "--json", "nam"], "'--json' is invalid for '--limit"),
        ] {
            try expectUserError(arguments, mentioning: message)
        }
    }

    @Test func version() throws {
        let result = try TraProcess.run("--version")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("tra-vi"), "\(result)")
        #expect(result.stdout.hasSuffix("\n"), "\(result)")
        #expect(result.stdout.filter { $0 == "\n" }.count == 1, "\(result)")
        expectBytes(result.stderr, "")
    }
}
