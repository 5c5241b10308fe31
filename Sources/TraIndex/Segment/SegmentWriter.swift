import Dispatch

/// The in-memory segment: accumulates analyzed documents until it is serialized to disk.
///
/// Every token is an occurrence of a variant term (`field, folded key, 0x00, accented key`) and
/// of its folded term (`field, folded key`); see IndexFormat.md, "Terms". Only the variant terms'
/// postings are kept, already encoded as documents arrive (Lucene's in-memory postings work the
/// same way): per variant term, for each document, `DocGap(varint) Freq(varint)` and the
/// positions as varint gaps, about 3 bytes a token instead of the 12 of a (term, document,
/// position) record; each variant term knows its folded term, whose postings are the union of
/// its variants', made when the segment is written. Adding a document costs one hash lookup per
/// distinct term of each field (the fields come with their terms interned, see
/// ``AnalyzedField``).
///
/// Full blocks of stored fields go to a compressor the copies of a writer share: add documents
/// to one copy only (``IndexWriter`` hands a full buffer over and starts a new one).
package struct SegmentWriter {
    /// Keys longer than this many bytes are not indexed (a base64 blob is no search term).
    package static let maximumKeyLength = 120

    package private(set) var terms = TermTable()
    /// For every term id: the id of its folded term (itself for folded terms).
    package private(set) var foldedTerm: [UInt32] = []
    /// For every term id: the encoded postings of a variant term (empty for folded terms).
    private var postings: [[UInt8]] = []
    /// For every term id: one more than the last document in its postings (0 for none yet).
    private var nextDoc: [UInt32] = []
    /// The bytes ``postings`` hold, counted by ``ArrayRoom`` (at least 16 a term).
    private var postingsCapacity = 0
    /// Tokens indexed (occurrences of variant terms).
    package private(set) var tokenCount = 0
    /// Field lengths, indexed by field number then document.
    package private(set) var norms: [[UInt32]] = IndexedField.allCases.map { _ in [] }
    package private(set) var ids: [String] = []
    /// Stored fields: the full blocks (``StoredFieldsSerializer/blockSize`` bytes of serialized
    /// documents each, cut as the serializer would cut them) go to ``storedCompressor``; the
    /// documents of the block being filled are serialized back to back, from document
    /// ``storedPendingFirst``.
    package private(set) var storedPending: [UInt8] = []
    /// The longest ``storedPending`` has been (it keeps its room when handed to the compressor).
    private var longestStoredPending = 0
    package private(set) var storedPendingStarts: [Int] = [0]
    package private(set) var storedPendingFirst = 0
    /// Compresses the full blocks on another thread, in order.
    private let storedCompressor = StoredBlockCompressor()
    /// The bytes the compressed blocks hold (estimated: 0.45 of the raw bytes).
    private var storedCompressedBytes = 0
    /// Documents replaced by a later document with the same id in this segment.
    package private(set) var deleted: Set<UInt32> = []
    package private(set) var skippedKeys = 0
    /// Pairs of consecutive tokens of a field (their pair keys), for the PAIRS section.
    private var pairCounter = PairCounter()
    private var docByID: [DocumentKey: UInt32] = [:]
    /// Scratch for ``add(_:)``: the segment's term id of each term of the field being added.
    private var fieldTerms: [UInt32] = []
    /// Keeps what ``internTerms(of:)`` and ``addTokens(of:doc:)`` read ahead (its value means
    /// nothing).
    private var warmSink: UInt64 = 0

    package init() {}

    package var documentCount: Int { ids.count }

    /// The counts of the pairs of consecutive tokens of a field by ``PairKey``, ascending: the
    /// PAIRS section's entries.
    package var pairEntries: LazyMapCollection<Range<Int>, (key: UInt64, count: UInt64)> {
        Self.pairEntries(pairCounter)
    }

    /// What ``pairEntries`` is made of, to make it on another thread (a copy of the whole writer
    /// would keep its postings alive while the serializer frees them).
    package var pairSource: PairCounter { pairCounter }

    /// The PAIRS section's entries from `counter` (compacted first).
    package static func pairEntries(_ counter: PairCounter) -> LazyMapCollection<
        Range<Int>, (key: UInt64, count: UInt64)
    > {
        var pairs = counter
        pairs.compact()
        return pairs.entries
    }

    /// Approximate bytes held, for the RAM budget, including what serializing will need on top
    /// (the written postings take the place of the encoded ones, which the serializer frees as
    /// it goes: a quarter more; the compressed stored fields): flushing at the budget keeps the
    /// peak near the budget. Growing arrays are counted by ``ArrayRoom`` rather than by their
    /// capacities, so that the same documents give the same footprint, and the same segments,
    /// from run to run.
    package var memoryFootprint: Int {
        let parts = memoryFootprintParts
        return parts.text + parts.vocabulary
    }

    /// ``memoryFootprint`` in two parts: what grows with the text (postings bytes, stored fields,
    /// per-document values) and what grows with its vocabulary (the terms, the arrays per term,
    /// the pair counts), which grows more slowly than the text (Heaps' law): the one-segment
    /// projection (``IndexWriter``) scales them apart.
    package var memoryFootprintParts: (text: Int, vocabulary: Int) {
        let postingsBytes = postingsCapacity * 5 / 4
        let storedBytes = storedCompressedBytes + ArrayRoom.of(longestStoredPending) * 2
        let documentBytes = norms.count * ids.count * 4 + ids.count * 96
        let termArrays = ArrayRoom.of(postings.count) * 8 + postings.count * 48 + ArrayRoom.of(foldedTerm.count) * 8
        return (
            postingsBytes + storedBytes + documentBytes,
            terms.memoryFootprint + termArrays + pairCounter.memoryFootprint
        )
    }

    /// The postings of term `term` as (document, positions) per document, ascending; empty for a
    /// folded term (whose postings are those of its variants).
    package func postings(of term: Int) -> [(doc: UInt32, positions: [UInt32])] {
        var result: [(doc: UInt32, positions: [UInt32])] = []
        var docs: [UInt32] = []
        var freqs: [UInt32] = []
        var positions: [UInt32] = []
        decodePostings(of: term, docs: &docs, freqs: &freqs, positions: &positions)
        var start = 0
        for (doc, freq) in zip(docs, freqs) {
            result.append((doc, Array(positions[start..<(start + Int(freq))])))
            start += Int(freq)
        }
        return result
    }

    /// Calls `body` with a ``PostingsTaker`` over this segment's postings, which threads working
    /// on different terms may use at once; it must not be used after `body` returns.
    package mutating func withPostingsTaker<Result>(_ body: (PostingsTaker) -> Result) -> Result {
        postings.withUnsafeMutableBufferPointer { body(PostingsTaker(postings: $0)) }
    }

    /// Takes the postings of variant terms for the serializer: appends them to the arrays (see
    /// ``decodePostings(of:docs:freqs:positions:)``) and frees them, on any thread: each term's
    /// storage is its own, so threads that take different terms never touch the same memory.
    package struct PostingsTaker: @unchecked Sendable {
        fileprivate let postings: UnsafeMutableBufferPointer<[UInt8]>

        /// The bytes of term `term`'s encoded postings (0 once taken): what decoding it costs.
        package func encodedSize(of term: Int) -> Int { postings[term].count }

        package func take(of term: Int, docs: inout [UInt32], freqs: inout [UInt32], positions: inout [UInt32]) {
            SegmentWriter.decode(postings[term], docs: &docs, freqs: &freqs, positions: &positions)
            postings[term] = []
        }
    }

    /// Appends the documents, frequencies and positions of variant term `term` (as
    /// ``addTokens(of:doc:)`` encoded them) to the arrays.
    func decodePostings(of term: Int, docs: inout [UInt32], freqs: inout [UInt32], positions: inout [UInt32]) {
        Self.decode(postings[term], docs: &docs, freqs: &freqs, positions: &positions)
    }

    private static func decode(
        _ encoded: [UInt8], docs: inout [UInt32], freqs: inout [UInt32], positions: inout [UInt32]
    ) {
        encoded.withUnsafeBytes { bytes in
            // The arrays grow first by as many values as the bytes can hold, which are then written
            // through pointers and cut to those decoded: an append per value checked each time
            // that the array was unique and had room. A value ends at each byte whose high bit is
            // clear, and a document takes at least three (gap, frequency, a position).
            var values = 0
            if let base = bytes.baseAddress {
                var i = 0
                while i + 8 <= bytes.count {
                    let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    values &+= (~word & 0x8080_8080_8080_8080).nonzeroBitCount
                    i += 8
                }
                while i < bytes.count {
                    if bytes[i] < 0x80 { values &+= 1 }
                    i += 1
                }
            }
            let docStart = docs.count
            let positionStart = positions.count
            docs.append(contentsOf: repeatElement(0, count: values / 3))
            freqs.append(contentsOf: repeatElement(0, count: values / 3))
            positions.append(contentsOf: repeatElement(0, count: values))
            var documents = 0
            var written = 0
            docs.withUnsafeMutableBufferPointer { docs in
                freqs.withUnsafeMutableBufferPointer { freqs in
                    positions.withUnsafeMutableBufferPointer { positions in
                        guard let docOut = docs.baseAddress.map({ $0 + docStart }),
                            let freqOut = freqs.baseAddress.map({ $0 + docStart }),
                            let positionOut = positions.baseAddress.map({ $0 + positionStart })
                        else { return }
                        let documentRoom = values / 3
                        var offset = 0
                        var doc: UInt32 = 0
                        // Written by ``addTokens(of:doc:)`` in this process: every varint is whole
                        // (a short one would end the decoding, never loop).
                        while offset < bytes.count && documents < documentRoom {
                            guard let gap = VarInt.read(bytes, at: &offset), let freq = VarInt.read(bytes, at: &offset),
                                freq <= UInt64(values - written)
                            else { return }
                            doc &+= UInt32(truncatingIfNeeded: gap)
                            docOut[documents] = doc
                            freqOut[documents] = UInt32(truncatingIfNeeded: freq)
                            documents += 1
                            var position: UInt32 = 0
                            for _ in 0..<freq {
                                // Most gaps between positions take one byte.
                                let delta: UInt64
                                if offset < bytes.count && bytes[offset] < 0x80 {
                                    delta = UInt64(bytes[offset])
                                    offset += 1
                                } else {
                                    guard let value = VarInt.read(bytes, at: &offset) else { return }
                                    delta = value
                                }
                                position &+= UInt32(truncatingIfNeeded: delta)
                                positionOut[written] = position
                                written += 1
                            }
                            doc &+= 1
                        }
                    }
                }
            }
            docs.removeLast(values / 3 - documents)
            freqs.removeLast(values / 3 - documents)
            positions.removeLast(values - written)
        }
    }

    /// Adds a document; a document already added with the same id is marked deleted.
    ///
    /// - Returns: the document's number in the segment.
    @discardableResult
    package mutating func add(_ document: AnalyzedDocument) -> UInt32 {
        let doc = UInt32(ids.count)
        if let previous = docByID.updateValue(doc, forKey: DocumentKey(document.id)) { deleted.insert(previous) }
        ids.append(document.id)
        for field in IndexedField.allCases { norms[Int(field.rawValue)].append(0) }
        for (i, field) in document.fields.enumerated() {
            precondition(
                !document.fields[..<i].contains { $0.field == field.field }, "a document has each field at most once")
        }
        for field in document.fields {
            norms[Int(field.field.rawValue)][Int(doc)] = field.length
            addTokens(of: field, doc: doc)
        }
        if storedPendingStarts.count > 1
            && storedPending.count + StoredFieldsSerializer.serializedSize(document.stored)
                > StoredFieldsSerializer.blockSize
        {
            compressPendingStored()
        }
        StoredFieldsSerializer.append(document.stored, to: &storedPending)
        longestStoredPending = max(longestStoredPending, storedPending.count)
        storedPendingStarts.append(storedPending.count)
        if pairCounter.isLogFull { pairCounter.compactInBackground() }
        return doc
    }

    /// Hands the documents of the block being filled to the compressor as a block of their own:
    /// stored fields are held compressed (about 0.4 of their size for Vietnamese text, with LZ4 at
    /// the high level) rather than whole until the segment is written, and compressed on another
    /// thread than the one adding documents.
    private mutating func compressPendingStored() {
        storedCompressor.submit(storedPending, firstDoc: storedPendingFirst)
        storedCompressedBytes += storedPending.count * 45 / 100 + 64
        storedPendingFirst += storedPendingStarts.count - 1
        storedPending.removeAll(keepingCapacity: true)
        storedPendingStarts.removeAll(keepingCapacity: true)
        storedPendingStarts.append(0)
    }

    /// The stored fields to write: the compressed blocks (waiting for the last ones), then the
    /// documents of the last block.
    package var storedParts: [StoredPart] {
        [
            .compressed(storedCompressor.finished(), documentCount: storedPendingFirst),
            .serialized(bytes: storedPending, starts: storedPendingStarts),
        ]
    }

    /// The document number of `id` in this segment, if it was added and not replaced.
    package func document(withID id: String) -> UInt32? { docByID[DocumentKey(id)] }

    /// The live documents by id.
    package var documentsByID: [DocumentKey: UInt32] { docByID }

    /// Marks the document with `id` deleted; returns whether it was here.
    package mutating func delete(id: String) -> Bool {
        guard let doc = docByID.removeValue(forKey: DocumentKey(id)) else { return false }
        deleted.insert(doc)
        return true
    }

    /// Adds the tokens of `field`: interns each distinct term of the field once (its variant,
    /// and its folded term when the variant is new), counts its pairs of consecutive tokens, then
    /// appends each term's document number and its frequency and positions, coded where the field
    /// was analyzed (``AnalyzedField/encodePostings()``, here for a field that was not), to its
    /// postings.
    private mutating func addTokens(of field: AnalyzedField, doc: UInt32) {
        if !field.isEncoded {
            var encoded = field
            encoded.encodePostings()
            return addTokens(of: encoded, doc: doc)
        }
        internTerms(of: field)
        // The field's pairs of consecutive tokens, keyed where it was analyzed.
        pairCounter.add(field.pairKeys)
        // What the appends below read and write, read ahead for the whole field as in
        // ``internTerms(of:)``: each term's next document and postings array, then the last byte of
        // its postings, next to where the document goes.
        var warmed: UInt64 = 0
        nextDoc.withUnsafeBufferPointer { next in
            for term in fieldTerms where term != Self.skipped {
                warmed &+= UInt64(next[Int(term)]) &+ UInt64(postings[Int(term)].capacity)
            }
        }
        for term in fieldTerms where term != Self.skipped {
            postings[Int(term)].withUnsafeBufferPointer { bytes in warmed &+= UInt64(bytes.last ?? 0) }
        }
        warmSink &+= warmed
        field.postingsBytes.withUnsafeBufferPointer { bytes in
            var start = 0
            for i in fieldTerms.indices {
                let count = Int(field.termCounts[i])
                let end = Int(field.postingsEnds[i])
                defer { start = end }
                let term = Int(fieldTerms[i])
                guard term != Int(Self.skipped), start < end else {
                    skippedKeys += count
                    continue
                }
                tokenCount += count
                // A field's terms are distinct and of its own field, so the document is new here.
                let before = ArrayRoom.of(postings[term].count, floor: 16)
                VarInt.append(doc &- nextDoc[term], to: &postings[term])
                nextDoc[term] = doc &+ 1
                postings[term].append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
                postingsCapacity += ArrayRoom.of(postings[term].count, floor: 16) - before
            }
        }
    }

    /// Marks a term of a field that is not indexed (its key is too long).
    private static let skipped = UInt32.max

    /// Fills ``fieldTerms`` with the segment's term id of each term of `field` (or ``skipped``).
    private mutating func internTerms(of field: AnalyzedField) {
        fieldTerms.removeAll(keepingCapacity: true)
        // The table's memory the probes will read, read ahead for the whole field (see
        // ``TermTable/warm(_:level:)``): first every term's slot, then what each slot points to.
        var warmed: UInt64 = 0
        for level in 0..<2 {
            for term in field.terms { warmed &+= terms.warm(term.hash, level: level) }
        }
        warmSink &+= warmed
        field.termBytes.withUnsafeBytes { bytes in
            for term in field.terms {
                let start = Int(term.start)
                let foldedEnd = Int(term.foldedEnd)
                let end = Int(term.end)
                guard start < foldedEnd, foldedEnd < end, end <= bytes.count, term.isIndexed else {
                    fieldTerms.append(Self.skipped)
                    continue
                }
                let before = terms.count
                let variantTerm = terms.intern(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), hash: term.hash)
                if terms.count > before {
                    // A new variant: find (or add) its folded term once.
                    foldedTerm.append(variantTerm)
                    let folded = terms.intern(UnsafeRawBufferPointer(rebasing: bytes[start..<foldedEnd]))
                    if Int(folded) == foldedTerm.count { foldedTerm.append(folded) }
                    foldedTerm[Int(variantTerm)] = folded
                    while postings.count < foldedTerm.count {
                        postings.append([])
                        nextDoc.append(0)
                    }
                }
                fieldTerms.append(variantTerm)
            }
        }
    }
}

