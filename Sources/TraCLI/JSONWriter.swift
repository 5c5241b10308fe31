/// A small JSON writer that keeps keys in the order they are written (the CLI contract lists them
/// in a fixed order) and escapes strings per RFC 8259.
struct JSONWriter {
    private(set) var output = ""
    private var needsComma = false

    mutating func array<Element>(_ elements: [Element], _ body: (inout JSONWriter, Element) -> Void) {
        output += "["
        for (index, element) in elements.enumerated() {
            if index > 0 { output += "," }
            needsComma = false
            body(&self, element)
        }
        output += "]"
    }

    mutating func object(_ body: (inout JSONWriter) -> Void) {
        output += "{"
        needsComma = false
        body(&self)
        output += "}"
        needsComma = true
    }

    /// A field whose value is an object.
    mutating func nested(_ name: String, _ body: (inout JSONWriter) -> Void) {
        key(name)
        object(body)
    }

    mutating func field(_ name: String, _ value: String) {
        key(name)
        Self.appendString(value, to: &output)
    }

    mutating func field(_ name: String, _ value: Int) {
        key(name)
        output += String(value)
    }

    /// A bare string value (an array element).
    mutating func value(_ string: String) {
        Self.appendString(string, to: &output)
    }

    /// A bare integer value (an array element).
    mutating func value(_ number: Int) {
        output += String(number)
    }

    /// A number; non-finite values (which JSON cannot hold) are written as null.
    mutating func field(_ name: String, _ value: Double) {
        key(name)
        output += value.isFinite ? String(value) : "null"
    }

    mutating func field(_ name: String, _ value: Bool) {
        key(name)
        output += value ? "true" : "false"
    }

    /// A field whose value is an array.
    mutating func field<Element>(_ name: String, array elements: [Element], _ body: (inout JSONWriter, Element) -> Void)
    {
        key(name)
        array(elements, body)
        needsComma = true
    }

    private mutating func key(_ name: String) {
        if needsComma { output += "," }
        Self.appendString(name, to: &output)
        output += ":"
        needsComma = true
    }

    static func appendString(_ string: String, to output: inout String) {
        output += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\u{00}"..."\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}":
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
