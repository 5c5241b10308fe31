/// Merges segments into one: live documents are renumbered in segment order, deleted ones are
/// dropped, and each term's postings are concatenated through the new numbering, without
/// re-analyzing any text.
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
    package static func merge(_ inputs: [Input], id: UInt64, analyzer: SegmentSerializer.AnalyzerInfo)
        throws(IndexError) -> (pieces: [[UInt8]], documentCount: Int)
    {
        var maps: [[UInt32]] = []
        var norms: [[UInt32]] = IndexedField.allCases.map { _ in [] }
        var storedBytes: [UInt8] = []
        var storedStarts = [0]
        var stored: [StoredPart] = []
        var ids: [String] = []
        var skipped = 0
        // Pair counts add up; those of deleted documents stay (a pair count does not know its
        // documents): see IndexFormat.md, "PAIRS".
        var pairs: [(key: UInt64, count: UInt64)] = []
        for input in inputs {
            pairs += try input.reader.pairs.entries()
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
        var builder = SegmentBuilder(norms: norms)
        var cursors: [TermDictionaryReader.TermCursor] = []
        var current: [TermInfo?] = []
        for input in inputs {
            var cursor = try input.reader.terms.cursor()
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
            guard let term = smallest else { break }
            let isVariant = Term.isVariant(term)
            docs.removeAll(keepingCapacity: true)
            freqs.removeAll(keepingCapacity: true)
            positions.removeAll(keepingCapacity: true)
            for index in cursors.indices {
                guard let info = current[index], cursors[index].term == term else { continue }
                var postings = try inputs[index].reader.postings(info)
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
                builder.addTerm(term, docs: docs[...], freqs: freqs[...], positions: isVariant ? positions[...] : nil)
            }
        }
        let pieces = builder.finish(
            id: id, analyzer: analyzer,
            stored: StoredFieldsSerializer.section(stored + [.serialized(bytes: storedBytes, starts: storedStarts)]),
            ids: ids,
            skippedKeys: skipped, pairs: PairCountsSerializer.serialize(PairCountsSerializer.normalize(pairs)))
        return (pieces, ids.count)
    }
}
