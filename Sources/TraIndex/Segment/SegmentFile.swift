/// The container layout of a segment file: header, sections, section table, footer.
///
///     SegmentFile := Header Section* SectionTable Footer
///     Header      := Magic("TRA-SEG\0") FormatVersion(u32) Reserved(u32)
///                    SegmentID(u64) DocCount(u32) Reserved(u32)                      -- 32 bytes
///     Section     := bytes, padded with zeros to a multiple of 8
///     SectionTable:= SectionCount(u32) { Kind(u32) Offset(u64) Length(u64) CRC32C(u32) }*
///     Footer      := TableOffset(u64) TableLength(u32) TableCRC32C(u32) Magic("TRA-END\0")  -- 24 bytes
///
/// Each section's CRC32C covers its `Length` bytes (not the padding); `TableCRC32C` covers the
/// header and the section table. See IndexFormat.md.
package enum SegmentFile {
    package static let magic: [UInt8] = Array("TRA-SEG\0".utf8)
    package static let endMagic: [UInt8] = Array("TRA-END\0".utf8)
    package static let headerSize = 32
    package static let footerSize = 24

    package enum Section: UInt32, CaseIterable, Sendable {
        case meta = 1
        case terms = 2
        case postings = 3
        case positions = 4
        case norms = 5
        case stored = 6
        case ids = 7
        /// Counts of pairs of consecutive tokens under ``PairKey/make(_:_:)`` (format versions 2 to
        /// 6; in version 7 only beside ``tokenPairs``, for the pairs of a merged older segment).
        case pairs = 8
        /// Counts of pairs of consecutive tokens under ``PairKey/tokenKey(leftHash:rightHash:)``
        /// (format version 7 and later).
        case tokenPairs = 9

        package var name: String {
            switch self {
            case .meta: return "META"
            case .terms: return "TERMS"
            case .postings: return "POSTINGS"
            case .positions: return "POSITIONS"
            case .norms: return "NORMS"
            case .stored: return "STORED"
            case .ids: return "IDS"
            case .pairs: return "PAIRS"
            case .tokenPairs: return "TOKEN PAIRS"
            }
        }
    }

    /// A segment file from its sections (each given as consecutive pieces), as the pieces to write
    /// one after the other: header, each section and its padding, table and footer. The sections
    /// are not copied into one array, which would double a flush's memory for a moment.
    package static func assemble(segmentID: UInt64, documentCount: UInt32, sections: [(Section, [[UInt8]])])
        -> [[UInt8]]
    {
        var header = ByteWriter()
        header.write(bytes: magic)
        header.write(FormatVersion.current)
        header.write(UInt32(0))
        header.write(segmentID)
        header.write(documentCount)
        header.write(UInt32(0))
        var pieces = [header.bytes]
        var offset = header.count
        var table = ByteWriter()
        table.write(UInt32(sections.count))
        for (kind, section) in sections {
            let length = section.reduce(0) { $0 + $1.count }
            table.write(kind.rawValue)
            table.write(UInt64(offset))
            table.write(UInt64(length))
            table.write(
                section.reduce(UInt32(0)) { crc, piece in piece.withUnsafeBytes { CRC32C.checksum($0, seed: crc) } })
            pieces += section
            offset += length
            let padding = (8 - offset % 8) % 8
            if padding > 0 { pieces.append([UInt8](repeating: 0, count: padding)) }
            offset += padding
        }
        var crc = header.bytes.withUnsafeBytes { CRC32C.checksum($0) }
        crc = table.bytes.withUnsafeBytes { CRC32C.checksum($0, seed: crc) }
        var footer = table
        footer.write(UInt64(offset))
        footer.write(UInt32(table.count))
        footer.write(crc)
        footer.write(bytes: endMagic)
        pieces.append(footer.bytes)
        return pieces
    }

    /// The parsed header and section table of a mapped segment file.
    package struct Layout: Sendable {
        package var formatVersion: UInt32
        package var segmentID: UInt64
        package var documentCount: Int
        package var sections: [Section: (range: Range<Int>, crc: UInt32)]
    }

    /// Checks magic numbers, version, the table checksum and every section's bounds.
    package static func readLayout(_ file: MappedFile) throws(IndexError) -> Layout {
        let bytes = file.bytes
        let path = file.path
        guard bytes.count >= headerSize + footerSize else {
            throw .corrupt("file is \(bytes.count) bytes, too short for a segment", file: path, offset: 0)
        }
        guard bytes.prefix(8).elementsEqual(magic) else {
            throw .corrupt("not a tra segment file (bad magic number)", file: path, offset: 0)
        }
        var header = ByteReader(bytes, offset: 8)
        guard let version = header.readUInt32() else { throw .corrupt("truncated header", file: path, offset: 8) }
        try FormatVersion.check(version, file: path, offset: 8)
        _ = header.readUInt32()
        guard let segmentID = header.readUInt64(), let documentCount = header.readUInt32() else {
            throw .corrupt("truncated header", file: path, offset: 16)
        }
        let footerStart = bytes.count - footerSize
        guard bytes[footerStart + 16..<bytes.count].elementsEqual(endMagic) else {
            throw .corrupt("bad end magic number (truncated file?)", file: path, offset: footerStart + 16)
        }
        var footer = ByteReader(bytes, offset: footerStart)
        guard let tableOffset = footer.readUInt64(), let tableLength = footer.readUInt32(),
            let tableCRC = footer.readUInt32(), tableOffset >= UInt64(headerSize),
            tableOffset <= UInt64(footerStart), UInt64(footerStart) - tableOffset == UInt64(tableLength)
        else { throw .corrupt("bad section table location", file: path, offset: footerStart) }
        let table = UnsafeRawBufferPointer(rebasing: bytes[Int(tableOffset)..<footerStart])
        var crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[..<headerSize]))
        crc = CRC32C.checksum(table, seed: crc)
        guard crc == tableCRC else {
            throw .corrupt(
                "header or section table checksum failed (expected \(hex(tableCRC)), actual \(hex(crc)))", file: path,
                offset: Int(tableOffset))
        }
        var reader = ByteReader(table)
        guard let count = reader.readUInt32(), count <= 64 else {
            throw .corrupt("bad section count", file: path, offset: Int(tableOffset))
        }
        var sections: [Section: (range: Range<Int>, crc: UInt32)] = [:]
        for _ in 0..<count {
            let at = Int(tableOffset) + reader.offset
            guard let kind = reader.readUInt32(), let offset = reader.readUInt64(), let length = reader.readUInt64(),
                let sectionCRC = reader.readUInt32(), offset >= UInt64(headerSize), offset <= tableOffset,
                length <= tableOffset - offset  // not offset + length, which can overflow
            else { throw .corrupt("bad section table entry", file: path, offset: at) }
            // Sections of unknown kinds are skipped: a later format may add some.
            if let section = Section(rawValue: kind) {
                sections[section] = (Int(offset)..<Int(offset + length), sectionCRC)
            }
        }
        for section in Section.allCases where sections[section] == nil && section.isRequired(inVersion: version) {
            throw .corrupt("section \(section.name) is missing", file: path, offset: Int(tableOffset))
        }
        return Layout(
            formatVersion: version, segmentID: segmentID, documentCount: Int(documentCount), sections: sections)
    }

    /// Verifies the CRC32C of one section.
    package static func verify(_ section: Section, in layout: Layout, of file: MappedFile) throws(IndexError) {
        guard let (range, expected) = layout.sections[section] else { return }
        let actual = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: file.bytes[range]))
        guard actual == expected else {
            throw .corrupt(
                "section \(section.name) checksum failed (expected \(hex(expected)), actual \(hex(actual)); "
                    + "hardware problem?)", file: file.path, offset: range.lowerBound)
        }
    }

    /// Checks that the padding after every section (up to the next multiple of 8) is zeros, as
    /// written: the section checksums do not cover it.
    package static func verifyPadding(in layout: Layout, of file: MappedFile) throws(IndexError) {
        for (section, entry) in layout.sections {
            let end = entry.range.upperBound
            let padded = min((end + 7) & ~7, file.bytes.count)
            for offset in end..<max(end, padded) where file.bytes[offset] != 0 {
                throw .corrupt("padding after section \(section.name) is not zero", file: file.path, offset: offset)
            }
        }
    }

    package static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}

extension SegmentFile.Section {
    /// Whether a segment of format `version` must have the section (PAIRS came with version 2,
    /// TOKEN PAIRS replaced it in version 7, where PAIRS stays only for merged older pairs).
    package func isRequired(inVersion version: UInt32) -> Bool {
        switch self {
        case .pairs: return version >= 2 && version < FormatVersion.tokenPairKeys
        case .tokenPairs: return version >= FormatVersion.tokenPairKeys
        default: return true
        }
    }
}
