/// A JSON value (RFC 8259), as the evaluation-set reader needs it: numbers are kept as their text.
package enum JSONValue {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(name: String, value: JSONValue)])

    /// What the value is, for messages: "a string", "an array"...
    package var kind: String {
        switch self {
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The members of an object, first occurrence of each name wins; nil for other values.
    package func member(_ name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.name == name }?.value
    }
}

/// A small recursive-descent JSON parser over the bytes of one line, which must be well-formed UTF-8
/// (check that first: the parser reports syntax, not encoding). Nesting is limited to
/// ``maximumDepth`` levels so that a hostile line cannot exhaust the stack.
package struct JSONValueParser {
    package static let maximumDepth = 64

    private let bytes: [UInt8]
    private var position = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The one value on `line`; whitespace around it is allowed, anything else after it is not.
    package static func parse(_ line: [UInt8]) throws(JSONLineError) -> JSONValue {
        var parser = JSONValueParser(line)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.position == line.count else { throw parser.syntax("unexpected data after the value") }
        return value
    }

    private mutating func value(depth: Int) throws(JSONLineError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw syntax("nested deeper than \(Self.maximumDepth) levels") }
        guard position < bytes.count else { throw syntax("expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try word("true", .bool(true))
        case UInt8(ascii: "f"): return try word("false", .bool(false))
        case UInt8(ascii: "n"): return try word("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw syntax("expected a value")
        }
    }

    private mutating func object(depth: Int) throws(JSONLineError) -> JSONValue {
        position += 1
        var members: [(name: String, value: JSONValue)] = []
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw syntax(members.isEmpty ? "expected '\"' or '}'" : "expected '\"'")
            }
            let name = try string()
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw syntax("expected ':'") }
            position += 1
            skipSpace()
            members.append((name, try value(depth: depth + 1)))
            skipSpace()
            guard position < bytes.count else { throw syntax("expected ',' or '}'") }
            let separator = bytes[position]
            position += 1
            if separator == UInt8(ascii: "}") { return .object(members) }
            guard separator == UInt8(ascii: ",") else {
                position -= 1
                throw syntax("expected ',' or '}'")
            }
            skipSpace()
        }
    }

    private mutating func array(depth: Int) throws(JSONLineError) -> JSONValue {
        position += 1
        var elements: [JSONValue] = []
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            elements.append(try value(depth: depth + 1))
            skipSpace()
            guard position < bytes.count else { throw syntax("expected ',' or ']'") }
            let separator = bytes[position]
            position += 1
            if separator == UInt8(ascii: "]") { return .array(elements) }
            guard separator == UInt8(ascii: ",") else {
                position -= 1
                throw syntax("expected ',' or ']'")
            }
            skipSpace()
        }
    }

    /// The string whose opening quote is at `position`.
    private mutating func string() throws(JSONLineError) -> String {
        let start = position
        position += 1
        var output: [UInt8] = []
        var segment = position
        while true {
            guard position < bytes.count else {
                throw syntax("unterminated string (it starts at column \(start + 1))")
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 {
                let hex = String(byte, radix: 16, uppercase: true)
                throw syntax("control character U+00\(hex.count == 1 ? "0" : "")\(hex) in a string must be escaped")
            }
            if byte == UInt8(ascii: "\\") {
                output.append(contentsOf: bytes[segment..<position])
                try escape(into: &output)
                segment = position
            } else {
                position += 1
            }
        }
        output.append(contentsOf: bytes[segment..<position])
        position += 1
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes the escape whose backslash is at `position` and moves past it.
    private mutating func escape(into output: inout [UInt8]) throws(JSONLineError) {
        guard position + 1 < bytes.count else { throw syntax("unterminated escape") }
        let code = bytes[position + 1]
        position += 2
        let simple: UInt8? =
            switch code {
            case UInt8(ascii: "\""): 0x22
            case UInt8(ascii: "\\"): 0x5C
            case UInt8(ascii: "/"): 0x2F
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "r"): 0x0D
            case UInt8(ascii: "t"): 0x09
            default: nil
            }
        if let simple {
            output.append(simple)
            return
        }
        guard code == UInt8(ascii: "u") else {
            position -= 2
            throw syntax("invalid escape '\\\(Character(Unicode.Scalar(code)))'")
        }
        var scalar = try hex4()
        if (0xD800..<0xDC00).contains(scalar) {
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                bytes[position + 1] == UInt8(ascii: "u")
            else { throw syntax("lone surrogate escape") }
            position += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw syntax("lone surrogate escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(scalar) {
            throw syntax("lone surrogate escape")
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw syntax("invalid \\u escape") }
        output.append(contentsOf: String(unicode).utf8)
    }

    private mutating func hex4() throws(JSONLineError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw syntax("expected four hex digits after \\u") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw syntax("expected four hex digits after \\u")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// A number per the RFC 8259 grammar, kept as its text.
    private mutating func number() throws(JSONLineError) -> JSONValue {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw syntax("expected a digit") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw syntax("expected a digit") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else { throw syntax("expected a digit") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        return .number(String(decoding: bytes[start..<position], as: UTF8.self))
    }

    private mutating func word(_ text: StaticString, _ value: JSONValue) throws(JSONLineError) -> JSONValue {
        let count = text.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw syntax("expected a value") }
        for offset in 0..<count where bytes[position + offset] != text.utf8Start[offset] {
            throw syntax("expected a value")
        }
        position += count
        return value
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// A syntax error at the current position.
    private func syntax(_ what: String) -> JSONLineError {
        let column = position + 1
        let message = position < bytes.count ? what : "unexpected end of line, \(what)"
        return JSONLineError(column: column, message: "invalid JSON at column \(column): \(message)")
    }
}
