import Testing
import Tra

@Suite("JSONL line parser")
struct JSONLineParserTests {
    @Test func minimalDocument() throws {
        let document = try parseIngestLine(#"{"id":"a","body":"x"}"#).get()
        #expect(document.id == "a")
        #expect(ingestFieldList(document) == ["body=x"])
        #expect(document.body == "x")
        #expect(document.title == nil)
        #expect(document.source == SourceLocation(file: "data.jsonl", line: 17))
    }

    @Test func escapesAndSurrogatePairs() throws {
        let line = #"{"id":"\u0041\u00e9","title":"Vi\u1EC7t","body":"\ud83d\ude00 \"q\" \\ \/ \b\f\n\r\t\u0000"}"#
        let document = try parseIngestLine(line).get()
        #expect(document.id == "A\u{E9}")
        #expect(Array(document.id.utf8) == [0x41, 0xC3, 0xA9])
        #expect(document.title == "Vi\u{1EC7}t")
        #expect(
            Array(document.body.unicodeScalars) == Array("\u{1F600} \"q\" \\ / \u{8}\u{C}\n\r\t\u{0}".unicodeScalars))
    }

    @Test func rawUTF8IsKeptByteForByte() throws {
        // NFD "ệ" (e + U+0323 + U+0302) must not be normalized, and must stay distinct from NFC.
        let nfd = "Vie\u{323}\u{302}t"
        let document = try parseIngestLine(#"{"id":"1","body":"Tiếng \#(nfd) 😀"}"#).get()
        #expect(Array(document.body.utf8) == Array("Tiếng \(nfd) 😀".utf8))
    }

    @Test func extraStringFieldsAreKeptInOrder() throws {
        let line = #"{"url":"u","id":"1","title":"t","date":"d","body":"b","source":"s"}"#
        let document = try parseIngestLine(line).get()
        #expect(document.id == "1")
        #expect(ingestFieldList(document) == ["url=u", "title=t", "date=d", "body=b", "source=s"])
        #expect(document[field: "date"] == "d")
        #expect(document[field: "missing"] == nil)
    }

    @Test func whitespaceBetweenTokensAndEmptyStrings() throws {
        let document = try parseIngestLine(" \t{ \"id\" : \"1\" ,\t\"title\":\"\", \"body\" : \"\" } \r").get()
        #expect(document.id == "1")
        #expect(ingestFieldList(document) == ["title=", "body="])
    }

    @Test func keysAreComparedByTheirExactCharacters() throws {
        // NFC and NFD spellings of a key are different keys, as in JSON; escaped and raw spellings are the same.
        let document = try parseIngestLine(#"{"id":"1","body":"b","\#u{E9}":"1","e\#u{301}":"2"}"#).get()
        #expect(document.fields.count == 3)
        #expect(
            ingestLineError(#"{"id":"1","body":"b","\u00e9":"1","é":"2"}"#)
                == #"data.jsonl:17: duplicate field "é" at column 35"#)
    }

    @Test func syntaxErrors() {
        let cases: [(String, String)] = [
            (#"{"id":"1","body":"b""#, "invalid JSON at column 21: unexpected end of line, expected ',' or '}'"),
            (#"{"id":"1" "body":"b"}"#, "invalid JSON at column 11: expected ',' or '}'"),
            (#"{"id":"1","body":"b",}"#, #"invalid JSON at column 22: expected '"'"#),
            (#"{"id":"1","body":"b"} x"#, "invalid JSON at column 23: unexpected data after the object"),
            (#"{"id":"1","body":"b"}{}"#, "invalid JSON at column 22: unexpected data after the object"),
            (#"["id","body"]"#, "invalid JSON at column 1: expected '{' (each line must be one JSON object)"),
            (#"{'id':'1'}"#, #"invalid JSON at column 2: expected '"' or '}'"#),
            (#"{"id" "1"}"#, "invalid JSON at column 7: expected ':'"),
            (#"{"id":abc}"#, "invalid JSON at column 7: expected a string value"),
            (#"{"id":"#, "invalid JSON at column 7: unexpected end of line, expected a value"),
            (
                #"{"id":"1","body":"abc"#,
                "invalid JSON at column 22: unexpected end of line, unterminated string (it starts at column 18)"
            ),
            (
                "{\"id\":\"1\",\"body\":\"a\tb\"}",
                "invalid JSON at column 20: control character U+0009 in a string must be escaped"
            ),
            (
                "{\"id\":\"1\",\"body\":\"a\nb\"}",
                "invalid JSON at column 20: control character U+000A in a string must be escaped"
            ),
            (#"{"id":"1","body":"\x"}"#, #"invalid JSON at column 19: invalid escape '\x'"#),
            (#"{"id":"1","body":"\u12g4"}"#, #"invalid JSON at column 19: invalid \u escape: expected 4 hex digits"#),
            (#"{"id":"1","body":"\u12"}"#, #"invalid JSON at column 19: invalid \u escape: expected 4 hex digits"#),
            (#"{"id":"1","body":"\"#, "invalid JSON at column 20: unexpected end of line, unterminated escape"),
        ]
        for (line, message) in cases {
            #expect(ingestLineError(line) == "data.jsonl:17: \(message)", "\(line)")
        }
    }

    @Test func loneSurrogateEscapes() {
        let high = "lone surrogate \\uD800 (a high surrogate must be followed by a low one)"
        let cases: [(String, String)] = [
            (#"{"id":"1","body":"\ud800x"}"#, "invalid JSON at column 19: \(high)"),
            (#"{"id":"1","body":"\ud800"}"#, "invalid JSON at column 19: \(high)"),
            (#"{"id":"1","body":"\ud800\ud800"}"#, "invalid JSON at column 19: \(high)"),
            (#"{"id":"1","body":"\ud800\u0041"}"#, "invalid JSON at column 19: \(high)"),
            (#"{"id":"1","body":"\ud800\n"}"#, "invalid JSON at column 19: \(high)"),
            (
                #"{"id":"1","body":"ab\uDC00"}"#,
                #"invalid JSON at column 21: lone surrogate \uDC00 (a low surrogate with no high one before it)"#
            ),
            (
                #"{"id":"1","body":"\ud800\u12"}"#,
                #"invalid JSON at column 25: invalid \u escape: expected 4 hex digits"#
            ),
        ]
        for (line, message) in cases {
            #expect(ingestLineError(line) == "data.jsonl:17: \(message)", "\(line)")
        }
    }

    @Test func fieldsThatAreNotStrings() {
        let cases: [(String, String)] = [
            (#"{"id":"1","body":"b","views":12}"#, #"field "views" is not a string (found a number at column 30)"#),
            (#"{"id":1,"body":"b"}"#, #"field "id" is not a string (found a number at column 7)"#),
            (#"{"id":"1","body":null}"#, #"field "body" is not a string (found null at column 18)"#),
            (#"{"id":"1","body":"b","ok":true}"#, #"field "ok" is not a string (found a boolean at column 27)"#),
            (#"{"id":"1","body":"b","ok":false}"#, #"field "ok" is not a string (found a boolean at column 27)"#),
            (#"{"id":"1","body":"b","tags":["a"]}"#, #"field "tags" is not a string (found an array at column 29)"#),
            (
                #"{"id":"1","title":{"vi":"t"},"body":"b"}"#,
                #"field "title" is not a string (found an object at column 19)"#
            ),
            (#"{"id":"1","x":-1}"#, #"field "x" is not a string (found a number at column 15)"#),
        ]
        for (line, message) in cases {
            #expect(ingestLineError(line) == "data.jsonl:17: \(message)", "\(line)")
        }
    }

    @Test func deepNestingIsRejectedWithoutRecursion() {
        let line = #"{"id":"1","body":"# + String(repeating: "[", count: 1_000_000)
        #expect(ingestLineError(line) == #"data.jsonl:17: field "body" is not a string (found an array at column 18)"#)
    }

    @Test func requiredFieldsAndDuplicates() {
        let cases: [(String, String)] = [
            (#"{"body":"b"}"#, #"missing required field "id""#),
            (#"{"id":"1","title":"t"}"#, #"missing required field "body""#),
            (#"{}"#, #"missing required field "id""#),
            (#"{"id":"","body":"b"}"#, #"field "id" is empty"#),
            (#"{"id":"1","body":"b","id":"2"}"#, #"duplicate field "id" at column 22"#),
            (#"{"id":"1","body":"b","\u0069d":"2"}"#, #"duplicate field "id" at column 22"#),
            (#"{"id":"1","body":"b","a\nb":"1","a\nb":"2"}"#, #"duplicate field "a\nb" at column 33"#),
        ]
        for (line, message) in cases {
            #expect(ingestLineError(line) == "data.jsonl:17: \(message)", "\(line)")
        }
    }

    @Test func errorsCarryTheirColumn() throws {
        let error = try #require(parseIngestLine(#"{"id":"1" "body":"b"}"#).ingestFailure)
        #expect(error.file == "data.jsonl")
        #expect(error.line == 17)
        #expect(error.column == 11)
        #expect(error.message == "invalid JSON at column 11: expected ',' or '}'")
        let missing = try #require(parseIngestLine(#"{"id":"1"}"#).ingestFailure)
        #expect(missing.column == nil)
    }
}

extension Result {
    var ingestFailure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
