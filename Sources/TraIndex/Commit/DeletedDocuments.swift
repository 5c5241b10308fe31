/// The deleted documents of a segment: a bitset, one bit per document.
///
///     DeletesFile := Magic("TRA-DEL\0") FormatVersion(u32) DocCount(u32) DeletedCount(u32)
///                    Bits(ceil(DocCount / 8) bytes, bit d % 8 of byte d / 8) CRC32C(u32)
///
/// The CRC32C covers every preceding byte. Segments never change; deleting documents writes a new
/// deletes file of the next generation (`seg-<id>.<generation>.del`), named by the manifest.
package struct DeletedDocuments: Equatable, Sendable {
    package static let magic: [UInt8] = Array("TRA-DEL\0".utf8)

    package private(set) var bits: [UInt8]
    package private(set) var count = 0
    package let documentCount: Int

    package init(documentCount: Int) {
        self.documentCount = documentCount
        bits = [UInt8](repeating: 0, count: (documentCount + 7) / 8)
    }

    @inline(__always)
    package func contains(_ doc: UInt32) -> Bool {
        let index = Int(doc)
        guard index < documentCount else { return false }
        return bits[index >> 3] & (1 << UInt8(index & 7)) != 0
    }

    /// Marks a document deleted; returns false if it already was.
    @discardableResult
    package mutating func insert(_ doc: UInt32) -> Bool {
        let index = Int(doc)
        guard index < documentCount, !contains(doc) else { return false }
        bits[index >> 3] |= 1 << UInt8(index & 7)
        count += 1
        return true
    }

    package func serialized() -> [UInt8] {
        var writer = ByteWriter()
        writer.write(bytes: Self.magic)
        writer.write(FormatVersion.current)
        writer.write(UInt32(documentCount))
        writer.write(UInt32(count))
        writer.write(bytes: bits)
        writer.write(writer.bytes.withUnsafeBytes { CRC32C.checksum($0) })
        return writer.bytes
    }

    /// Reads and checks a deletes file for a segment of `documentCount` documents.
    package init(path: String, documentCount: Int) throws(IndexError) {
        let file = try MappedFile(path: path)
        let bytes = file.bytes
        let expectedSize = 8 + 12 + (documentCount + 7) / 8 + 4
        guard bytes.count == expectedSize else {
            throw .corrupt("deletes file is \(bytes.count) bytes, expected \(expectedSize)", file: path, offset: 0)
        }
        guard bytes.prefix(8).elementsEqual(Self.magic) else {
            throw .corrupt("not a tra deletes file (bad magic number)", file: path, offset: 0)
        }
        var reader = ByteReader(bytes, offset: 8)
        guard let version = reader.readUInt32() else { throw .corrupt("truncated", file: path, offset: 8) }
        try FormatVersion.check(version, file: path, offset: 8)
        let body = UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count - 4)])
        var crcReader = ByteReader(bytes, offset: bytes.count - 4)
        let actual = CRC32C.checksum(body)
        guard let expected = crcReader.readUInt32(), expected == actual else {
            throw .corrupt("deletes file checksum failed", file: path, offset: bytes.count - 4)
        }
        guard let docs = reader.readUInt32(), Int(docs) == documentCount, let deleted = reader.readUInt32(),
            let bits = reader.readBytes((documentCount + 7) / 8)
        else { throw .corrupt("deletes file does not match its segment", file: path, offset: 12) }
        self.documentCount = documentCount
        self.bits = Array(bits)
        count = self.bits.reduce(0) { $0 + $1.nonzeroBitCount }
        guard count == Int(deleted) else {
            throw .corrupt("deletes file counts \(deleted) deletions but holds \(count)", file: path, offset: 16)
        }
    }
}
