/// Stored fields: the text shown in results, compressed in blocks with random access by document.
///
/// One document serializes as
/// `FieldCount(varint) { NameLength(varint) Name ValueLength(varint) Value }*`; documents are
/// concatenated into blocks of about ``blockSize`` bytes, each block is LZ4-compressed, and an index
/// of blocks (first document, offset, lengths, the block's CRC32C) follows, then the index's
/// offset and a CRC32C of the index and that offset. See IndexFormat.md, "STORED".
///
///     STORED     := CompressedBlock* BlockIndex IndexOffset(u64) IndexCRC(u32)  -- version 3 on
///     BlockIndex := BlockCount(varint) { FirstDoc(varint) Offset(varint) CompressedLength(varint)
///                                        RawLength(varint) BlockCRC(u32) }^BlockCount
///
/// Versions 1 and 2 have neither `BlockCRC` nor `IndexCRC`.
package enum StoredFieldsSerializer {
    /// Uncompressed bytes per block: large enough for a good ratio, small enough that fetching one
    /// hit decompresses little.
    package static let blockSize = 64 * 1024

    /// Appends one document's serialized fields.
    package static func append(_ fields: [(name: String, value: String)], to bytes: inout [UInt8]) {
        VarInt.append(UInt64(fields.count), to: &bytes)
        for (name, value) in fields {
            VarInt.append(UInt64(name.utf8.count), to: &bytes)
            bytes.append(contentsOf: name.utf8)
            VarInt.append(UInt64(value.utf8.count), to: &bytes)
            bytes.append(contentsOf: value.utf8)
        }
    }

    /// The bytes ``append(_:to:)`` appends for `fields`.
    package static func serializedSize(_ fields: [(name: String, value: String)]) -> Int {
        var size = VarInt.encodedLength(UInt64(fields.count))
        for (name, value) in fields {
            size += VarInt.encodedLength(UInt64(name.utf8.count)) + name.utf8.count
            size += VarInt.encodedLength(UInt64(value.utf8.count)) + value.utf8.count
        }
        return size
    }

    /// The STORED section of the documents of `parts`, numbered on from one part to the next, as
    /// pieces to write one after the other: serialized documents are compressed into new blocks,
    /// compressed blocks (a merge's copies, an in-memory segment's full blocks) are pieces as they
    /// are, then the block index and trailer. Nothing is copied into one array.
    ///
    /// Blocks are compressed at LZ4Block's `.medium` level: the format is plain LZ4, so reading is as
    /// fast as ever, and the stored text, about half of an index, is a fifth smaller than at
    /// `.fast`. `.high` would save 2 % more of it at 1.7 times the compression time, which indexing
    /// (CPU-bound on every core) pays in throughput.
    package static func section(_ parts: [StoredPart]) -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        var blocks: [(firstDoc: Int, offset: Int, compressed: Int, raw: Int, crc: UInt32)] = []
        var offset = 0
        var base = 0
        func add(_ bytes: [UInt8], firstDoc: Int, raw: Int, crc: UInt32) {
            blocks.append((firstDoc, offset, bytes.count, raw, crc))
            pieces.append(bytes)
            offset += bytes.count
        }
        for part in parts {
            switch part {
            case .serialized(let bytes, let starts):
                let documentCount = starts.count - 1
                var doc = 0
                while doc < documentCount {
                    let first = doc
                    while doc < documentCount && (doc == first || starts[doc + 1] - starts[first] <= blockSize) {
                        doc += 1
                    }
                    let raw = starts[first]..<starts[doc]
                    var compressed: [UInt8] = []
                    bytes.withUnsafeBytes {
                        LZ4Block.compress(UnsafeRawBufferPointer(rebasing: $0[raw]), level: .medium, into: &compressed)
                    }
                    add(compressed, firstDoc: base + first, raw: raw.count, crc: CRC32C.checksum(compressed))
                }
                base += max(documentCount, 0)
            case .compressed(let copied, let documentCount):
                for block in copied {
                    add(block.bytes, firstDoc: base + block.firstDoc, raw: block.raw, crc: block.crc)
                }
                base += documentCount
            }
        }
        var index = ByteWriter()
        index.writeVarInt(blocks.count)
        for block in blocks {
            index.writeVarInt(block.firstDoc)
            index.writeVarInt(block.offset)
            index.writeVarInt(block.compressed)
            index.writeVarInt(block.raw)
            index.write(block.crc)
        }
        index.write(UInt64(offset))
        index.write(index.bytes.withUnsafeBytes { CRC32C.checksum($0) })
        pieces.append(index.bytes)
        return pieces
    }
}

