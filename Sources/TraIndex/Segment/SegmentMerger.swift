/// Merges segments into one: live documents are renumbered in segment order, deleted ones are
/// dropped, and each term's postings are concatenated through the new numbering, without
/// re-analyzing any text. The STORED and PAIRS sections are made on other threads meanwhile, and
/// when the largest input's postings pass `splitAbove` bytes the terms are merged in two parts on
/// two threads (``SegmentBuilder/append(_:)`` joins them into the bytes one pass writes).
///
/// - Complexity: O(total postings + total stored bytes).
package enum SegmentMerger {
    package struct Input {
        package var reader: SegmentReader
        package var deleted: DeletedDocuments?

        package init(reader: SegmentReader, deleted: DeletedDocuments?) {
            self.reader = reader
            self.deleted = deleted
        }
    }

    /// The merged segment (the pieces of its file, to write in order) and its number of documents.
    package static func merge(
        _ inputs: [Input], id: UInt64, analyzer: SegmentSerializer.AnalyzerInfo, splitAbove: Int = 4 << 20
    ) throws(IndexError) -> (pieces: [[UInt8]], documentCount: Int) {
        let readers = inputs.map(\.reader)
        // Pair counts add up; those of deleted documents stay (a pair count does not know its
        // documents): see IndexFormat.md, "PAIRS and TOKEN PAIRS". Counts under the keys of
        // versions 2 to 6 cannot be keyed anew: they add up in a PAIRS section of their own,
        // beside TOKEN PAIRS.
        let pairs = BackgroundWork {
            Result { () throws(IndexError) -> (token: [UInt8], older: [UInt8]?) in
                var token: [(key: UInt64, count: UInt64)] = []
                var older: [(key: UInt64, count: UInt64)] = []
                var hasOlder = false
                for reader in readers {
                    token += try reader.tokenPairs.entries()
                    if reader.hasOlderPairs {
                        hasOlder = true
                        older += try reader.pairs.entries()
                    }
                }
                return (
                    PairCountsSerializer.serialize(PairCountsSerializer.normalize(token)),
                    hasOlder ? PairCountsSerializer.serialize(PairCountsSerializer.normalize(older)) : nil
                )
            }
        }
        // Whatever fails below, the other thread is done with the inputs before this returns.
        defer { _ = pairs.wait() }
        var maps: [[UInt32]] = []
        var norms: [[UInt32]] = IndexedField.allCases.map { _ in [] }
        var storedBytes: [UInt8] = []
        var storedStarts = [0]
        var stored: [StoredPart] = []
        var ids: [String] = []
        var skipped = 0
        for input in inputs {
            let reader = input.reader
            let segmentIDs = try reader.allIDs()
            var map = [UInt32](repeating: PostingsCursor.end, count: reader.documentCount)
            for doc in 0..<reader.documentCount where input.deleted?.contains(UInt32(doc)) != true {
                map[doc] = UInt32(ids.count)
                guard let id = segmentIDs[doc] else {
                    throw .corrupt("IDS: live document \(doc) has no id", file: reader.path, offset: 0)
                }
                ids.append(id)
                for field in IndexedField.allCases {
                    norms[Int(field.rawValue)].append(reader.norm(field, UInt32(doc)))
                }
            }
            if reader.stored.checksBlocks && input.deleted.map({ $0.count == 0 }) ?? true {
                // Every document live and every block checked: the blocks are copied as they are.
                if storedStarts.count > 1 {
                    stored.append(.serialized(bytes: storedBytes, starts: storedStarts))
                    storedBytes = []
                    storedStarts = [0]
                }
                stored.append(.compressed(try reader.stored.compressedBlocks(), documentCount: reader.documentCount))
            } else if reader.stored.checksBlocks {
                // Checked blocks hold what a writer serialized: their documents are copied as
                // they are, each block decompressed once.
                try reader.stored.forEachSerializedDocument { doc, document in
                    guard map[doc] != PostingsCursor.end else { return }
                    storedBytes.append(contentsOf: document)
                    storedStarts.append(storedBytes.count)
                }
            } else {
                // Older segments: every field is read and its UTF-8 checked.
                for doc in 0..<reader.documentCount where map[doc] != PostingsCursor.end {
                    StoredFieldsSerializer.append(try reader.document(doc), to: &storedBytes)
                    storedStarts.append(storedBytes.count)
                }
            }
            maps.append(map)
            skipped += reader.skippedKeys
        }
        // STORED on another thread too: documents of blocks with deletes are compressed again.
        let storedParts = stored + [.serialized(bytes: storedBytes, starts: storedStarts)]
        let storedSection = BackgroundWork { StoredFieldsSerializer.section(storedParts) }
        defer { _ = storedSection.wait() }
        var builder = SegmentBuilder(norms: norms)
        if let split = try splitTerm(readers, above: splitAbove) {
            let laterNorms = norms
            let laterMaps = maps
            let later = BackgroundWork {
                Result { () throws(IndexError) in
                    var part = SegmentBuilder.part(norms: laterNorms)
                    try mergeTerms(readers, maps: laterMaps, from: split, before: nil, into: &part)
                    return part
                }
            }
            defer { _ = later.wait() }
            try mergeTerms(readers, maps: maps, from: nil, before: split, into: &builder)
            builder.append(try later.wait().get())
        } else {
            try mergeTerms(readers, maps: maps, from: nil, before: nil, into: &builder)
        }
        let pairSections = try pairs.wait().get()
        let pieces = builder.finish(
            id: id, analyzer: analyzer, stored: storedSection.wait(), ids: ids, skippedKeys: skipped,
            pairs: pairSections.token, olderPairs: pairSections.older)
        return (pieces, ids.count)
    }

    /// Where the terms are cut in two parts of about equal postings: the first folded term (a
    /// term that is not a variant, so a folded term and its variants stay together) past half the
    /// postings of the largest input; nil for one part (postings of `above` bytes or less).
    private static func splitTerm(_ readers: [SegmentReader], above: Int) throws(IndexError) -> [UInt8]? {
        let sizes = readers.map { $0.layout.sections[.postings]?.range.count ?? 0 }
        guard let largest = sizes.indices.max(by: { sizes[$0] < sizes[$1] }), sizes[largest] > above else {
            return nil
        }
        var cursor = try readers[largest].terms.cursor()
        var first = true
        while let info = try cursor.next() {
            defer { first = false }
            if !first && info.postingsOffset >= sizes[largest] / 2 && !Term.isVariant(cursor.term[...]) {
                return cursor.term
            }
        }
        return nil
    }

    /// Merges the terms from `lower` (included; nil: the first) to `upper` (excluded; nil: the
    /// last) of every input into `builder`, each term's postings through the inputs' maps to the
    /// new document numbers.
    private static func mergeTerms(
        _ readers: [SegmentReader], maps: [[UInt32]], from lower: [UInt8]?, before upper: [UInt8]?,
        into builder: inout SegmentBuilder
    ) throws(IndexError) {
        var cursors: [TermDictionaryReader.TermCursor] = []
        var current: [TermInfo?] = []
        for reader in readers {
            var cursor: TermDictionaryReader.TermCursor
            if let lower { cursor = try reader.seek(lower) } else { cursor = try reader.terms.cursor() }
            current.append(try cursor.next())
            cursors.append(cursor)
        }
        var docs: [UInt32] = []
        var freqs: [UInt32] = []
        var positions: [UInt32] = []
        while true {
            var smallest: [UInt8]? = nil
            for index in cursors.indices where current[index] != nil {
                let term = cursors[index].term
                if smallest.map({ term.lexicographicallyPrecedes($0) }) ?? true { smallest = term }
            }
            guard let term = smallest, upper.map({ term.lexicographicallyPrecedes($0) }) ?? true else { break }
            let isVariant = Term.isVariant(term)
            docs.removeAll(keepingCapacity: true)
            freqs.removeAll(keepingCapacity: true)
            positions.removeAll(keepingCapacity: true)
            for index in cursors.indices {
                guard let info = current[index], cursors[index].term == term else { continue }
                var postings = try readers[index].postings(info)
                while try postings.next() {
                    let mapped = maps[index][Int(postings.doc)]
                    guard mapped != PostingsCursor.end else { continue }
                    docs.append(mapped)
                    freqs.append(postings.freq)
                    if isVariant { positions.append(contentsOf: try postings.positions()) }
                }
                current[index] = try cursors[index].next()
            }
            if !docs.isEmpty {
                builder.addTerm(
                    term[...], docs: docs[...], freqs: freqs[...], positions: isVariant ? positions[...] : nil)
            }
        }
    }
}
