import Testing
import TraIndex

/// Strings read from index bytes: damaged UTF-8 is refused instead of shown as U+FFFD (found by the
/// corruption suite of the command line: a flipped byte in a stored block printed a garbled
/// snippet with exit status 0).
@Suite("ByteReader strings")
struct ByteReaderTests {
    func read(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { buffer in
            var reader = ByteReader(buffer)
            return reader.readString()
        }
    }

    @Test func validStringsRoundTrip() {
        for text in ["", "việt nam", "\u{FEFF}BOM", "\u{FFFD} is a real character", "𝕍 \u{0}"] {
            let bytes = Array(text.utf8)
            #expect(read([UInt8(bytes.count)] + bytes) == text)
        }
    }

    @Test func invalidUTF8IsRefused() {
        let damaged: [[UInt8]] = [
            [0xFF], [0xC3], [0xC3, 0x28], [0xE1, 0xBB], [0xED, 0xA0, 0x80], [0xC0, 0xAF],
            [0xF4, 0x90, 0x80, 0x80], [0x76, 0x69, 0xE1, 0x1C, 0x74],
        ]
        for bytes in damaged {
            #expect(read([UInt8(bytes.count)] + bytes) == nil, "\(bytes)")
        }
    }

    @Test func shortInputIsRefused() {
        #expect(read([5, 0x61, 0x62]) == nil)
        #expect(read([]) == nil)
    }
}
