/// Assembles the sections of a new segment from terms fed in sorted order, whatever their source:
/// an in-memory segment (``SegmentSerializer``) or segments being merged (``SegmentMerger``).
package struct SegmentBuilder {
    /// Field lengths of every document of the new segment, indexed by field number.
    package let norms: [[UInt32]]
    private var dictionary = TermDictionaryWriter()
    private var postings = PostingsSerializer()
    private var previousTerm: ArraySlice<UInt8>? = nil
    /// For a later part (``part(norms:)``): its dictionary entries, which the builder it is
    /// appended to adds with its offsets moved. nil: entries go to ``dictionary``.
    private var entries: [(term: ArraySlice<UInt8>, info: TermInfo)]? = nil
    /// The POSTINGS and POSITIONS bytes of the parts appended (``append(_:)``), after this
    /// builder's own.
    private var appendedPostings: [[UInt8]] = []
    private var appendedPositions: [[UInt8]] = []

    package init(norms: [[UInt32]]) {
        precondition(norms.count == IndexedField.allCases.count, "one norms array per indexed field")
        self.norms = norms
    }

    /// A builder for a later run of a segment's terms, made alongside the builder of the terms
    /// before them (on another thread) and then given to its ``append(_:)``. A folded term and its
    /// variants must be in the same part.
    package static func part(norms: [[UInt32]]) -> SegmentBuilder {
        var builder = SegmentBuilder(norms: norms)
        builder.entries = []
        return builder
    }

    /// Takes the terms of `part` (``part(norms:)``), which all sort after this builder's: the
    /// segment is then the one that adding them here would have made, byte for byte. No term can
    /// be added afterwards but through another part.
    package mutating func append(_ part: consuming SegmentBuilder) {
        var part = part
        precondition(entries == nil && part.appendedPostings.isEmpty, "append a part to the first builder")
        flushPending()
        part.flushPending()
        if let last = previousTerm, let first = part.entries?.first?.term {
            precondition(last.lexicographicallyPrecedes(first), "a part's terms must come after the builder's")
        }
        let postingsBase = postings.postings.count + appendedPostings.reduce(0) { $0 + $1.count }
        let positionsBase = postings.positions.count + appendedPositions.reduce(0) { $0 + $1.count }
        for (term, info) in part.entries ?? [] {
            dictionary.add(
                term,
                TermInfo(
                    docFreq: info.docFreq, totalFreq: info.totalFreq,
                    postingsOffset: info.postingsOffset + postingsBase,
                    positionsOffset: info.positionsOffset.map { $0 + positionsBase }))
        }
        appendedPostings.append(part.postings.postings.bytes)
        appendedPositions.append(part.postings.positions.bytes)
        previousTerm = part.previousTerm ?? previousTerm
    }

    private mutating func addEntry(_ term: ArraySlice<UInt8>, _ info: TermInfo) {
        if entries != nil {
            entries?.append((term, info))
        } else {
            dictionary.add(term, info)
        }
    }

    /// A term held back until the next one shows whether a folded term has a single variant.
    private struct PendingTerm {
        var term: ArraySlice<UInt8>
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
        _ term: ArraySlice<UInt8>, docs: ArraySlice<UInt32>, freqs: ArraySlice<UInt32>, positions: ArraySlice<UInt32>?
    ) {
        precondition(previousTerm.map { $0.lexicographicallyPrecedes(term) } ?? true, "terms must be added in order")
        precondition(appendedPostings.isEmpty, "terms after an appended part come in another part")
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

    /// Adds a folded term and its only variant, whose postings are the folded term's too: what
    /// ``addTerm(_:docs:freqs:positions:)`` of both adds once the next group begins (both dictionary
    /// entries point at one copy, with positions), for a caller that knows the group has one
    /// variant. Nothing is held back, so none of the slices is kept.
    package mutating func addGroup(
        folded: ArraySlice<UInt8>, variant: ArraySlice<UInt8>, docs: ArraySlice<UInt32>, freqs: ArraySlice<UInt32>,
        positions: ArraySlice<UInt32>
    ) {
        precondition(
            previousTerm.map { $0.lexicographicallyPrecedes(folded) } ?? true, "terms must be added in order")
        precondition(Self.isVariant(variant, of: folded), "a group's variant extends its folded term")
        precondition(appendedPostings.isEmpty, "terms after an appended part come in another part")
        flushPending()
        previousTerm = variant
        let info = write(variant, docs: docs, freqs: freqs, positions: positions, withEntry: false)
        addEntry(folded, info)
        addEntry(variant, info)
    }

    /// Adds a term and writes it at once, for a caller that knows it shares no postings: a folded
    /// term of several variants (which must follow), or one of those variants. Otherwise as
    /// ``addTerm(_:docs:freqs:positions:)``.
    package mutating func addUnsharedTerm(
        _ term: ArraySlice<UInt8>, docs: ArraySlice<UInt32>, freqs: ArraySlice<UInt32>, positions: ArraySlice<UInt32>?
    ) {
        precondition(previousTerm.map { $0.lexicographicallyPrecedes(term) } ?? true, "terms must be added in order")
        precondition(appendedPostings.isEmpty, "terms after an appended part come in another part")
        flushPending()
        previousTerm = term
        write(term, docs: docs, freqs: freqs, positions: positions)
    }

    private static func isVariant(_ term: ArraySlice<UInt8>, of folded: ArraySlice<UInt8>) -> Bool {
        term.count > folded.count && term.starts(with: folded) && term[term.startIndex + folded.count] == 0
    }

    private mutating func flushPending() {
        guard let folded = pendingFolded else { return }
        if let variant = pendingVariant, variant.docs == folded.docs, variant.freqs == folded.freqs {
            let info = write(variant, withEntry: false)
            addEntry(folded.term, info)
            addEntry(variant.term, info)
        } else {
            write(folded)
            if let variant = pendingVariant { write(variant) }
        }
        pendingFolded = nil
        pendingVariant = nil
    }

    /// Writes a term's postings, and its dictionary entry unless told to hold it.
    @discardableResult
    private mutating func write(_ term: PendingTerm, withEntry: Bool = true) -> TermInfo {
        write(term.term, docs: term.docs, freqs: term.freqs, positions: term.positions, withEntry: withEntry)
    }

    @discardableResult
    private mutating func write(
        _ term: ArraySlice<UInt8>, docs: ArraySlice<UInt32>, freqs: ArraySlice<UInt32>, positions: ArraySlice<UInt32>?,
        withEntry: Bool = true
    ) -> TermInfo {
        let field = Int(term.first ?? 0)
        let offsets = postings.write(
            docs: docs, freqs: freqs, positions: positions, norms: norms[min(field, norms.count - 1)])
        let info = TermInfo(
            docFreq: docs.count, totalFreq: freqs.reduce(0) { $0 + Int($1) },
            postingsOffset: offsets.postings,
            positionsOffset: positions == nil ? nil : offsets.positions)
        if withEntry { addEntry(term, info) }
        return info
    }

    /// The finished segment file (the pieces to write in order), with the TOKEN PAIRS section
    /// `pairs` (``PairCountsSerializer``, keys of ``PairKey/tokenKey(leftHash:rightHash:)``), a
    /// PAIRS section `olderPairs` when given (keys of ``PairKey/make(_:_:)``: the pairs of merged
    /// segments of versions 2 to 6), the STORED section `stored`
    /// (``StoredFieldsSerializer/section(_:)``) and the IDS section `idsSection` when given
    /// (``idsSection(_:deleted:)`` of `ids` and `deleted`, made here otherwise), which callers may
    /// compute on another thread.
    package mutating func finish(
        id: UInt64, analyzer: SegmentSerializer.AnalyzerInfo, stored: [[UInt8]],
        ids: [String], deleted: Set<UInt32> = [], idsSection: [UInt8]? = nil, skippedKeys: Int, pairs: [UInt8],
        olderPairs: [UInt8]? = nil
    ) -> [[UInt8]] {
        precondition(entries == nil, "a part is appended to the first builder, not finished")
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
        var sections: [(SegmentFile.Section, [[UInt8]])] = [
            (.meta, [meta.bytes]), (.terms, [dictionary.finish()]),
            (.postings, [postings.postings.bytes] + appendedPostings),
            (.positions, [postings.positions.bytes] + appendedPositions), (.norms, [normsSection.bytes]),
            (.stored, stored),
            (.ids, [idsSection ?? Self.idsSection(ids, deleted: deleted)]),
        ]
        if let olderPairs { sections.append((.pairs, [olderPairs])) }
        sections.append((.tokenPairs, [pairs]))
        return SegmentFile.assemble(segmentID: id, documentCount: UInt32(documentCount), sections: sections)
    }

    /// Whether `a`'s UTF-8 bytes sort before `b`'s: by memcmp where both are contiguous (perf of
    /// `tra index` on the Wikipedia sample: the generic comparison of the two views, a byte at a
    /// time, took 18 of some 9,300 samples for its 7,860 ids; this one, 4).
    private static func precedes(_ a: String, _ b: String) -> Bool {
        let compared = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                TermDictionaryReader.compare(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y)) < 0
            }
        }
        return (compared ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// IDS := Count(u32) EntryOffset(u32)^Count { Doc(varint) IdLength(varint) Id }^Count,
    /// entries sorted by id bytes, offsets relative to the first entry. Documents already deleted
    /// when the segment is written (replaced by a later one with the same id) have no entry, so
    /// ids are unique.
    package static func idsSection(_ ids: [String], deleted: Set<UInt32>) -> [UInt8] {
        let order = ids.indices.filter { !deleted.contains(UInt32($0)) }.sorted { Self.precedes(ids[$0], ids[$1]) }
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
