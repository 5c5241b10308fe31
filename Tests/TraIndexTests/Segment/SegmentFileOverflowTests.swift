import Foundation
import Testing
import TraIndex
import TraTestSupport

/// Section tables whose numbers overflow when added (found by Fuzz/Targets/FuzzSegment.swift,
/// kept in Fuzz/Regressions/FuzzSegment/): they are corrupt files, not traps.
@Suite("Segment files with overflowing offsets")
struct SegmentFileOverflowTests {
    static let fixture = TestData.repositoryRoot.appendingPathComponent("Tests/Fixtures/index-v1/seg-1.tra")

    /// Applies `change` to the golden segment's bytes, makes the header and table checksum match
    /// again (so that the reader gets past it), and opens the result.
    func open(changing change: (inout [UInt8], _ tableOffset: Int) -> Void) throws {
        var bytes = Array(try Data(contentsOf: Self.fixture))
        let footer = bytes.count - SegmentFile.footerSize
        let tableOffset = bytes[footer..<footer + 8].reversed().reduce(0) { $0 << 8 | Int($1) }
        change(&bytes, tableOffset)
        var crc = bytes.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[..<SegmentFile.headerSize]))
        }
        let tableEnd = min(max(tableOffset, SegmentFile.headerSize), footer)
        crc = bytes.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[tableOffset..<tableEnd]), seed: crc)
        }
        for k in 0..<4 { bytes[footer + 12 + k] = UInt8(truncatingIfNeeded: crc >> (8 * k)) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("overflow-\(UUID().uuidString).tra")
        try Data(bytes).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        #expect(throws: IndexError.self) { _ = try SegmentReader(path: path.path) }
    }

    static func put(_ value: UInt64, _ bytes: inout [UInt8], at offset: Int) {
        for k in 0..<8 { bytes[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
    }

    @Test func sectionOffsetPlusLengthOverflows() throws {
        // The first entry: Kind(u32) Offset(u64) Length(u64) CRC(u32), after SectionCount(u32).
        try open { bytes, table in Self.put(UInt64.max - 7, &bytes, at: table + 8) }
        try open { bytes, table in Self.put(UInt64.max - 7, &bytes, at: table + 16) }
        try open { bytes, table in
            Self.put(64, &bytes, at: table + 8)
            Self.put(UInt64.max - 63, &bytes, at: table + 16)
        }
    }

    @Test func tableOffsetPlusLengthOverflows() throws {
        try open { bytes, _ in Self.put(UInt64.max - 3, &bytes, at: bytes.count - SegmentFile.footerSize) }
    }
}
