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
    /// meanwhile. When the encoded postings pass `splitAbove` bytes, the terms are written in two
    /// parts, the later on another thread, of about equal postings (the file is the same byte for
    /// byte): the last flush of an indexing run has both cores to itself.
    ///
    /// - Complexity: O(tokens + terms log terms).
    package static func serialize(
        _ segment: inout SegmentWriter, id: UInt64, analyzer: AnalyzerInfo, splitAbove: Int = 4 << 20
    ) -> [[UInt8]] {
        let storedParts = segment.storedParts
        let pairSource = segment.pairSource
        let sections = BackgroundWork {
            (
                stored: StoredFieldsSerializer.section(storedParts),
                pairs: PairCountsSerializer.serialize(
                    SegmentWriter.pairEntries(pairSource.counter, terms: pairSource.terms))
            )
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
        let foldedTerm = segment.foldedTerm
        let norms = segment.norms
        var builder = SegmentBuilder(norms: norms)
        segment.withPostingsTaker { taker in
            let split = Self.split(order, foldedTerm: foldedTerm, taker: taker, above: splitAbove)
            guard split < order.count else {
                addTerms(order[...], terms: terms, foldedTerm: foldedTerm, taker: taker, into: &builder)
                return
            }
            let later = BackgroundWork {
                var part = SegmentBuilder.part(norms: norms)
                addTerms(order[split...], terms: terms, foldedTerm: foldedTerm, taker: taker, into: &part)
                return part
            }
            addTerms(order[..<split], terms: terms, foldedTerm: foldedTerm, taker: taker, into: &builder)
            builder.append(later.wait())
        }
        let (stored, pairs) = sections.wait()
        return builder.finish(
            id: id, analyzer: analyzer, stored: stored, ids: segment.ids, deleted: segment.deleted,
            skippedKeys: segment.skippedKeys, pairs: pairs)
    }

    /// Where the terms in `order` are cut in two parts of about equal encoded postings: the start
    /// of a folded term's group (a folded term and its variants are written together), or
    /// `order.count` for one part (postings of `above` bytes or less, or no group to cut at).
    private static func split(
        _ order: [Int], foldedTerm: [UInt32], taker: SegmentWriter.PostingsTaker, above: Int
    ) -> Int {
        var total = 0
        for term in order { total += taker.encodedSize(of: term) }
        guard total > above else { return order.count }
        var sum = 0
        for (i, term) in order.enumerated() {
            if sum >= total / 2 && i > 0 && foldedTerm[term] == term { return i }
            sum += taker.encodedSize(of: term)
        }
        return order.count
    }

    /// Adds the terms of `order` (sorted, whole groups of a folded term and its variants) to
    /// `builder`, taking their postings.
    private static func addTerms(
        _ order: ArraySlice<Int>, terms: TermTable, foldedTerm: [UInt32], taker: SegmentWriter.PostingsTaker,
        into builder: inout SegmentBuilder
    ) {
        // A folded term comes right before its variants in term order (IndexFormat.md, "Terms"):
        // its postings are the union of theirs, so the variants are decoded first, then written
        // after it.
        var variants: [Variant] = []
        var foldedDocs: [UInt32] = []
        var foldedFreqs: [UInt32] = []
        var index = order.startIndex
        while index < order.endIndex {
            let term = order[index]
            index += 1
            guard foldedTerm[term] == term else {
                // A variant not right after its folded term: impossible (variants sort right
                // after it, and the loop below takes them), written alone all the same.
                var variant = Variant()
                variant.decode(taker, term)
                builder.addTerm(
                    Array(terms.term(term)), docs: variant.docs[...], freqs: variant.freqs[...],
                    positions: variant.positions[...])
                continue
            }
            var count = 0
            while index + count < order.endIndex && foldedTerm[order[index + count]] == term
                && order[index + count] != term
            {
                if variants.count == count { variants.append(Variant()) }
                variants[count].decode(taker, order[index + count])
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
    }
}

/// A variant term's postings, decoded for the builder (scratch reused from term to term).
private struct Variant {
    var docs: [UInt32] = []
    var freqs: [UInt32] = []
    var positions: [UInt32] = []

    mutating func decode(_ taker: SegmentWriter.PostingsTaker, _ term: Int) {
        docs.removeAll(keepingCapacity: true)
        freqs.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
        taker.take(of: term, docs: &docs, freqs: &freqs, positions: &positions)
    }
}
