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

    /// The documents of several variants' postings merged, frequencies of a document added.
    private static func union(_ variants: ArraySlice<Variant>, docs: inout [UInt32], freqs: inout [UInt32]) {
        docs.removeAll(keepingCapacity: true)
        freqs.removeAll(keepingCapacity: true)
        var cursors = [Int](repeating: 0, count: variants.count)
        let base = variants.startIndex
        while true {
            var doc = UInt32.max
            for k in variants.indices where cursors[k - base] < variants[k].docs.count {
                doc = min(doc, variants[k].docs[cursors[k - base]])
            }
            guard doc != UInt32.max else { return }
            var freq: UInt32 = 0
            for k in variants.indices where cursors[k - base] < variants[k].docs.count {
                if variants[k].docs[cursors[k - base]] == doc {
                    freq += variants[k].freqs[cursors[k - base]]
                    cursors[k - base] += 1
                }
            }
            docs.append(doc)
            freqs.append(freq)
        }
    }

    /// Serializes the segment: the pieces of its file, to write in order. The segment's encoded
    /// postings are freed as they are written (so the flush needs little more memory than the
    /// buffer it writes). The STORED section (its full blocks were compressed as documents came;
    /// the last block is compressed then) and the PAIRS section are made on a second thread
    /// meanwhile.
    ///
    /// - Complexity: O(tokens + terms log terms).
    package static func serialize(_ segment: inout SegmentWriter, id: UInt64, analyzer: AnalyzerInfo) -> [[UInt8]] {
        let stored = StoredSectionTask()
        let storedParts = segment.storedParts
        let pairSource = segment.pairSource
        DispatchQueue.global().async(group: stored.group) {
            stored.bytes = StoredFieldsSerializer.section(storedParts)
            stored.pairs = PairCountsSerializer.serialize(
                SegmentWriter.pairEntries(pairSource.counter, terms: pairSource.terms))
        }
        let terms = segment.terms
        let termCount = terms.count
        let order = terms.arena.withUnsafeBytes { arena in
            (0..<termCount).sorted { a, b in
                let left = UnsafeRawBufferPointer(rebasing: arena[terms.starts[a]..<terms.starts[a + 1]])
                let right = UnsafeRawBufferPointer(rebasing: arena[terms.starts[b]..<terms.starts[b + 1]])
                return TermDictionaryReader.compare(left, right) < 0
            }
        }
        var builder = SegmentBuilder(norms: segment.norms)
        // A folded term comes right before its variants in term order (IndexFormat.md, "Terms"):
        // its postings are the union of theirs, so the variants are decoded first, then written
        // after it.
        var variants: [Variant] = []
        var foldedDocs: [UInt32] = []
        var foldedFreqs: [UInt32] = []
        var index = 0
        while index < order.count {
            let term = order[index]
            index += 1
            guard segment.foldedTerm[term] == term else {
                // A variant not right after its folded term: impossible (variants sort right
                // after it, and the loop below takes them), written alone all the same.
                var variant = Variant()
                variant.decode(&segment, term)
                builder.addTerm(
                    Array(terms.term(term)), docs: variant.docs[...], freqs: variant.freqs[...],
                    positions: variant.positions[...])
                continue
            }
            var count = 0
            while index + count < order.count && segment.foldedTerm[order[index + count]] == term
                && order[index + count] != term
            {
                if variants.count == count { variants.append(Variant()) }
                variants[count].decode(&segment, order[index + count])
                count += 1
            }
            if count == 1 {
                builder.addTerm(
                    Array(terms.term(term)), docs: variants[0].docs[...], freqs: variants[0].freqs[...], positions: nil)
            } else if count > 1 {
                Self.union(variants[0..<count], docs: &foldedDocs, freqs: &foldedFreqs)
                builder.addTerm(Array(terms.term(term)), docs: foldedDocs[...], freqs: foldedFreqs[...], positions: nil)
            }
            for k in 0..<count {
                builder.addTerm(
                    Array(terms.term(order[index + k])), docs: variants[k].docs[...], freqs: variants[k].freqs[...],
                    positions: variants[k].positions[...])
            }
            index += count
        }
        stored.group.wait()
        return builder.finish(
            id: id, analyzer: analyzer, stored: stored.bytes, ids: segment.ids, deleted: segment.deleted,
            skippedKeys: segment.skippedKeys, pairs: stored.pairs)
    }
}

/// A variant term's postings, decoded for the builder (scratch reused from term to term).
private struct Variant {
    var docs: [UInt32] = []
    var freqs: [UInt32] = []
    var positions: [UInt32] = []

    mutating func decode(_ segment: inout SegmentWriter, _ term: Int) {
        docs.removeAll(keepingCapacity: true)
        freqs.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
        segment.takePostings(of: term, docs: &docs, freqs: &freqs, positions: &positions)
    }
}

/// The STORED and PAIRS sections being made on another thread; read after `group` is done.
private final class StoredSectionTask: @unchecked Sendable {
    let group = DispatchGroup()
    var bytes: [[UInt8]] = []
    var pairs: [UInt8] = []
}