/// Stored documents to write, in document order (``StoredFieldsSerializer/section(_:)``).
package enum StoredPart {
    /// Serialized documents `bytes[starts[d]..<starts[d + 1]]`, to compress.
    case serialized(bytes: [UInt8], starts: [Int])
    /// Compressed blocks of `documentCount` documents, `firstDoc` counted from the part's first.
    case compressed([StoredBlock], documentCount: Int)
}

/// One compressed block of stored documents, as a merge copies it.
package struct StoredBlock: Sendable {
    package var firstDoc: Int
    package var bytes: [UInt8]
    package var raw: Int
    package var crc: UInt32
}

/// Reads stored fields from a mapped STORED section.
package struct StoredFieldsReader: Sendable {
    private struct Block: Sendable {
        var firstDoc: Int
        var offset: Int
        var compressed: Int
        var raw: Int
        /// The CRC32C of the compressed bytes (version 3).
        var crc: UInt32?
    }

    private let file: MappedFile
    private let section: Range<Int>
    private let blocks: [Block]
    private let documentCount: Int

    /// Reads the block index of the section; from version 3 on (`checksums`), checks it against
    /// its CRC32C first, and each block is checked against its own before it is decompressed.
    package init(file: MappedFile, section: Range<Int>, documentCount: Int, checksums: Bool = false)
        throws(IndexError)
    {
        self.file = file
        self.section = section
        self.documentCount = documentCount
        let bytes = UnsafeRawBufferPointer(rebasing: file.bytes[section])
        let trailer = checksums ? 12 : 8
        var reader = ByteReader(bytes, offset: max(0, bytes.count - trailer))
        guard bytes.count >= trailer, let indexOffset = reader.readUInt64(),
            indexOffset <= UInt64(bytes.count - trailer)
        else {
            throw .corrupt(
                "stored fields: bad block index offset", file: file.path, offset: section.upperBound - trailer)
        }
        if checksums, let expected = reader.readUInt32() {
            let actual = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[Int(indexOffset)..<(bytes.count - 4)]))
            guard actual == expected else {
                throw .corrupt(
                    "stored fields: block index checksum failed (expected \(SegmentFile.hex(expected)), actual "
                        + "\(SegmentFile.hex(actual)))", file: file.path, offset: section.lowerBound + Int(indexOffset))
            }
        }
        reader = ByteReader(
            UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count - trailer)]), offset: Int(indexOffset))
        guard let count = reader.readVarInt(limit: documentCount) else {
            throw .corrupt(
                "stored fields: bad block count", file: file.path, offset: section.lowerBound + reader.offset)
        }
        var blocks: [Block] = []
        blocks.reserveCapacity(count)
        for _ in 0..<count {
            // LZ4 expands at most about 255 times: a larger raw size is corruption, not a reason to
            // allocate gigabytes.
            guard let first = reader.readVarInt(limit: documentCount),
                let offset = reader.readVarInt(limit: Int(indexOffset)),
                let compressed = reader.readVarInt(limit: Int(indexOffset) - offset),
                let raw = reader.readVarInt(limit: compressed * 256 + 64),
                let crc = checksums ? reader.readUInt32() : 0
            else {
                throw .corrupt(
                    "stored fields: bad block entry", file: file.path, offset: section.lowerBound + reader.offset)
            }
            if let last = blocks.last, first <= last.firstDoc {
                throw .corrupt(
                    "stored fields: blocks out of order", file: file.path, offset: section.lowerBound + reader.offset)
            }
            blocks.append(
                Block(firstDoc: first, offset: offset, compressed: compressed, raw: raw, crc: checksums ? crc : nil))
        }
        guard documentCount == 0 || blocks.first?.firstDoc == 0 else {
            throw .corrupt(
                "stored fields: first block does not start at document 0", file: file.path, offset: section.lowerBound)
        }
        self.blocks = blocks
    }

    /// The stored fields of document `doc`.
    ///
    /// - Complexity: O(log blocks + block size): one block is decompressed.
    package func document(_ doc: Int) throws(IndexError) -> [(name: String, value: String)] {
        guard doc >= 0, doc < documentCount else {
            throw IndexError(.invalidArgument, "document \(doc) is out of range 0..<\(documentCount)", file: file.path)
        }
        var low = 0
        var high = blocks.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if blocks[middle].firstDoc <= doc { low = middle } else { high = middle - 1 }
        }
        let block = blocks[low]
        let blockStart = section.lowerBound + block.offset
        var raw: [UInt8] = []
        try decompress(block, into: &raw)
        let path = file.path
        return try raw.withUnsafeBytes { bytes -> Result<[(name: String, value: String)], IndexError> in
            var reader = ByteReader(bytes)
            for current in block.firstDoc... {
                guard let fieldCount = reader.readVarInt(limit: bytes.count) else {
                    return .failure(.corrupt("stored fields: truncated document", file: path, offset: blockStart))
                }
                guard current == doc else {
                    // An earlier document of the block: its extent only, no string is made.
                    for _ in 0..<fieldCount {
                        guard let nameLength = reader.readVarInt(limit: reader.remaining),
                            reader.readBytes(nameLength) != nil,
                            let valueLength = reader.readVarInt(limit: reader.remaining),
                            reader.readBytes(valueLength) != nil
                        else {
                            return .failure(.corrupt("stored fields: truncated field", file: path, offset: blockStart))
                        }
                    }
                    continue
                }
                var fields: [(name: String, value: String)] = []
                for _ in 0..<fieldCount {
                    guard let name = reader.readString(), let value = reader.readString() else {
                        return .failure(
                            .corrupt(
                                "stored fields: truncated field or invalid UTF-8", file: path, offset: blockStart))
                    }
                    fields.append((name, value))
                }
                return .success(fields)
            }
            return .failure(.corrupt("stored fields: document not in its block", file: path, offset: blockStart))
        }.get()
    }

    /// Calls `body` with each document's number, in order, and those of its fields whose name
    /// bytes `wanted` accepts, decompressing each block once: what a pass over every document
    /// (statistics of stored fields) needs, without a block decompressed per document.
    ///
    /// - Complexity: O(stored bytes).
    package func forEachDocument(
        fields wanted: (UnsafeRawBufferPointer) -> Bool,
        _ body: (_ doc: Int, _ fields: [(name: String, value: String)]) -> Void
    ) throws(IndexError) {
        try forEachSerializedDocument { doc, document in
            var reader = ByteReader(document)
            let fieldCount = reader.readVarInt(limit: document.count) ?? 0
            var fields: [(name: String, value: String)] = []
            for _ in 0..<fieldCount {
                // The extent was checked: every length fits.
                guard let nameLength = reader.readVarInt(limit: reader.remaining),
                    let name = reader.readBytes(nameLength),
                    let valueLength = reader.readVarInt(limit: reader.remaining),
                    let value = reader.readBytes(valueLength)
                else { break }
                if wanted(name) {
                    fields.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
                }
            }
            body(doc, fields)
        }
    }

    /// Whether every block carries a checksum (version 3), so that a block that passes it holds
    /// exactly the bytes a writer serialized.
    package var checksBlocks: Bool { blocks.allSatisfy { $0.crc != nil } }

    /// Every block as it is on disk, each checked against its checksum (a merge copies the blocks
    /// of a segment without deleted documents). Only for sections whose blocks carry checksums.
    package func compressedBlocks() throws(IndexError) -> [StoredBlock] {
        var copies: [StoredBlock] = []
        copies.reserveCapacity(blocks.count)
        for block in blocks {
            guard let crc = block.crc else {
                throw .corrupt(
                    "stored fields: a block without checksum cannot be copied", file: file.path,
                    offset: section.lowerBound + block.offset)
            }
            copies.append(
                StoredBlock(firstDoc: block.firstDoc, bytes: Array(try checkedBytes(block)), raw: block.raw, crc: crc))
        }
        return copies
    }

    /// Calls `body` with each document's number, in order, and its serialized fields (as
    /// ``StoredFieldsSerializer/append(_:to:)`` wrote them: a field count, then lengths and bytes),
    /// decompressing each block once. The extent of every field is checked; the UTF-8 of names and
    /// values is not (a checked block of version 3 holds what was written, which was valid).
    ///
    /// - Complexity: O(stored bytes).
    package func forEachSerializedDocument(
        _ body: (_ doc: Int, _ document: UnsafeRawBufferPointer) throws(IndexError) -> Void
    ) throws(IndexError) {
        var raw: [UInt8] = []
        for (index, block) in blocks.enumerated() {
            let blockStart = section.lowerBound + block.offset
            let end = index + 1 < blocks.count ? blocks[index + 1].firstDoc : documentCount
            raw.removeAll(keepingCapacity: true)
            try decompress(block, into: &raw)
            var failure: IndexError? = nil
            let complete = raw.withUnsafeBytes { bytes -> Bool in
                var reader = ByteReader(bytes)
                for doc in block.firstDoc..<end {
                    let start = reader.offset
                    guard let fieldCount = reader.readVarInt(limit: bytes.count) else { return false }
                    for _ in 0..<fieldCount {
                        guard let nameLength = reader.readVarInt(limit: reader.remaining),
                            reader.readBytes(nameLength) != nil,
                            let valueLength = reader.readVarInt(limit: reader.remaining),
                            reader.readBytes(valueLength) != nil
                        else { return false }
                    }
                    do throws(IndexError) {
                        try body(doc, UnsafeRawBufferPointer(rebasing: bytes[start..<reader.offset]))
                    } catch {
                        failure = error
                        return true
                    }
                }
                return true
            }
            if let failure { throw failure }
            guard complete else {
                throw .corrupt("stored fields: truncated document", file: file.path, offset: blockStart)
            }
        }
    }

    /// Decompresses one block into `raw`, after checking its CRC32C (version 3).
    private func decompress(_ block: Block, into raw: inout [UInt8]) throws(IndexError) {
        guard LZ4Block.decompress(try checkedBytes(block), decompressedSize: block.raw, into: &raw) else {
            throw .corrupt(
                "stored fields: block does not decompress", file: file.path, offset: section.lowerBound + block.offset)
        }
    }

    /// The compressed bytes of one block, after checking its CRC32C (version 3).
    private func checkedBytes(_ block: Block) throws(IndexError) -> UnsafeRawBufferPointer {
        let blockStart = section.lowerBound + block.offset
        let compressed = UnsafeRawBufferPointer(rebasing: file.bytes[blockStart..<blockStart + block.compressed])
        if let expected = block.crc {
            let actual = CRC32C.checksum(compressed)
            guard actual == expected else {
                throw .corrupt(
                    "stored fields: block checksum failed (expected \(SegmentFile.hex(expected)), actual "
                        + "\(SegmentFile.hex(actual)))", file: file.path, offset: blockStart)
            }
        }
        return compressed
    }
}
