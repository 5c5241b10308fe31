/// Assembles the sections of a new segment from terms fed in sorted order, whatever their source:
/// an in-memory segment (``SegmentSerializer``) or segments being merged (``SegmentMerger``).
package struct SegmentBuilder {
    /// Field lengths of every document of the new segment, indexed by field number.
    package let norms: [[UInt32]]
    private var dictionary = TermDictionaryWriter()
    private var postings = PostingsSerializer()
    private var previousTerm: [UInt8]? = nil

    package init(norms: [[UInt32]]) {
        precondition(norms.count == IndexedField.allCases.count, "one norms array per indexed field")
        self.norms = norms
    }

    /// Adds a term; terms must come in strictly increasing byte order. Positions are given for
    /// variant terms only, `freqs[i]` of them for document `docs[i]`.
    package mutating func addTerm<C: Collection>(
        _ term: C, docs: ArraySlice<UInt32>, freqs: ArraySlice<UInt32>, positions: ArraySlice<UInt32>?
    ) where C.Element == UInt8 {
        precondition(previousTerm.map { $0.lexicographicallyPrecedes(term) } ?? true, "terms must be added in order")
        previousTerm = Array(term)
        let field = Int(term.first ?? 0)
        let offsets = postings.write(
            docs: docs, freqs: freqs, positions: positions, norms: norms[min(field, norms.count - 1)])
        let totalFreq = freqs.reduce(0) { $0 + Int($1) }
        dictionary.add(
            term,
            TermInfo(
                docFreq: docs.count, totalFreq: totalFreq, postingsOffset: offsets.postings,
                positionsOffset: positions == nil ? nil : offsets.positions))
    }

    /// The bytes of the finished segment file.
    package func finish(
        id: UInt64, analyzer: SegmentSerializer.AnalyzerInfo, storedBytes: [UInt8], storedStarts: [Int],
        ids: [String], deleted: Set<UInt32> = [], skippedKeys: Int
    ) -> [UInt8] {
        let documentCount = ids.count
        var meta = ByteWriter()
        meta.writeVarInt(documentCount)
        meta.write(string: analyzer.name)
        meta.writeVarInt(analyzer.version)
        meta.writeVarInt(IndexedField.allCases.count)
        for field in IndexedField.allCases {
            let lengths = norms[Int(field.rawValue)]
            meta.write(field.rawValue)
            meta.writeVarInt(lengths.count { $0 > 0 })
            meta.writeVarInt(lengths.reduce(0) { $0 + Int($1) })
        }
        meta.writeVarInt(skippedKeys)
        var normsSection = ByteWriter()
        normsSection.write(UInt8(IndexedField.allCases.count))
        for field in IndexedField.allCases {
            normsSection.write(field.rawValue)
            for length in norms[Int(field.rawValue)] { normsSection.write(length) }
        }
        var stored = ByteWriter()
        StoredFieldsSerializer.write(storedBytes, starts: storedStarts, into: &stored)
        return SegmentFile.assemble(
            segmentID: id, documentCount: UInt32(documentCount),
            sections: [
                (.meta, meta.bytes), (.terms, dictionary.finish()), (.postings, postings.postings.bytes),
                (.positions, postings.positions.bytes), (.norms, normsSection.bytes), (.stored, stored.bytes),
                (.ids, Self.idsSection(ids, deleted: deleted)),
            ])
    }

    /// IDS := Count(u32) EntryOffset(u32)^Count { Doc(varint) IdLength(varint) Id }^Count,
    /// entries sorted by id bytes, offsets relative to the first entry. Documents already deleted
    /// when the segment is written (replaced by a later one with the same id) have no entry, so
    /// ids are unique.
    private static func idsSection(_ ids: [String], deleted: Set<UInt32>) -> [UInt8] {
        let order = ids.indices.filter { !deleted.contains(UInt32($0)) }.sorted {
            ids[$0].utf8.lexicographicallyPrecedes(ids[$1].utf8)
        }
        var entries = ByteWriter()
        var offsets: [UInt32] = []
        for doc in order {
            offsets.append(UInt32(entries.count))
            entries.writeVarInt(doc)
            entries.write(string: ids[doc])
        }
        var writer = ByteWriter()
        writer.write(UInt32(order.count))
        for offset in offsets { writer.write(offset) }
        writer.write(bytes: entries.bytes)
        return writer.bytes
    }
}
