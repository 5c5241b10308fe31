import Foundation
import Testing
import Tra

@Suite("Ingest source")
struct IngestSourceTests {
    @Test func goodLinesBlankLinesAndCRLF() throws {
        let folder = try IngestTemporaryFolder()
        let path = try folder.write(
            "data.jsonl",
            "{\"id\":\"1\",\"body\":\"một\"}\n\n   \t\r\n{\"id\":\"2\",\"title\":\"T\",\"body\":\"hai\"}\r\n"
                + "{\"id\":\"3\",\"body\":\"ba\",\"url\":\"u\"}")
        let ingested = try Ingested([path])
        #expect(ingested.errors == [])
        #expect(ingested.documents.map(\.id) == ["1", "2", "3"])
        #expect(ingested.documents.map(\.source.line) == [1, 4, 5])
        #expect(ingested.documents.map(\.source.file) == [path, path, path])
        #expect(ingested.documents[1].title == "T")
        #expect(ingested.documents[1].body == "hai")
        #expect(ingestFieldList(ingested.documents[2]) == ["body=ba", "url=u"])
    }

    @Test func badLinesAreReportedAndReadingGoesOn() throws {
        let folder = try IngestTemporaryFolder()
        let lines: [[UInt8]] = [
            Array(#"{"id":"1","body":"b"}"#.utf8),
            Array(#"{"id":"2","body":"b""#.utf8),
            Array(#"{"body":"b"}"#.utf8),
            [],
            Array(#"{"id":"4","body":"b","n":1}"#.utf8),
            Array(#"{"id":"5","body":""#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8),
            Array(#"{"id":"6","body":"b"}"#.utf8),
        ]
        let path = try folder.write("data.jsonl", Array(lines.joined(separator: [UInt8(ascii: "\n")])))
        let ingested = try Ingested([path])
        #expect(
            ingested.events == [
                "1",
                "error: \(path):2: invalid JSON at column 21: unexpected end of line, expected ',' or '}'",
                "error: \(path):3: missing required field \"id\"",
                "error: \(path):5: field \"n\" is not a string (found a number at column 26)",
                "error: \(path):6: invalid UTF-8 at column 19: overlong encoding (0xC0 0xAF)",
                "6",
            ])
        #expect(ingested.progress.last == IngestSource.totalBytes(of: [path]))
    }

    @Test func fileLevelErrors() throws {
        let folder = try IngestTemporaryFolder()
        let bom = try folder.write("bom.jsonl", [0xEF, 0xBB, 0xBF] + Array(#"{"id":"1","body":"b"}"#.utf8))
        let empty = try folder.write("empty.jsonl", [])
        let blank = try folder.write("blank.jsonl", " \n\r\n\t\n")
        let good = try folder.write("good.jsonl", #"{"id":"g","body":"b"}"#)
        let textBOM = try folder.write("bom.txt", [0xEF, 0xBB, 0xBF] + Array("Title\nbody".utf8))
        let textEmpty = try folder.write("empty.txt", "\n \n")
        let ingested = try Ingested([bom, empty, blank, textBOM, textEmpty, good])
        #expect(
            ingested.events == [
                "error: \(bom):1: file starts with a UTF-8 byte order mark (BOM); remove it",
                "error: \(empty): empty file",
                "error: \(blank): empty file",
                "error: \(textBOM):1: file starts with a UTF-8 byte order mark (BOM); remove it",
                "error: \(textEmpty): empty file",
                "g",
            ])
    }

    @Test func badPaths() throws {
        let folder = try IngestTemporaryFolder()
        let missing = folder.path("nope")
        #expect(throws: IngestError(file: missing, message: "no such file or folder")) {
            try IngestSource(inputs: [missing])
        }
        try folder.write("other/readme.md", "# notes")
        try folder.write("other/.hidden.jsonl", #"{"id":"1","body":"b"}"#)
        try folder.write("other/.git/x.jsonl", #"{"id":"1","body":"b"}"#)
        let other = folder.path("other")
        #expect(throws: IngestError(file: other, message: "no .jsonl or .txt files in this folder")) {
            try IngestSource(inputs: [other])
        }
        let error = IngestError(file: other, message: "no .jsonl or .txt files in this folder")
        #expect(error.description == "\(other): no .jsonl or .txt files in this folder")
    }

    @Test func foldersAreWalkedInSortedOrderWithRelativeIDs() throws {
        let folder = try IngestTemporaryFolder()
        try folder.write("in/b.jsonl", "{\"id\":\"b1\",\"body\":\"x\"}\n{\"id\":\"b2\",\"body\":\"y\"}\n")
        try folder.write("in/a.txt", "Tiêu đề\r\nDòng một\r\nDòng hai\n")
        try folder.write("in/a-b.txt", "Only a title")
        try folder.write("in/sub/c.txt", "C\n\nbody of c")
        try folder.write("in/sub/z.JSONL", #"{"id":"z","body":"z"}"#)
        try folder.write("in/sub/deeper/d.txt", "D\nd")
        try folder.write("in/.hidden.jsonl", #"{"id":"hidden","body":"h"}"#)
        try folder.write("in/.git/x.txt", "hidden\nh")
        try folder.write("in/readme.md", "# not an input")
        let input = folder.path("in")
        let source = try IngestSource(inputs: [input + "/"])
        #expect(
            source.files.map(\.relativePath) == [
                "a-b.txt", "a.txt", "b.jsonl", "sub/c.txt", "sub/deeper/d.txt", "sub/z.JSONL",
            ])
        #expect(source.files.map(\.path).first == input + "/a-b.txt")
        #expect(source.files.map(\.format) == [.text, .text, .jsonl, .text, .text, .jsonl])
        let ingested = Ingested(source)
        #expect(ingested.errors == [])
        #expect(ingested.documents.map(\.id) == ["a-b.txt", "a.txt", "b1", "b2", "sub/c.txt", "sub/deeper/d.txt", "z"])
        let texts = ingested.documents.filter { $0.id.hasSuffix(".txt") }
        #expect(
            texts.map { ingestFieldList($0) } == [
                ["title=Only a title", "body="],
                ["title=Tiêu đề", "body=Dòng một\r\nDòng hai\n"],
                ["title=C", "body=\nbody of c"],
                ["title=D", "body=d"],
            ])
        #expect(
            texts.map(\.source) == [
                SourceLocation(file: input + "/a-b.txt", line: 1), SourceLocation(file: input + "/a.txt", line: 1),
                SourceLocation(file: input + "/sub/c.txt", line: 1),
                SourceLocation(file: input + "/sub/deeper/d.txt", line: 1),
            ])
        #expect(ingested.progress == ingested.progress.sorted())
        #expect(ingested.progress.last == source.totalBytes)
    }

    @Test func aTextFileGivenDirectlyIsNamedByItsFileName() throws {
        let folder = try IngestTemporaryFolder()
        let path = try folder.write("notes/ghi chú.txt", "Ghi chú\nNội dung")
        let ingested = try Ingested([path])
        #expect(ingested.documents.map(\.id) == ["ghi chú.txt"])
        #expect(ingested.documents.first?.body == "Nội dung")
    }

    @Test func textFilesMustBeUTF8() throws {
        let folder = try IngestTemporaryFolder()
        let path = try folder.write(
            "in/bad.txt", Array("Title\nline two\nabcd".utf8) + [0xF4, 0x90, 0x80, 0x80] + [0x0A])
        try folder.write("in/good.txt", "Good\nbody")
        let ingested = try Ingested([folder.path("in")])
        #expect(
            ingested.events == [
                "error: \(path):3: invalid UTF-8 at column 5: code point above U+10FFFF (0xF4 0x90 0x80 0x80)",
                "good.txt",
            ])
        let titlePath = try folder.write("title.txt", [0x41, 0x80, 0x0A, 0x42])
        #expect(
            try Ingested([titlePath]).errors == [
                "\(titlePath):1: invalid UTF-8 at column 2: unexpected continuation byte 0x80"
            ])
    }

    @Test func aHugeLineIsRead() throws {
        let folder = try IngestTemporaryFolder()
        let piece = "Tiếng Việt có dấu, \\\"trích dẫn\\\" và \\u1EC7 \\ud83d\\ude00. "
        let expectedPiece = "Tiếng Việt có dấu, \"trích dẫn\" và \u{1EC7} \u{1F600}. "
        let repeats = 20_000_000 / piece.utf8.count + 1
        var bytes = Array(#"{"id":"huge","title":"Lớn","body":""#.utf8)
        bytes.reserveCapacity(repeats * piece.utf8.count + 200)
        for _ in 0..<repeats { bytes += piece.utf8 }
        bytes += Array("\"}\n{\"id\":\"next\",\"body\":\"nhỏ\"}\n".utf8)
        let path = try folder.write("huge.jsonl", bytes)
        let ingested = try Ingested([path], bufferSize: 1 << 16)
        #expect(ingested.errors == [])
        #expect(ingested.documents.map(\.id) == ["huge", "next"])
        let body = try #require(ingested.documents.first?.body)
        #expect(body.utf8.count == repeats * expectedPiece.utf8.count)
        #expect(body.hasPrefix(expectedPiece + expectedPiece))
        #expect(body.hasSuffix(expectedPiece + expectedPiece))
        #expect(ingested.progress.last == bytes.count)
    }

    @Test func tinyBuffersGiveTheSameDocuments() throws {
        let folder = try IngestTemporaryFolder()
        var text = ""
        for i in 0..<200 {
            let body = String(repeating: "chữ \(i) ", count: i % 37)
            text += i % 9 == 0 ? "\r\n" : ""
            text += #"{"id":"d\#(i)","body":"\#(body)"}"# + (i % 5 == 0 ? "\r\n" : "\n")
        }
        text += #"{"id":"last","body":"no line feed"}"#
        let path = try folder.write("many.jsonl", text)
        let reference = try Ingested([path])
        #expect(reference.errors == [])
        #expect(reference.documents.count == 201)
        for size in [1, 16, 17, 64, 100, 4096] {
            let small = try Ingested([path], bufferSize: size)
            #expect(small.documents == reference.documents, "buffer \(size)")
            #expect(small.progress == reference.progress, "buffer \(size)")
        }
    }

    @Test func anErrorThrownByTheCallerStopsReading() throws {
        struct Stop: Error {}
        let folder = try IngestTemporaryFolder()
        let path = try folder.write("data.jsonl", "{\"id\":\"1\",\"body\":\"a\"}\n{\"id\":\"2\",\"body\":\"b\"}\n")
        var seen: [String] = []
        #expect(throws: Stop.self) {
            try IngestSource(inputs: [path]).forEach { result, _ in
                seen.append((try? result.get().id) ?? "error")
                throw Stop()
            }
        }
        #expect(seen == ["1"])
    }
}

extension IngestSource {
    static func totalBytes(of inputs: [String]) -> Int? { try? IngestSource(inputs: inputs).totalBytes }
}
