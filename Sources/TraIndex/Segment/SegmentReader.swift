/// A segment on disk, mapped and ready to read: term lookup, postings, norms, stored fields and
/// ids. Immutable and safe to share across threads.
package final class SegmentReader: Sendable {
    package let file: MappedFile
    package let layout: SegmentFile.Layout
    package let terms: TermDictionaryReader
    package let stored: StoredFieldsReader
    package let analyzer: SegmentSerializer.AnalyzerInfo
    /// Per field: documents with the field and total tokens (for BM25's average field length).
    package let fieldStatistics: [IndexedField: (documents: Int, tokens: Int)]
    package let skippedKeys: Int
    /// Counts of pairs of consecutive tokens under the keys of format versions 2 to 6
    /// (``PairKey/make(_:_:)``, section PAIRS): empty for version 1, and in version 7 unless a
    /// merge took in an older segment's (``hasOlderPairs``).
    package let pairs: PairCountsReader
    /// Counts of pairs of consecutive tokens under the keys of format version 7
    /// (``PairKey/tokenKey(leftHash:rightHash:)``, section TOKEN PAIRS): empty before version 7.
    package let tokenPairs: PairCountsReader
    /// The segment has a PAIRS section (format versions 2 to 6, or 7 from a merge of such).
    package var hasOlderPairs: Bool { layout.sections[.pairs] != nil }
    private let normOffsets: [IndexedField: Int]
    private let verifyingBlocks: Bool
    /// The postings' and positions' regions searches found right (``searchPostings(_:)``).
    private let checkedRegions: CheckedRegions

    package var documentCount: Int { layout.documentCount }
    package var path: String { file.path }

    /// Opens and checks a segment file: magic numbers, version, the section table and the
    /// checksums of the small sections (META, TERMS, NORMS, IDS); from format version 3 on, also
    /// the STORED block index and the PAIRS block index. The blocks of POSTINGS, POSITIONS, STORED
    /// and PAIRS are checked against their own checksums the first time a reader decodes them
    /// (version 3; in versions 1 and 2 only by `tra verify`, and by bounds checks while read).
    ///
    /// With `verifyingBlocks` false, the postings' and positions' blocks are read without comparing
    /// their checksums: only for the fuzzer, so that damaged blocks reach the decoders (which must
    /// refuse them or read garbage, never trap).
    package init(path: String, verifyingBlocks: Bool = true) throws(IndexError) {
        self.verifyingBlocks = verifyingBlocks
        file = try MappedFile(path: path)
        layout = try SegmentFile.readLayout(file)
        checkedRegions = CheckedRegions(fileSize: file.bytes.count)
        for section in [SegmentFile.Section.meta, .terms, .norms, .ids] {
            try SegmentFile.verify(section, in: layout, of: file)
        }
        let meta = Self.range(.meta, layout)
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: file.bytes[meta]))
        guard let count = reader.readVarInt(limit: Int(UInt32.max)), count == layout.documentCount,
            let name = reader.readString(), let version = reader.readVarInt(limit: Int(Int32.max)),
            let fieldCount = reader.readVarInt(limit: 255)
        else { throw .corrupt("META: bad segment metadata", file: path, offset: meta.lowerBound) }
        var statistics: [IndexedField: (documents: Int, tokens: Int)] = [:]
        for _ in 0..<fieldCount {
            guard let number = reader.readUInt8(), let documents = reader.readVarInt(limit: count),
                let tokens = reader.readVarInt(limit: Int.max)
            else { throw .corrupt("META: bad field statistics", file: path, offset: meta.lowerBound + reader.offset) }
            if let field = IndexedField(rawValue: number) { statistics[field] = (documents, tokens) }
        }
        guard let skipped = reader.readVarInt(limit: Int.max) else {
            throw .corrupt("META: truncated", file: path, offset: meta.lowerBound + reader.offset)
        }
        analyzer = SegmentSerializer.AnalyzerInfo(name: name, version: version)
        fieldStatistics = statistics
        skippedKeys = skipped
        normOffsets = try Self.readNormOffsets(file, layout)
        terms = try TermDictionaryReader(file: file, section: Self.range(.terms, layout))
        let checksums = layout.formatVersion >= FormatVersion.blockChecksums
        stored = try StoredFieldsReader(
            file: file, section: Self.range(.stored, layout), documentCount: count, checksums: checksums)
        pairs = try Self.pairCounts(.pairs, file, layout, checked: checkedRegions)
        tokenPairs = try Self.pairCounts(.tokenPairs, file, layout, checked: checkedRegions)
    }

    /// The reader of a section of pair counts (PAIRS or TOKEN PAIRS), empty when there is none.
    private static func pairCounts(
        _ section: SegmentFile.Section, _ file: MappedFile, _ layout: SegmentFile.Layout, checked: CheckedRegions
    ) throws(IndexError) -> PairCountsReader {
        guard let range = layout.sections[section]?.range else { return PairCountsReader() }
        return try PairCountsReader(
            bytes: UnsafeRawBufferPointer(rebasing: file.bytes[range]), path: file.path, name: section.name,
            sectionOffset: range.lowerBound, version: layout.formatVersion, checked: checked)
    }

    /// How often the model key `left` is directly followed by `right` in one field of the
    /// segment's documents: its count in TOKEN PAIRS plus, when there is one, in PAIRS (each
    /// section under its own keys).
    package func pairCount(_ left: [UInt8], _ right: [UInt8]) throws(IndexError) -> UInt64 {
        var total = try tokenPairs.count(PairKey.tokenKey(left, right))
        if hasOlderPairs { total &+= try pairs.count(PairKey.make(left, right)) }
        return total
    }

    private static func range(_ section: SegmentFile.Section, _ layout: SegmentFile.Layout) -> Range<Int> {
        layout.sections[section]?.range ?? 0..<0
    }

    private static func readNormOffsets(_ file: MappedFile, _ layout: SegmentFile.Layout) throws(IndexError)
        -> [IndexedField: Int]
    {
        let norms = range(.norms, layout)
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: file.bytes[norms]))
        guard let fieldCount = reader.readUInt8() else {
            throw .corrupt("NORMS: truncated", file: file.path, offset: norms.lowerBound)
        }
        var offsets: [IndexedField: Int] = [:]
        for _ in 0..<fieldCount {
            guard let number = reader.readUInt8(), reader.readBytes(layout.documentCount * 4) != nil else {
                throw .corrupt("NORMS: truncated", file: file.path, offset: norms.lowerBound + reader.offset)
            }
            if let field = IndexedField(rawValue: number) {
                offsets[field] = norms.lowerBound + reader.offset - layout.documentCount * 4
            }
        }
        return offsets
    }

    /// The length of `field` in document `doc` (0 when the document has no such field).
    @inline(__always)
    package func norm(_ field: IndexedField, _ doc: UInt32) -> UInt32 {
        guard let offset = normOffsets[field], Int(doc) < documentCount else { return 0 }
        return UInt32(littleEndian: file.bytes.loadUnaligned(fromByteOffset: offset + Int(doc) * 4, as: UInt32.self))
    }

    /// The field lengths of every document of `field`, for scoring loops (no dictionary lookup
    /// per document).
    package func norms(_ field: IndexedField) -> Norms {
        guard let offset = normOffsets[field] else { return Norms(base: nil, count: 0) }
        return Norms(base: file.bytes.baseAddress.map { $0 + offset }, count: documentCount)
    }

    /// The information of a term, nil if absent.
    package func lookup(_ term: [UInt8]) throws(IndexError) -> TermInfo? {
        try term.withUnsafeBytes { bytes -> Result<TermInfo?, IndexError> in
            Result { () throws(IndexError) in try terms.lookup(bytes) }
        }.get()
    }

    /// A cursor over the term dictionary, positioned so that its next term is the first `>= term`.
    package func seek(_ term: [UInt8]) throws(IndexError) -> TermDictionaryReader.TermCursor {
        try term.withUnsafeBytes { bytes -> Result<TermDictionaryReader.TermCursor, IndexError> in
            Result { () throws(IndexError) in try terms.seek(bytes) }
        }.get()
    }

    /// A cursor over the postings of a term found in this segment, which checks every block it
    /// reads against its checksum (for `tra verify` and merges).
    package func postings(_ info: TermInfo) throws(IndexError) -> PostingsCursor {
        try postings(info, remembering: nil)
    }

    /// A cursor over the postings of a term found in this segment, for searches: a block (data or
    /// positions) or tail of 64 bytes or more that a search of this reader found right is not
    /// checked again (``CheckedRegions``).
    package func searchPostings(_ info: TermInfo) throws(IndexError) -> PostingsCursor {
        try postings(info, remembering: checkedRegions)
    }

    private func postings(_ info: TermInfo, remembering: CheckedRegions?) throws(IndexError) -> PostingsCursor {
        let postings = Self.range(.postings, layout)
        let positions = Self.range(.positions, layout)
        return try PostingsCursor(
            path: path, postings: UnsafeRawBufferPointer(rebasing: file.bytes[postings]),
            postingsSectionOffset: postings.lowerBound,
            positions: info.positionsOffset == nil ? nil : UnsafeRawBufferPointer(rebasing: file.bytes[positions]),
            positionsSectionOffset: positions.lowerBound, info: info,
            singlePointBlockBounds: layout.formatVersion < PostingsCursor.frontierVersion,
            checksums: layout.formatVersion >= FormatVersion.blockChecksums,
            bitCodedPositions: layout.formatVersion >= FormatVersion.bitCodedPositions,
            termFrontiers: layout.formatVersion >= FormatVersion.termFrontiers, verifyingChecksums: verifyingBlocks,
            remembering: remembering)
    }

    /// The stored fields of a document.
    package func document(_ doc: Int) throws(IndexError) -> [(name: String, value: String)] {
        try stored.document(doc)
    }

    /// IDS with its header read: the section's range in the file, a reader at its first entry (its
    /// offset is where the entries start) and the number of entries.
    private func idsEntries() throws(IndexError) -> (range: Range<Int>, reader: ByteReader, count: Int) {
        let ids = Self.range(.ids, layout)
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: file.bytes[ids]))
        guard let count = reader.readUInt32(), Int(count) <= documentCount, reader.readBytes(Int(count) * 4) != nil
        else { throw .corrupt("IDS: bad header", file: path, offset: ids.lowerBound) }
        return (ids, reader, Int(count))
    }

    /// The document with external id `id`, by binary search in IDS.
    package func document(withID id: String) throws(IndexError) -> UInt32? {
        let (ids, first, count) = try idsEntries()
        let bytes = first.buffer
        let entries = first.offset
        let target = Array(id.utf8)
        var low = 0
        var high = Int(count) - 1
        while low <= high {
            let middle = (low + high) / 2
            let offset = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 + middle * 4, as: UInt32.self)))
            var entry = ByteReader(bytes, offset: entries + offset)
            guard entries + offset < bytes.count, let doc = entry.readVarInt(limit: documentCount - 1),
                let length = entry.readVarInt(limit: entry.remaining), let key = entry.readBytes(length)
            else { throw .corrupt("IDS: bad entry", file: path, offset: ids.lowerBound + entries + offset) }
            let order = target.withUnsafeBytes { TermDictionaryReader.compare(key, $0) }
            if order == 0 { return UInt32(doc) }
            if order < 0 { low = middle + 1 } else { high = middle - 1 }
        }
        return nil
    }
}

