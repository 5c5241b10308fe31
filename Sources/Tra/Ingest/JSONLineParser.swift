import TraTokenizer

/// A strict, fast parser for one JSONL line: a flat JSON object whose values are all strings.
///
/// It works on the line's bytes (without the line feed; the reader also drops a CR before it) and
/// accepts exactly RFC 8259 objects whose member values are strings: every escape, `\uXXXX` with
/// surrogate pairs, whitespace between tokens. It rejects, with the 1-based byte column:
/// ill-formed UTF-8 anywhere in the line (reported before any other problem of the line), a syntax
/// error, an unescaped control character in a string, a lone surrogate escape, a duplicate key (keys are
/// compared by their exact characters), a value that is not a string, and anything after the object.
/// It never recurses: a value that is not a string stops the parse where it starts.
///
/// The parser keeps a scratch buffer for strings with escapes: reuse one parser for a whole input.
package struct JSONLineParser {
    private var scratch: [UInt8] = []
    private let table = UTF8DFA.table

    package init() {}

    /// The members of the object on `line`, in input order.
    package mutating func parseFields(_ line: UnsafeRawBufferPointer) throws(JSONLineError) -> [(
        name: String, value: String
    )] {
        do throws(JSONLineError) {
            return try parseObject(line)
        } catch {
            // Ill-formed UTF-8 is the first thing to fix wherever it is, so it wins over what stopped the parse.
            if let failure = UTF8Validation.firstError(in: line) {
                let column = failure.offset + 1
                throw JSONLineError(column: column, message: "invalid UTF-8 at column \(column): \(failure.reason)")
            }
            throw error
        }
    }

    /// The document on `line`: its `id` and `body` are required; every member must be a string.
    package mutating func parseDocument(
        _ line: UnsafeRawBufferPointer, source: SourceLocation
    ) -> Result<IngestDocument, IngestError> {
        let parsed: [(name: String, value: String)]
        do throws(JSONLineError) {
            parsed = try parseFields(line)
        } catch {
            return .failure(error.located(at: source))
        }
        var id: String?
        var hasBody = false
        var fields: [(name: String, value: String)] = []
        fields.reserveCapacity(parsed.count)
        for field in parsed {
            if field.name == "id" {
                id = field.value
            } else {
                if field.name == "body" { hasBody = true }
                fields.append(field)
            }
        }
        guard let id else { return .failure(missing("id", at: source)) }
        guard hasBody else { return .failure(missing("body", at: source)) }
        guard !id.isEmpty else {
            return .failure(IngestError(file: source.file, line: source.line, message: "field \"id\" is empty"))
        }
        return .success(IngestDocument(id: id, fields: fields, source: source))
    }

    private func missing(_ name: String, at source: SourceLocation) -> IngestError {
        IngestError(file: source.file, line: source.line, message: "missing required field \"\(name)\"")
    }

    // MARK: - The object

    private mutating func parseObject(_ line: UnsafeRawBufferPointer) throws(JSONLineError) -> [(
        name: String, value: String
    )] {
        guard let raw = line.baseAddress, !line.isEmpty else {
            throw JSONLineError(column: 1, message: "invalid JSON at column 1: empty line, expected '{'")
        }
        let b = raw.assumingMemoryBound(to: UInt8.self)
        let n = line.count
        var p = Self.skipSpace(b, 0, n)
        guard p < n, b[p] == IngestByte.openBrace else {
            throw Self.syntax(p, n, "expected '{' (each line must be one JSON object)")
        }
        var fields: [(name: String, value: String)] = []
        p = Self.skipSpace(b, p + 1, n)
        if p < n, b[p] == IngestByte.closeBrace {
            p += 1
        } else {
            while true {
                guard p < n, b[p] == IngestByte.quote else {
                    throw Self.syntax(p, n, fields.isEmpty ? "expected '\"' or '}'" : "expected '\"'")
                }
                let keyStart = p
                let name: String
                (name, p) = try parseString(b, n, p + 1)
                if Self.isDuplicate(name, in: fields) {
                    let column = keyStart + 1
                    throw JSONLineError(
                        column: column, message: "duplicate field \(name.debugDescription) at column \(column)")
                }
                p = Self.skipSpace(b, p, n)
                guard p < n, b[p] == IngestByte.colon else { throw Self.syntax(p, n, "expected ':'") }
                p = Self.skipSpace(b, p + 1, n)
                guard p < n, b[p] == IngestByte.quote else { throw Self.notAString(name, b, n, p) }
                let value: String
                (value, p) = try parseString(b, n, p + 1)
                fields.append((name, value))
                p = Self.skipSpace(b, p, n)
                guard p < n, b[p] == IngestByte.comma || b[p] == IngestByte.closeBrace else {
                    throw Self.syntax(p, n, "expected ',' or '}'")
                }
                p += 1
                if b[p - 1] == IngestByte.closeBrace { break }
                p = Self.skipSpace(b, p, n)
            }
        }
        p = Self.skipSpace(b, p, n)
        guard p == n else { throw Self.syntax(p, n, "unexpected data after the object") }
        return fields
    }

    private static func isDuplicate(_ name: String, in fields: [(name: String, value: String)]) -> Bool {
        let count = name.utf8.count
        return fields.contains { $0.name.utf8.count == count && $0.name.utf8.elementsEqual(name.utf8) }
    }

    /// The error for a member value that does not start with a quote.
    private static func notAString(_ name: String, _ b: UnsafePointer<UInt8>, _ n: Int, _ p: Int) -> JSONLineError {
        guard p < n else { return syntax(p, n, "expected a value") }
        let found: String
        switch b[p] {
        case IngestByte.openBrace: found = "an object"
        case IngestByte.openBracket: found = "an array"
        case IngestByte.minus, IngestByte.zero...IngestByte.nine: found = "a number"
        default:
            if matches("true", b, n, p) || matches("false", b, n, p) {
                found = "a boolean"
            } else if matches("null", b, n, p) {
                found = "null"
            } else {
                return syntax(p, n, "expected a string value")
            }
        }
        let column = p + 1
        return JSONLineError(
            column: column,
            message: "field \(name.debugDescription) is not a string (found \(found) at column \(column))"
        )
    }

    private static func matches(_ word: StaticString, _ b: UnsafePointer<UInt8>, _ n: Int, _ p: Int) -> Bool {
        let count = word.utf8CodeUnitCount
        guard p + count <= n else { return false }
        for k in 0..<count where b[p + k] != word.utf8Start[k] { return false }
        return true
    }

    // MARK: - Strings

    /// Parses the string whose first byte (after the opening quote) is at `start`.
    /// Returns it and the offset just after its closing quote.
    @inline(__always)
    private mutating func parseString(
        _ b: UnsafePointer<UInt8>, _ n: Int, _ start: Int
    ) throws(JSONLineError) -> (String, Int) {
        var state = UTF8DFA.accept
        var seen: UInt64 = 0
        var p = Self.scanString(b, start, n, table, &state, &seen)
        if p < n, b[p] == IngestByte.quote, state == UTF8DFA.accept {
            let bytes = UnsafeBufferPointer(start: b + start, count: p - start)
            return (Self.makeString(bytes, isASCII: seen & Self.highBits == 0), p + 1)
        }
        scratch.removeAll(keepingCapacity: true)
        var segment = start
        while true {
            // Every byte the scan stops at is ASCII: a sequence still open before it is ill-formed.
            guard state == UTF8DFA.accept else { throw Self.invalidUTF8 }
            guard p < n else {
                throw Self.syntax(p, n, "unterminated string (it starts at column \(start))")
            }
            let c = b[p]
            if c == IngestByte.quote { break }
            if c == IngestByte.backslash {
                scratch.append(contentsOf: UnsafeBufferPointer(start: b + segment, count: p - segment))
                p = try decodeEscape(b, n, p, &seen)
                segment = p
            } else {
                throw Self.syntax(p, n, "control character \(Self.codePoint(UInt32(c))) in a string must be escaped")
            }
            p = Self.scanString(b, p, n, table, &state, &seen)
        }
        scratch.append(contentsOf: UnsafeBufferPointer(start: b + segment, count: p - segment))
        let string = scratch.withUnsafeBufferPointer { Self.makeString($0, isASCII: seen & Self.highBits == 0) }
        return (string, p + 1)
    }

    /// Decodes the escape whose backslash is at `p` into `scratch`; returns the offset after it.
    private mutating func decodeEscape(
        _ b: UnsafePointer<UInt8>, _ n: Int, _ p: Int, _ seen: inout UInt64
    ) throws(JSONLineError) -> Int {
        guard p + 1 < n else { throw Self.syntax(p + 1, n, "unterminated escape") }
        switch b[p + 1] {
        case IngestByte.quote, IngestByte.backslash, IngestByte.slash: scratch.append(b[p + 1])
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try Self.hex4(b, n, p)
            var scalar = unit
            var next = p + 6
            if unit >= 0xD800 && unit < 0xDC00 {
                let low =
                    next + 1 < n && b[next] == IngestByte.backslash && b[next + 1] == UInt8(ascii: "u")
                    ? try Self.hex4(b, n, next) : nil
                guard let low, low >= 0xDC00 && low < 0xE000 else {
                    throw Self.syntax(
                        p, n, "lone surrogate \\u\(Self.hex(unit)) (a high surrogate must be followed by a low one)")
                }
                scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                next += 6
            } else if unit >= 0xDC00 && unit < 0xE000 {
                throw Self.syntax(
                    p, n, "lone surrogate \\u\(Self.hex(unit)) (a low surrogate with no high one before it)")
            }
            if scalar >= 0x80 { seen |= Self.highBits }
            Self.appendUTF8(scalar, to: &scratch)
            return next
        default:
            let c = b[p + 1]
            let shown = c >= 0x20 && c < 0x7F ? "'\\\(Character(Unicode.Scalar(c)))'" : "'\\' before byte \(c)"
            throw Self.syntax(p, n, "invalid escape \(shown)")
        }
        return p + 2
    }

    /// The four hex digits of the `\u` escape whose backslash is at `p`.
    private static func hex4(_ b: UnsafePointer<UInt8>, _ n: Int, _ p: Int) throws(JSONLineError) -> UInt32 {
        guard p + 6 <= n else { throw syntax(p, n, "invalid \\u escape: expected 4 hex digits") }
        var value: UInt32 = 0
        for k in 2..<6 {
            let c = b[p + k]
            let digit: UInt8
            switch c {
            case IngestByte.zero...IngestByte.nine: digit = c - IngestByte.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: throw syntax(p, n, "invalid \\u escape: expected 4 hex digits")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private static func appendUTF8(_ scalar: UInt32, to bytes: inout [UInt8]) {
        UTF8Decoder.append(scalar, to: &bytes)
    }

    /// A string of bytes the scan has validated.
    @inline(__always)
    private static func makeString(_ bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) -> String {
        if #available(macOS 26, iOS 26, tvOS 26, watchOS 26, visionOS 26, *) {
            return String(copying: UTF8Span(unchecked: bytes.span, isKnownASCII: isASCII))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Replaced by the located UTF-8 error in `parseFields`.
    private static let invalidUTF8 = JSONLineError(column: nil, message: "invalid UTF-8")

    // MARK: - Bytes

    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The offset of the first quote, backslash or control character (< 0x20) at or after `from`, or `n`.
    /// The bytes before it go through the UTF-8 DFA (`state`) and are OR-ed into `seen`.
    ///
    /// Eight bytes at a time: the lowest flagged byte of a word is exact (borrows only move upward), and a
    /// word of ASCII needs no DFA steps (it only closes an open sequence as an error).
    @inline(__always)
    private static func scanString(
        _ b: UnsafePointer<UInt8>, _ from: Int, _ n: Int, _ table: UnsafePointer<UInt64>,
        _ state: inout UInt64, _ seen: inout UInt64
    ) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quotes = ones &* UInt64(IngestByte.quote)
        let backslashes = ones &* UInt64(IngestByte.backslash)
        let spaces = ones &* 0x20
        var i = from
        let raw = UnsafeRawPointer(b)
        while i + 8 <= n {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let q = word ^ quotes
            let s = word ^ backslashes
            let flags = ((q &- ones) & ~q | (s &- ones) & ~s | (word &- spaces) & ~word) & highBits
            if flags != 0 {
                let stop = i + flags.trailingZeroBitCount >> 3
                while i < stop {
                    state = UTF8DFA.step(table, state, b[i])
                    seen |= UInt64(b[i])
                    i += 1
                }
                return stop
            }
            let high = word & highBits
            if high == 0 {
                if state != UTF8DFA.accept { state = UTF8DFA.error }
            } else {
                seen |= high
                var bytes = word
                for _ in 0..<8 {
                    state = UTF8DFA.step(table, state, UInt8(truncatingIfNeeded: bytes))
                    bytes &>>= 8
                }
            }
            i += 8
        }
        while i < n {
            let c = b[i]
            if c == IngestByte.quote || c == IngestByte.backslash || c < 0x20 { return i }
            state = UTF8DFA.step(table, state, c)
            seen |= UInt64(c)
            i += 1
        }
        return n
    }

    @inline(__always)
    private static func skipSpace(_ b: UnsafePointer<UInt8>, _ from: Int, _ n: Int) -> Int {
        var i = from
        while i < n {
            switch b[i] {
            case IngestByte.space, IngestByte.tab, IngestByte.lineFeed, IngestByte.carriageReturn: i += 1
            default: return i
            }
        }
        return i
    }

    /// A syntax error at offset `p` of a line of `n` bytes (at the end when `p == n`).
    private static func syntax(_ p: Int, _ n: Int, _ what: String) -> JSONLineError {
        let column = p + 1
        let message = p < n ? what : "unexpected end of line, \(what)"
        return JSONLineError(column: column, message: "invalid JSON at column \(column): \(message)")
    }

    private static func codePoint(_ value: UInt32) -> String { "U+" + hex(value) }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

/// The ASCII bytes the JSON and line readers look for.
enum IngestByte {
    static let tab = UInt8(ascii: "\t")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let quote = UInt8(ascii: "\"")
    static let comma = UInt8(ascii: ",")
    static let minus = UInt8(ascii: "-")
    static let slash = UInt8(ascii: "/")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let colon = UInt8(ascii: ":")
    static let openBracket = UInt8(ascii: "[")
    static let backslash = UInt8(ascii: "\\")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
}
