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

    /// A term held back until the next one shows whether a folded term has a single variant.
    private struct PendingTerm {
        var term: [UInt8]
        // Slices keep the caller's storage alive without copying it (copy-on-write).
        var docs: ArraySlice<UInt32>
        var freqs: ArraySlice<UInt32>
        var positions: ArraySlice<UInt32>?
    }

    private var pendingFolded: PendingTerm? = nil
    private var pendingVariant: PendingTerm? = nil

    /// Adds a term; terms must come in strictly increasing byte order. Positions are given for
    /// variant terms only, `freqs[i]` of them for document `docs[i]`.
    ///
    /// A folded term with exactly one variant has the same postings as that variant; both
    /// dictionary entries then point at one copy (with positions), which saves a third of the
    /// postings of a Vietnamese index (IndexFormat.md, "Terms").
    package mutating func addTerm(
        _ term: [UInt8], docs: ArraySlice<UInt32>, freqs: ArraySlice<UInt32>, positions: ArraySlice<UInt32>?
    ) {
        precondition(previousTerm.map { $0.lexicographicallyPrecedes(term) } ?? true, "terms must be added in order")
        previousTerm = term
        let current = PendingTerm(term: term, docs: docs, freqs: freqs, positions: positions)
        guard current.positions != nil else {
            flushPending()
            pendingFolded = current
            return
        }
        if let folded = pendingFolded, Self.isVariant(current.term, of: folded.term) {
            if pendingVariant == nil {
                pendingVariant = current
                return
            }
            // A second variant: the folded term needs postings of its own.
            write(folded)
            if let first = pendingVariant { write(first) }
            pendingFolded = nil
            pendingVariant = nil
            write(current)
            return
        }
        flushPending()
        write(current)
    }

    private static func isVariant(_ term: [UInt8], of folded: [UInt8]) -> Bool {
        term.count > folded.count && term.starts(with: folded) && term[folded.count] == 0
    }

    private mutating func flushPending() {
        guard let folded = pendingFolded else { return }
        if let variant = pendingVariant, variant.docs == folded.docs, variant.freqs == folded.freqs {
            let info = write(variant, addEntry: false)
            dictionary.add(folded.term, info)
            dictionary.add(variant.term, info)
        } else {
            write(folded)
            if let variant = pendingVariant { write(variant) }
        }
        pendingFolded = nil
        pendingVariant = nil
    }

    /// Writes a term's postings, and its dictionary entry unless told to hold it.
    @discardableResult
    private mutating func write(_ term: PendingTerm, addEntry: Bool = true) -> TermInfo {
        let field = Int(term.term.first ?? 0)
        let offsets = postings.write(
            docs: term.docs, freqs: term.freqs, positions: term.positions, norms: norms[min(field, norms.count - 1)])
        let info = TermInfo(
            docFreq: term.docs.count, totalFreq: term.freqs.reduce(0) { $0 + Int($1) },
            postingsOffset: offsets.postings,
            positionsOffset: term.positions == nil ? nil : offsets.positions)
        if addEntry { dictionary.add(term.term, info) }
        return info
    }

    /// The finished segment file (the pieces to write in order), with the PAIRS section `pairs`
    /// (``PairCountsSerializer``) and the STORED section `stored`
    /// (``StoredFieldsSerializer/section(_:)``, which callers may compute on another thread).
    package mutating func finish(
        id: UInt64, analyzer: SegmentSerializer.AnalyzerInfo, stored: [[UInt8]],
        ids: [String], deleted: Set<UInt32> = [], skippedKeys: Int, pairs: [UInt8]
    ) -> [[UInt8]] {
        flushPending()
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
        return SegmentFile.assemble(
            segmentID: id, documentCount: UInt32(documentCount),
            sections: [
                (.meta, [meta.bytes]), (.terms, [dictionary.finish()]), (.postings, [postings.postings.bytes]),
                (.positions, [postings.positions.bytes]), (.norms, [normsSection.bytes]), (.stored, stored),
                (.ids, [Self.idsSection(ids, deleted: deleted)]), (.pairs, [pairs]),
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