extension SegmentReader {
    /// Where each document's external id is in IDS, by document number: what a search needs to
    /// name its hits. Made in one pass over IDS that allocates nothing per id (``allIDs()`` makes
    /// a string of every id, about 60 bytes of the heap each, and checks their order); an id is
    /// then read from the mapping when asked for (``id(_:in:)``).
    package struct IDLocations: Sendable {
        /// Per document, 1 + the offset in IDS of its entry's `IdLength`; 0 for none.
        fileprivate var starts: [UInt32]
    }

    /// The locations of the ids of the segment's documents (see ``IDLocations``).
    package func idLocations() throws(IndexError) -> IDLocations {
        let (ids, first, count) = try idsEntries()
        var reader = first
        // An entry's offset + 1 must fit a UInt32.
        guard ids.count < Int(UInt32.max) else { throw .corrupt("IDS: bad header", file: path, offset: ids.lowerBound) }
        var starts = [UInt32](repeating: 0, count: documentCount)
        for _ in 0..<count {
            let at = reader.offset
            guard let doc = reader.readVarInt(limit: documentCount - 1), starts[doc] == 0 else {
                throw .corrupt("IDS: bad entry", file: path, offset: ids.lowerBound + at)
            }
            let start = reader.offset
            guard let length = reader.readVarInt(limit: reader.remaining), reader.readBytes(length) != nil else {
                throw .corrupt("IDS: bad entry", file: path, offset: ids.lowerBound + at)
            }
            starts[doc] = UInt32(start + 1)
        }
        return IDLocations(starts: starts)
    }

