import Dispatch

/// Turns an in-memory ``SegmentWriter`` into the bytes of a segment file.
package enum SegmentSerializer {
    /// The analyzer that produced the keys, recorded in META.
    package struct AnalyzerInfo: Equatable, Sendable {
        package var name: String
        package var version: Int

        package init(name: String, version: Int) {
            self.name = name
            self.version = version
        }
    }

    /// Serializes the segment.
    ///
    /// - Complexity: O(occurrences + terms log terms).
    ///
    /// The stored fields are compressed on a second thread meanwhile (LZ4 at the high level is
    /// about half the work): the last segment of a run is written while nothing else runs.
    package static func serialize(_ segment: SegmentWriter, id: UInt64, analyzer: AnalyzerInfo) -> [UInt8] {
        let stored = StoredSectionTask()
        let storedBytes = segment.storedBytes
        let storedStarts = segment.storedStarts
        DispatchQueue.global().async(group: stored.group) {
            stored.bytes = StoredFieldsSerializer.section([.serialized(bytes: storedBytes, starts: storedStarts)])
        }
        let terms = segment.terms
        let termCount = terms.count
        // Counting sorts by term, stable, so documents stay ascending per term and positions
        // ascending per document: every occurrence counts for its variant term (document and
        // position) and for its folded term (document only).
        var starts = [Int](repeating: 0, count: termCount + 1)
        var positionStarts = [Int](repeating: 0, count: termCount + 1)
        for term in segment.occurrenceTerms {
            starts[Int(term) + 1] += 1
            starts[Int(segment.foldedTerm[Int(term)]) + 1] += 1
            positionStarts[Int(term) + 1] += 1
        }
        for index in 0..<termCount {
            starts[index + 1] += starts[index]
            positionStarts[index + 1] += positionStarts[index]
        }
        var next = starts
        var nextPosition = positionStarts
        let occurrenceCount = segment.occurrenceTerms.count
        var docs = [UInt32](repeating: 0, count: occurrenceCount * 2)
        var positions = [UInt32](repeating: 0, count: occurrenceCount)
        for index in 0..<occurrenceCount {
            let term = Int(segment.occurrenceTerms[index])
            let folded = Int(segment.foldedTerm[term])
            let doc = segment.occurrenceDocs[index]
            docs[next[term]] = doc
            next[term] += 1
            docs[next[folded]] = doc
            next[folded] += 1
            positions[nextPosition[term]] = segment.occurrencePositions[index]
            nextPosition[term] += 1
        }
        let order = terms.arena.withUnsafeBytes { arena in
            (0..<termCount).sorted { a, b in
                let left = UnsafeRawBufferPointer(rebasing: arena[terms.starts[a]..<terms.starts[a + 1]])
                let right = UnsafeRawBufferPointer(rebasing: arena[terms.starts[b]..<terms.starts[b + 1]])
                return TermDictionaryReader.compare(left, right) < 0
            }
        }
        var builder = SegmentBuilder(norms: segment.norms)
        var termDocs: [UInt32] = []
        var termFreqs: [UInt32] = []
        for term in order {
            let range = starts[term]..<starts[term + 1]
            termDocs.removeAll(keepingCapacity: true)
            termFreqs.removeAll(keepingCapacity: true)
            for index in range {
                if termDocs.last == docs[index] {
                    termFreqs[termFreqs.count - 1] += 1
                } else {
                    termDocs.append(docs[index])
                    termFreqs.append(1)
                }
            }
            let bytes = Array(terms.term(term))
            builder.addTerm(
                bytes, docs: termDocs[...], freqs: termFreqs[...],
                positions: Term.isVariant(bytes) ? positions[positionStarts[term]..<positionStarts[term + 1]] : nil)
        }
        let pairs = PairCountsSerializer.entries(segment.pairs, terms: terms)
        stored.group.wait()
        return builder.finish(
            id: id, analyzer: analyzer, stored: stored.bytes, ids: segment.ids, deleted: segment.deleted,
            skippedKeys: segment.skippedKeys, pairs: pairs)
    }
}

/// The STORED section being compressed on another thread; read after `group` is done.
private final class StoredSectionTask: @unchecked Sendable {
    let group = DispatchGroup()
    var bytes: [UInt8] = []
}
