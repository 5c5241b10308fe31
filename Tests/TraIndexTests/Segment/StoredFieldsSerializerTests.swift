import Testing
import TraIndex

/// The in-memory segment decides where a stored block ends from `serializedSize(_:)` before it
/// serializes the document: the size must be exactly what `append(_:to:)` writes.
@Suite("StoredFieldsSerializer")
struct StoredFieldsSerializerTests {
    @Test("serializedSize is the count append writes")
    func serializedSizeMatchesAppend() {
        let long = String(repeating: "đường ", count: 5_000)
        let cases: [[(name: String, value: String)]] = [
            [],
            [("title", "")],
            [("title", "Hà Nội"), ("body", "Thủ đô của Việt Nam."), ("source", "vi.wikipedia.org")],
            // Lengths of 127, 128 and 16,384 bytes take one, two and three varint bytes.
            [("body", String(repeating: "a", count: 127)), ("x", String(repeating: "b", count: 128))],
            [("body", String(repeating: "c", count: 16_384)), ("body", long)],
            [(String(repeating: "n", count: 200), "🇻🇳")],
        ]
        for fields in cases {
            var bytes: [UInt8] = [7]
            StoredFieldsSerializer.append(fields, to: &bytes)
            #expect(StoredFieldsSerializer.serializedSize(fields) == bytes.count - 1, "\(fields.map(\.name))")
        }
    }
}