/// Compresses the stored-field blocks of an in-memory segment on a serial background queue, in
/// the order they are submitted.
private final class StoredBlockCompressor: @unchecked Sendable {
    private let queue = DispatchQueue(label: "tra.stored-compression")
    private let group = DispatchGroup()
    /// Touched only on ``queue``.
    private var blocks: [StoredBlock] = []
    /// Where blocks are compressed (touched only on ``queue``): the compressor takes room for its
    /// bound, more than twice what Vietnamese text compresses to, and a block held in an array of
    /// that room (all of it written) kept the room until the segment was written.
    private var scratch: [UInt8] = []
    /// The compressor's tables, kept from block to block (touched only on ``queue``).
    private let workspace = LZ4Block.Workspace()

    func submit(_ raw: [UInt8], firstDoc: Int) {
        queue.async(group: group) { [self] in
            scratch.removeAll(keepingCapacity: true)
            raw.withUnsafeBytes { LZ4Block.compress($0, level: .medium, into: &scratch, workspace: workspace) }
            // A copy of its own size.
            let compressed = scratch.withUnsafeBufferPointer { Array($0) }
            blocks.append(
                StoredBlock(firstDoc: firstDoc, bytes: compressed, raw: raw.count, crc: CRC32C.checksum(compressed)))
        }
    }

    /// Every block submitted, compressed, in order (waits for the last ones).
    func finished() -> [StoredBlock] {
        group.wait()
        return queue.sync { blocks }
    }
}
