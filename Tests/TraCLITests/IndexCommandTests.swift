import Foundation
import Testing

/// A file `tra index` must refuse, and where and what its one-line error names.
struct BadInput: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    /// The line the error names; nil for a problem of the whole file ("PATH: message").
    let line: Int?
    let message: String

    init(_ name: String, _ text: String, line: Int?, message: String) {
        self.init(name, bytes: Array(text.utf8), line: line, message: message)
    }

    init(_ name: String, bytes: [UInt8], line: Int?, message: String) {
        self.name = name
        self.bytes = bytes
        self.line = line
        self.message = message
    }

    var testDescription: String { name }

    static let good = #"{"id":"a","title":"Huế","body":"Cố đô Huế nằm bên bờ sông Hương."}"#

    static let all: [BadInput] = [
        BadInput(
            "malformed JSON on line 2", good + "\n" + #"{"id":"b","body":"Đà Nẵng""# + "\n" + good + "\n", line: 2,
            message: "invalid JSON"),
        BadInput(
            "missing id on line 3",
            good + "\n" + #"{"id":"b","body":"Hội An"}"# + "\n" + #"{"title":"Không có mã","body":"Nội dung"}"# + "\n",
            line: 3, message: #"missing required field "id""#),
        BadInput(
            "missing body on line 2", good + "\n" + #"{"id":"b","title":"Chỉ có tiêu đề"}"# + "\n", line: 2,
            message: #"missing required field "body""#),
        BadInput(
            "a number field on line 2", good + "\n" + #"{"id":"b","body":"Đà Lạt","views":3}"# + "\n", line: 2,
            message: #""views" is not a string"#),
        BadInput(
            "invalid UTF-8 on line 3 (after a blank line)",
            bytes: Array((good + "\n\n" + #"{"id":"c","body":"caf"#).utf8) + [0xC3, 0x28] + Array("\"}\n".utf8),
            line: 3, message: "invalid UTF-8"),
        BadInput("an empty file", "", line: nil, message: "empty file"),
        BadInput("a file of blank lines", "\n  \n\t\n", line: nil, message: "empty file"),
        BadInput(
            "a UTF-8 byte order mark", bytes: [0xEF, 0xBB, 0xBF] + Array((good + "\n").utf8), line: 1,
            message: "byte order mark"),
        BadInput(
            "a duplicate id field on line 1", #"{"id":"a","id":"b","body":"Sa Pa"}"# + "\n", line: 1,
            message: "duplicate field"),
        BadInput(
            "an empty id on line 2", good + "\n" + #"{"id":"","body":"Cần Thơ"}"# + "\n", line: 2, message: "empty"),
        BadInput(
            "CRLF lines, missing body on line 2", good + "\r\n" + #"{"id":"b"}"# + "\r\n", line: 2,
            message: #"missing required field "body""#),
    ]
}

@Suite("tra index (the built executable)")
struct IndexCommandTests {
    @Test("three documents: index, stats --json, verify")
    func indexStatsVerify() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let input = try folder.write("docs.jsonl", threeDocuments)
        let index = folder.path("index")

        let result = try indexSucceeds(index, [input], documents: 3)
        #expect(result.stdout.hasPrefix("indexed 3 documents"), "\(result)")
        #expect(result.stdout.contains(" into \(index): 1 segment"), "\(result)")
        #expect(folder.exists("index/manifest"))

        let stats = try indexStats(index)
        #expect(stats.documents == 3, "\(stats)")
        #expect(stats.segments == 1, "\(stats)")
        #expect(stats.analyzer == "tra-vi 2", "\(stats)")
        #expect(stats.formatVersion == 7, "\(stats)")
        #expect(stats.terms > 0, "\(stats)")
        #expect(stats.bytes > 0, "\(stats)")
        #expect(stats.deletedDocuments == 0, "\(stats)")

        let verify = try TraProcess.run("verify", "--index", index)
        #expect(verify.status == 0, "\(verify)")
        #expect(verify.stdout.hasPrefix("ok:"), "\(verify)")
        #expect(verify.stdout.filter { $0 == "\n" }.count == 1, "\(verify)")
        expectBytes(verify.stderr, "")

        // The plain stats are for people, but they exit 0 and name the documents.
        let plain = try TraProcess.run("stats", "--index", index)
        #expect(plain.status == 0, "\(plain)")
        #expect(plain.stdout.contains("documents"), "\(plain)")
        expectBytes(plain.stderr, "")
    }

    @Test("one document: verify and merge say \"1 document\"")
    func singular() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let input = try folder.write("one.jsonl", #"{"id":"a","title":"Huế","body":"Cố đô Huế."}"# + "\n")
        let index = folder.path("index")
        try indexSucceeds(index, [input], documents: 1)
        let verify = try TraProcess.run("verify", "--index", index)
        #expect(verify.stdout.hasPrefix("ok: \(index): 1 segment, 1 document, "), "\(verify)")
        let merge = try TraProcess.run("merge", "--index", index)
        #expect(merge.stdout.hasPrefix("merged 1 segment into 1: 1 document, "), "\(merge)")
    }

    @Test("bad input fails with one line naming the file and line, and commits nothing", arguments: BadInput.all)
    func badInput(_ bad: BadInput) throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let file = try folder.write("bad.jsonl", bytes: bad.bytes)
        let prefix = "tra: \(file):" + (bad.line.map { "\($0): " } ?? " ")

        // A first run on a fresh folder leaves no index.
        let fresh = folder.path("fresh")
        let first = try TraProcess.run("index", "--index", fresh, file)
        expectOneLineError(first, status: 1, prefix: prefix, bad.message)
        #expect(!folder.exists("fresh/manifest"), "a failed first run committed an index")
        let stats = try TraProcess.run("stats", "--index", fresh)
        expectOneLineError(stats, status: 1, prefix: "tra: no index at \(fresh)")

        // Over a committed index, neither a rebuild nor an append changes it.
        let index = folder.path("index")
        let good = try folder.write("good.jsonl", threeDocuments)
        try indexSucceeds(index, [good], documents: 3)
        let before = try indexStats(index)
        for extra in [[], ["--append"]] {
            let run = try TraProcess.run(["index", "--index", index] + extra + [file])
            expectOneLineError(run, status: 1, prefix: prefix, bad.message)
            let after = try indexStats(index)
            #expect(after.documents == 3, "\(extra): \(after)")
            expectBytes(after.json, before.json, "stats after a failed run with \(extra)")
        }
        let verify = try TraProcess.run("verify", "--index", index)
        #expect(verify.status == 0, "\(verify)")
    }

    @Test("a bad second input file: the error names it and nothing of the first is committed")
    func badSecondFile() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let good = try folder.write("a.jsonl", threeDocuments)
        let bad = try folder.write("b.jsonl", BadInput.good + "\n" + "not json\n")
        let index = folder.path("index")

        let first = try TraProcess.run("index", "--index", index, good, bad)
        expectOneLineError(first, status: 1, prefix: "tra: \(bad):2: ", "invalid JSON")
        #expect(!folder.exists("index/manifest"))

        try indexSucceeds(index, [good], documents: 3)
        let before = try indexStats(index)
        let again = try TraProcess.run("index", "--append", "--index", index, good, bad)
        expectOneLineError(again, status: 1, prefix: "tra: \(bad):2: ", "invalid JSON")
        expectBytes(try indexStats(index).json, before.json)
    }

    @Test("an input path that does not exist, and a folder without input files")
    func missingInputs() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = folder.path("index")
        let missing = folder.path("nosuch.jsonl")

        let run = try TraProcess.run("index", "--index", index, missing)
        expectOneLineError(run, status: 1, prefix: "tra: \(missing): ", "no such file")
        #expect(!folder.exists("index/manifest"))

        let empty = folder.path("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        try folder.write("empty/notes.md", "# không phải đầu vào\n")
        let folderRun = try TraProcess.run("index", "--index", index, empty)
        expectOneLineError(folderRun, status: 1, prefix: "tra: \(empty): ", "no .jsonl or .txt files")
        #expect(!folder.exists("index/manifest"))

        let noInputs = try TraProcess.run("index", "--index", index)
        expectOneLineError(noInputs, status: 1, prefix: "tra: ")
        #expect(!folder.exists("index/manifest"))
    }

    @Test("--skip-bad commits the good documents and reports each skipped line")
    func skipBad() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let lines = [
            #"{"id":"1","body":"Hà Nội mùa thu"}"#,
            #"{"id":"2","title":"Thiếu nội dung"}"#,
            #"{"id":"3","body":"Huế mộng mơ"}"#,
            #"{"id":"4","body":"Đà Nẵng","title":"Biển"}"#,
            #"{"id":"5","body":"Sài Gòn" "#,
            #"{"id":"6","body":"Cần Thơ gạo trắng nước trong"}"#,
        ]
        let file = try folder.write("docs.jsonl", lines.joined(separator: "\n") + "\n")
        let index = folder.path("index")

        let result = try TraProcess.run("index", "--skip-bad", "--index", index, file)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("indexed 4 documents"), "\(result)")
        #expect(result.stdout.contains("2 skipped"), "\(result)")
        #expect(result.stdout.filter { $0 == "\n" }.count == 1, "\(result)")
        let errors = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(errors.count == 3 && errors.last == "", "two lines: \(result)")
        if errors.count == 3 {
            #expect(errors[0].hasPrefix("tra: skipped \(file):2: "), "\(result)")
            #expect(errors[0].contains(#"missing required field "body""#), "\(result)")
            #expect(errors[1].hasPrefix("tra: skipped \(file):5: "), "\(result)")
            #expect(errors[1].contains("invalid JSON"), "\(result)")
        }
        #expect(try indexStats(index).documents == 4)
    }

    @Test("--skip-bad skips a bad file too")
    func skipBadFile() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let good = try folder.write("good.jsonl", threeDocuments)
        let empty = try folder.write("empty.jsonl", "")
        let index = folder.path("index")

        let result = try TraProcess.run("index", "--skip-bad", "--index", index, good, empty)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("indexed 3 documents"), "\(result)")
        #expect(result.stdout.contains("1 skipped"), "\(result)")
        expectBytes(result.stderr, "tra: skipped \(empty): empty file\n")
        #expect(try indexStats(index).documents == 3)
    }

    @Test("--skip-bad lists the first 20 skipped lines, then counts the rest")
    func skipBadMany() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        var lines = [#"{"id":"ok","body":"Việt Nam"}"#]
        for number in 1...25 { lines.append(#"{"id":"bad\#(number)"}"#) }
        let file = try folder.write("docs.jsonl", lines.joined(separator: "\n") + "\n")
        let index = folder.path("index")

        let result = try TraProcess.run("index", "--skip-bad", "--index", index, file)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("indexed 1 document"), "\(result)")
        #expect(result.stdout.contains("25 skipped"), "\(result)")
        let errors = result.stderr.split(separator: "\n").map(String.init)
        #expect(errors.count == 21, "\(result)")
        for (offset, line) in errors.prefix(20).enumerated() {
            #expect(line.hasPrefix("tra: skipped \(file):\(offset + 2): "), "\(line)")
        }
        #expect(errors.last == "tra: ... and 5 more skipped", "\(result)")
        #expect(try indexStats(index).documents == 1)
    }

    @Test("--append replaces a document with the same id; without it the index is rebuilt")
    func appendAndRebuild() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let old = try folder.write("old.jsonl", #"{"id":"tin-1","title":"Bản cũ","body":"Nội dung cũ"}"# + "\n")
        let new = try folder.write("new.jsonl", #"{"id":"tin-1","title":"Bản mới","body":"Nội dung mới hơn"}"# + "\n")
        let other = try folder.write(
            "other.jsonl",
            #"{"id":"tin-2","body":"Tin thứ hai"}"# + "\n" + #"{"id":"tin-3","body":"Tin thứ ba"}"# + "\n")
        let index = folder.path("index")

        try indexSucceeds(index, [old], documents: 1)
        let appended = try indexSucceeds(index, [new], extra: ["--append"], documents: 1)
        #expect(appended.stdout.contains("1 replaced"), "\(appended)")
        #expect(try indexStats(index).documents == 1)
        #expect(try TraProcess.run("verify", "--index", index).status == 0)

        // A second append of new ids adds to the index.
        let added = try indexSucceeds(index, [other], extra: ["--append"], documents: 2)
        #expect(!added.stdout.contains("replaced"), "\(added)")
        #expect(try indexStats(index).documents == 3)

        // Without --append only this run's documents remain.
        try indexSucceeds(index, [other], documents: 2)
        let rebuilt = try indexStats(index)
        #expect(rebuilt.documents == 2, "\(rebuilt)")
        #expect(rebuilt.segments == 1, "\(rebuilt)")
        let delete = try TraProcess.run("delete", "--index", index, "tin-1")
        #expect(delete.status == 0, "\(delete)")
        expectBytes(delete.stdout, "deleted 0 of 1 document\n")
    }

    @Test("the same id twice in one run: the later line wins")
    func duplicateIdInOneRun() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let file = try folder.write(
            "docs.jsonl",
            #"{"id":"x","body":"Lần đầu"}"# + "\n" + #"{"id":"x","body":"Lần sau"}"# + "\n"
                + #"{"id":"y","body":"Khác"}"# + "\n")
        let index = folder.path("index")

        let result = try indexSucceeds(index, [file], documents: 3)
        #expect(result.stdout.contains("1 replaced"), "\(result)")
        #expect(try indexStats(index).documents == 2)
    }

    @Test("a folder input: .jsonl and .txt files, recursively; hidden and other files skipped")
    func folderInput() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        try folder.write(
            "corpus/a.jsonl",
            #"{"id":"a1","body":"Hà Nội mùa thu"}"# + "\n" + #"{"id":"a2","body":"Phố cổ"}"# + "\n")
        try folder.write("corpus/sub/b.txt", "Tiêu đề bài viết\nNội dung của bài viết.\nDòng thứ hai.\n")
        try folder.write("corpus/.hidden.jsonl", "this is not JSON\n")
        try folder.write("corpus/.git/c.jsonl", "nor is this\n")
        try folder.write("corpus/notes.md", "# ghi chú\n")
        let corpus = folder.path("corpus")
        let index = folder.path("index")

        try indexSucceeds(index, [corpus], documents: 3)
        #expect(try indexStats(index).documents == 3)

        // The text document's id is its path relative to the folder given.
        let delete = try TraProcess.run("delete", "--index", index, "sub/b.txt")
        #expect(delete.status == 0, "\(delete)")
        expectBytes(delete.stdout, "deleted 1 of 1 document\n")
        expectBytes(delete.stderr, "")
        #expect(try indexStats(index).documents == 2)
    }

    @Test("a .txt file given directly is one document whose id is its file name")
    func textFileInput() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let file = try folder.write("bai-viet.txt", "Tiêu đề\r\nThân bài.\n")
        let index = folder.path("index")

        try indexSucceeds(index, [file], documents: 1)
        let delete = try TraProcess.run("delete", "--index", index, "bai-viet.txt")
        expectBytes(delete.stdout, "deleted 1 of 1 document\n")
    }
}