    /// The external id of `doc` (nil for a document deleted before the segment was written), from
    /// the locations this reader made.
    package func id(_ doc: Int, in locations: IDLocations) -> String? {
        guard doc >= 0, doc < locations.starts.count, locations.starts[doc] > 0 else { return nil }
        let bytes = UnsafeRawBufferPointer(rebasing: file.bytes[Self.range(.ids, layout)])
        var reader = ByteReader(bytes, offset: Int(locations.starts[doc] - 1))
        // Checked when the locations were made: the same mapping, so these reads succeed.
        guard let length = reader.readVarInt(limit: reader.remaining), let key = reader.readBytes(length) else {
            return nil
        }
        return String(decoding: key, as: UTF8.self)
    }
}

extension SegmentReader {
    /// The external id of every document, indexed by document number; nil for documents that were
    /// already deleted when the segment was written.
    package func allIDs() throws(IndexError) -> [String?] {
        let (ids, first, count) = try idsEntries()
        var reader = first
        var result = [String?](repeating: nil, count: documentCount)
        var previous: [UInt8]? = nil
        for _ in 0..<count {
            let at = ids.lowerBound + reader.offset
            guard let doc = reader.readVarInt(limit: documentCount - 1), result[doc] == nil,
                let length = reader.readVarInt(limit: reader.remaining), let key = reader.readBytes(length)
            else { throw .corrupt("IDS: bad entry", file: path, offset: at) }
            let bytes = Array(key)
            if let previous, !previous.lexicographicallyPrecedes(bytes) {
                throw .corrupt("IDS: ids out of order or repeated", file: path, offset: at)
            }
            previous = bytes
            result[doc] = String(decoding: bytes, as: UTF8.self)
        }
        return result
    }
}

/// The field lengths of one field of a segment, read from the mapping.
///
/// Public, with an inlinable subscript, although only the package uses it: the ranking reads a
/// length for every document it looks at, and with this toolchain only a public `@inlinable`
/// body is compiled into another module of the package (a package-level one stays a call).
public struct Norms {
    @usableFromInline let base: UnsafeRawPointer?
    @usableFromInline let count: Int

    /// The length of the field in `doc` (0 when the document is out of range or has no such field).
    @inlinable @inline(__always)
    public subscript(doc: UInt32) -> UInt32 {
        guard let base, Int(doc) < count else { return 0 }
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: Int(doc) * 4, as: UInt32.self))
    }
}
