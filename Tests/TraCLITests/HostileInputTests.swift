import Foundation
import Testing
import TraTestSupport

/// Input files and places built to hurt `tra index`, beyond the bad lines of `IndexCommandTests`
/// (malformed JSON, missing fields, a BOM, CRLF, one invalid UTF-8 sequence) and the parser's own
/// suites (every invalid UTF-8 class, a million nested brackets, huge lines): each ends in a
/// one-line error or a good index, and a failed run leaves the previous commit as it was.
///
/// The slow cases (a 100 MB document, a million tiny ones) are in
/// `scripts/reliability/hostile-inputs.sh`.
@Suite("Hostile input files and places (the built executable)")
struct HostileInputTests {
    /// An index of `threeDocuments`, the commit that failed runs must leave intact.
    func baseIndex(_ folder: TempFolder) throws -> String {
        let index = folder.path("index")
        try indexSucceeds(index, [try folder.write("base.jsonl", threeDocuments)], documents: 3)
        return index
    }

    /// The index still holds exactly the three base documents and verifies.
    func expectIntact(_ index: String, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let verify = try TraProcess.run("verify", "--index", index)
        #expect(verify.status == 0, "\(context): \(verify)", sourceLocation: sourceLocation)
        let documents = try committedDocuments(index)
        #expect(
            documents.keys.sorted() == ["hanoi", "pho", "song-hong"], "\(context): \(documents.keys.sorted())",
            sourceLocation: sourceLocation)
    }

    /// `count` corpus documents as a JSONL file.
    func corpusFile(_ folder: TempFolder, _ count: Int) throws -> String {
        let (lines, _) = try corpusDocuments(count)
        return try folder.write("corpus-\(count).jsonl", bytes: Array(lines.map { $0 + [0x0A] }.joined()))
    }

    @Test("a full disk (a file-size limit): one-line error, the previous commit intact", arguments: [true, false])
    func fileSizeLimit(append: Bool) throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = try baseIndex(folder)
        let input = try corpusFile(folder, 120)
        // `ulimit -f 100` is 50 or 100 KB depending on the shell; the new segment is larger.
        let script = #"ulimit -f 100 && index="$1" && shift && exec "$0" index --index "$index" "$@""#
        let run = try runBounded(
            ["-c", script, try TraProcess.executable.get().path, index] + (append ? ["--append"] : []) + [input],
            timeout: 300, scratch: folder.url, executable: URL(fileURLWithPath: "/bin/sh"))
        let result = try #require(run.result, "tra index did not finish")
        expectOneLineError(result, status: 1, prefix: "tra: cannot write ", "File too large")
        try expectIntact(index, "after the failed run")
        // The next run, without the limit, cleans up and commits.
        try indexSucceeds(index, [input], extra: ["--append"], documents: 120)
        #expect(try indexStats(index).documents == 123)
    }

    @Test("an index folder that cannot be created")
    func unwritableFolder() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let file = try folder.write("a-file", "not a folder")
        let result = try TraProcess.run([
            "index", "--index", file + "/index", try folder.write("d.jsonl", threeDocuments),
        ])
        expectOneLineError(result, status: 1, prefix: "tra: ", "a-file/index", "Not a directory")
    }

    /// Each class of invalid UTF-8 inside a body, on line 2 of an appended file, and what the
    /// error says.
    static let invalidUTF8: [([UInt8], String)] = [
        ([0x80], "unexpected continuation byte 0x80"),
        ([0xE1, 0xBB], "incomplete multi-byte sequence (0xE1 0xBB)"),
        ([0xC3], "incomplete multi-byte sequence (0xC3)"),
        ([0xC0, 0xAF], "overlong encoding (0xC0 0xAF)"),
        ([0xED, 0xA0, 0x80], "UTF-16 surrogate encoded in UTF-8 (0xED 0xA0 0x80)"),
        ([0xF4, 0x90, 0x80, 0x80], "code point above U+10FFFF (0xF4 0x90 0x80 0x80)"),
        ([0xFF], "byte 0xFF never appears in UTF-8"),
        ([0xF8, 0x88, 0x80, 0x80, 0x80], "byte 0xF8 never appears in UTF-8"),
    ]

    @Test("invalid UTF-8 of every class: FILE:LINE, nothing of the run committed")
    func invalidUTF8Classes() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = try baseIndex(folder)
        for (bytes, name) in Self.invalidUTF8 {
            let file = try folder.write(
                "bad.jsonl",
                bytes: Array(#"{"id":"ok","body":"tốt"}"#.utf8) + [0x0A] + Array(#"{"id":"x","body":"a"#.utf8) + bytes
                    + Array(#"b"}"#.utf8) + [0x0A])
            let result = try TraProcess.run(["index", "--index", index, "--append", file])
            expectOneLineError(result, status: 1, prefix: "tra: \(file):2: invalid UTF-8 at column 20: ", name)
            try expectIntact(index, name)
        }
    }

    @Test("NUL: a raw byte in a string is an error, the escape is text")
    func nulBytes() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = try baseIndex(folder)
        let raw = try folder.write("raw.jsonl", bytes: Array(#"{"id":"n","body":"a"#.utf8) + [0] + Array("b\"}\n".utf8))
        let result = try TraProcess.run(["index", "--index", index, "--append", raw])
        expectOneLineError(result, status: 1, prefix: "tra: \(raw):1: invalid JSON", "U+0000")
        try expectIntact(index, "raw NUL")

        let escaped = try folder.write("escaped.jsonl", #"{"id":"n","body":"mưa\u0000nắng gió"}"# + "\n")
        try indexSucceeds(index, [escaped], extra: ["--append"], documents: 1)
        #expect(try committedDocuments(index)["n"]?["body"] == "mưa\u{0}nắng gió")
        let search = try TraProcess.run("search", "--index", index, "--json", "nang")
        #expect(search.status == 0 && search.stdout.contains(#""id":"n""#), "\(search)")

        let text = try folder.write("notes/nul.txt", bytes: Array("Tiêu đề\nmột\u{0}hai\r\nba\n".utf8))
        try indexSucceeds(index, [text], extra: ["--append"], documents: 1)
        #expect(try indexStats(index).documents == 5)
    }

    /// A body of Thai without a space, past the 16 MiB ICU segments at once, is refused with
    /// FILE:LINE before it takes gigabytes; `--skip-bad` skips it and indexes the rest.
    @Test("a run of text too long for ICU: FILE:LINE, nothing committed; --skip-bad keeps the rest")
    func runTooLongForICU() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = try baseIndex(folder)
        let thai = String(repeating: "ประเทศไทยเป็นราชอาณาจักร", count: 240_000)
        #expect(thai.utf8.count > 16 << 20)
        let file = try folder.write(
            "thai.jsonl", #"{"id":"ok","body":"tốt"}"# + "\n" + #"{"id":"thai","body":"ไทย \#(thai)"}"# + "\n")
        let result = try TraProcess.run(["index", "--index", index, "--append", file])
        expectOneLineError(
            result, status: 1, prefix: "tra: \(file):2: the body has a run of \(thai.utf8.count) bytes from byte 10 ",
            "at most 16777216 are segmented at once")
        try expectIntact(index, "a Thai run")
        let skipped = try TraProcess.run(["index", "--index", index, "--append", "--skip-bad", file])
        #expect(skipped.status == 0)
        #expect(skipped.stderr.contains("skipped \(file):2: the body has a run of"))
        #expect(try committedDocuments(index)["ok"]?["body"] == "tốt")
        #expect(try committedDocuments(index)["thai"] == nil)
    }

    /// A number of 600,000 parts is refused with FILE:LINE instead of held whole (at 24 bytes
    /// a character, 40 times the size of the text).
    @Test("a word too long to hold: FILE:LINE, nothing committed")
    func wordTooLongToHold() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = try baseIndex(folder)
        let number = "1" + String(repeating: ".2", count: 600_000)
        let file = try folder.write("number.jsonl", #"{"id":"n","body":"số \#(number) ok"}"# + "\n")
        let result = try TraProcess.run(["index", "--index", index, "--append", file])
        expectOneLineError(
            result, status: 1,
            prefix: "tra: \(file):1: the body has a word of more than 1048576 characters from byte 5 ")
        try expectIntact(index, "a number of 600,000 parts")
    }

    @Test("enormous and deeply nested JSON values")
    func enormousValues() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = try baseIndex(folder)
        let bad: [(String, String, String)] = [
            (
                "nested arrays", #"{"id":"x","body":"b","meta":"# + String(repeating: "[", count: 200_000),
                "not a string"
            ),
            (
                "nested objects", #"{"id":"x","body":"b","meta":"# + String(repeating: #"{"a":"#, count: 100_000),
                "not a string"
            ),
            (
                "a 200,000-digit number", #"{"id":"x","body":"b","n":"# + String(repeating: "7", count: 200_000) + "}",
                "not a string"
            ),
            (
                "an unterminated 1 MB string", #"{"id":"x","body":""# + String(repeating: "ư", count: 500_000),
                "invalid JSON"
            ),
        ]
        for (name, line, message) in bad {
            let file = try folder.write("bad.jsonl", line + "\n")
            let result = try TraProcess.run(["index", "--index", index, "--append", file])
            expectOneLineError(result, status: 1, prefix: "tra: \(file):1: ", message)
            try expectIntact(index, name)
        }
        // A 2 MB stored-only field and a 400 KB title are kept byte for byte.
        let url = String(repeating: "https://vi.wikipedia.org/wiki/Vi%E1%BB%87t_Nam?", count: 43_000)
        let title = String(repeating: "Tiêu đề rất dài ", count: 20_000)
        let huge = #"{"id":"huge","title":"\#(title)","body":"một hai ba","url":"\#(url)"}"#
        try indexSucceeds(index, [try folder.write("huge.jsonl", huge + "\n")], extra: ["--append"], documents: 1)
        let stored = try #require(try committedDocuments(index)["huge"])
        #expect(stored["url"] == url && stored["title"] == title && stored["body"] == "một hai ba")
        #expect(try TraProcess.run("verify", "--index", index).status == 0)
    }
}
