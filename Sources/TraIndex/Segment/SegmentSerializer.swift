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

    /// The documents of several variants' postings merged, frequencies of a document added: the
    /// first two variants merged, then each next one into the result. (A merge that looked at
    /// every variant for every document, through bounds-checked arrays, took 2 % of the
    /// instructions of `tra index` of Corpus/.)
    private static func union(_ variants: ArraySlice<Variant>, docs: inout [UInt32], freqs: inout [UInt32]) {
        docs.removeAll(keepingCapacity: true)
        freqs.removeAll(keepingCapacity: true)
        guard let first = variants.first else { return }
        docs.append(contentsOf: first.docs)
        freqs.append(contentsOf: first.freqs)
        var mergedDocs: [UInt32] = []
        var mergedFreqs: [UInt32] = []
        for variant in variants.dropFirst() {
            merge(docs, freqs, variant.docs, variant.freqs, into: &mergedDocs, &mergedFreqs)
            swap(&docs, &mergedDocs)
            swap(&freqs, &mergedFreqs)
        }
    }

    /// The union of two ascending lists of documents with their frequencies, a document in both
    /// getting the sum.
    private static func merge(
        _ aDocs: [UInt32], _ aFreqs: [UInt32], _ bDocs: [UInt32], _ bFreqs: [UInt32],
        into docs: inout [UInt32], _ freqs: inout [UInt32]
    ) {
        docs.removeAll(keepingCapacity: true)
        freqs.removeAll(keepingCapacity: true)
        docs.reserveCapacity(aDocs.count + bDocs.count)
        freqs.reserveCapacity(aDocs.count + bDocs.count)
        var i = 0
        var j = 0
        while i < aDocs.count && j < bDocs.count {
            let a = aDocs[i]
            let b = bDocs[j]
            if a < b {
                docs.append(a)
                freqs.append(aFreqs[i])
                i += 1
            } else if b < a {
                docs.append(b)
                freqs.append(bFreqs[j])
                j += 1
            } else {
                docs.append(a)
                freqs.append(aFreqs[i] + bFreqs[j])
                i += 1
                j += 1
            }
        }
        docs.append(contentsOf: aDocs[i...])
        freqs.append(contentsOf: aFreqs[i...])
        docs.append(contentsOf: bDocs[j...])
        freqs.append(contentsOf: bFreqs[j...])
    }

    /// Serializes the segment: the pieces of its file, to write in order. The segment's encoded
    /// postings are freed as they are written (so the flush needs little more memory than the
    /// buffer it writes). The STORED section (its full blocks were compressed as documents came;
    /// the last block is compressed then), the PAIRS section and the IDS section (a sort of the
    /// ids) are made on a second thread meanwhile. When the encoded postings pass `splitAbove`
    /// bytes, the terms are written in ``partCount`` parts of about equal postings, which both
    /// cores take one after the other while the builder takes them in order on this thread (the
    /// file is the same byte for byte): the last flush of an indexing run has both cores to
    /// itself, and neither waits long for the other at the end.
    ///
    /// - Complexity: O(tokens + terms), and a comparison sort of the terms that share their first
    ///   8 bytes.
    package static func serialize(
        _ segment: inout SegmentWriter, id: UInt64, analyzer: AnalyzerInfo, splitAbove: Int = 4 << 20
    ) -> [[UInt8]] {
        let storedParts = segment.storedParts
        let pairSource = segment.pairSource
        let ids = segment.ids
        let deleted = segment.deleted
        let sections = BackgroundWork {
            (
                stored: StoredFieldsSerializer.section(storedParts),
                pairs: PairCountsSerializer.serialize(pairSource),
                ids: SegmentBuilder.idsSection(ids, deleted: deleted)
            )
        }
        let terms = segment.terms
        let order = sortedOrder(terms)
        let foldedTerm = segment.foldedTerm
        let norms = segment.norms
        var builder = SegmentBuilder(norms: norms)
        segment.withPostingsTaker { taker in
            let cuts = Self.cuts(order, foldedTerm: foldedTerm, taker: taker, above: splitAbove)
            guard cuts.count > 2 else {
                addTerms(order[...], terms: terms, foldedTerm: foldedTerm, taker: taker, into: &builder)
                return
            }
            // Both cores take the parts one after the other; this thread also hands the builder
            // each part, in term order, as soon as it and the ones before it are built, so that
            // the builder's work on them overlaps the other core's building.
            let parts = PartSlots(count: cuts.count - 1)
            let build: @Sendable (Int) -> SegmentBuilder = { p in
                var part = SegmentBuilder.part(norms: norms)
                addTerms(order[cuts[p]..<cuts[p + 1]], terms: terms, foldedTerm: foldedTerm, taker: taker, into: &part)
                return part
            }
            let other = BackgroundWork {
                while let p = parts.claim() { parts.put(build(p), at: p) }
                return true
            }
            var appended = 0
            while let p = parts.claim() {
                parts.put(build(p), at: p)
                while appended < parts.count, let part = parts.takeIfBuilt(appended) {
                    builder.append(part)
                    appended += 1
                }
            }
            _ = other.wait()
            for p in appended..<parts.count { builder.append(parts.take(p)) }
        }
        let (stored, pairs, idsSection) = sections.wait()
        return builder.finish(
            id: id, analyzer: analyzer, stored: stored, ids: ids, deleted: deleted, idsSection: idsSection,
            skippedKeys: segment.skippedKeys, pairs: pairs)
    }

    /// The parts the terms are written in when their encoded postings pass `above` bytes.
    static let partCount = 16

    /// The ids of the terms of `terms` in ascending byte order.
    ///
    /// A radix sort on each term's first 8 bytes (zero-padded), then a comparison sort of each run
    /// of terms that share them: the runs are the few variants of a long folded key, where a
    /// comparison sort of the whole table cost a memcmp per comparison, 19 comparisons per term.
    ///
    /// - Complexity: O(terms) plus the comparison sorts of the runs.
    private static func sortedOrder(_ terms: TermTable) -> [Int] {
        let starts = terms.starts
        return terms.arena.withUnsafeBytes { arena -> [Int] in
            func prefix(_ id: Int) -> UInt64 {
                let start = starts[id]
                let length = min(8, starts[id + 1] - start)
                var key: UInt64 = 0
                for i in 0..<length { key |= UInt64(arena[start + i]) << UInt64(56 - 8 * i) }
                return key
            }
            func bytes(_ id: Int) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(rebasing: arena[starts[id]..<starts[id + 1]])
            }
            // 32-bit ids sorted by their prefixes, rather than (prefix, id) pairs of 16 bytes: less
            // memory at the segment's last flush, the peak of a run.
            let prefixes = (0..<terms.count).map(prefix)
            var sorted = RadixSort.sorted((0..<UInt32(terms.count)).map { $0 }, filler: 0) { prefixes[Int($0)] }
            var start = 0
            while start < sorted.count {
                let shared = prefixes[Int(sorted[start])]
                var end = start + 1
                while end < sorted.count && prefixes[Int(sorted[end])] == shared { end += 1 }
                if end - start > 1 {
                    sorted[start..<end].sort { TermDictionaryReader.compare(bytes(Int($0)), bytes(Int($1))) < 0 }
                }
                start = end
            }
            return sorted.map { Int($0) }
        }
    }

    /// Where the terms in `order` are cut into ``partCount`` parts of about equal encoded
    /// postings, each starting at a folded term's group (a folded term and its variants are
    /// written together): the starts of the parts, then `order.count`. `[0, order.count]`, one
    /// part, for postings of `above` bytes or less.
    private static func cuts(
        _ order: [Int], foldedTerm: [UInt32], taker: SegmentWriter.PostingsTaker, above: Int
    ) -> [Int] {
        var total = 0
        for term in order { total += taker.encodedSize(of: term) }
        guard total > above else { return [0, order.count] }
        var cuts = [0]
        var sum = 0
        for (i, term) in order.enumerated() {
            if sum >= total / partCount * cuts.count && i > 0 && foldedTerm[term] == term && cuts.count < partCount {
                cuts.append(i)
            }
            sum += taker.encodedSize(of: term)
        }
        cuts.append(order.count)
        return cuts
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
                    terms.term(term), docs: variant.docs[...], freqs: variant.freqs[...],
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
            // The builder is told which case the group is, instead of holding its terms back until
            // the next one shows it (copies of their slices, a retain and a release each).
            if count == 1 {
                builder.addGroup(
                    folded: terms.term(term), variant: terms.term(order[index]), docs: variants[0].docs[...],
                    freqs: variants[0].freqs[...], positions: variants[0].positions[...])
            } else if count > 1 {
                Self.union(variants[0..<count], docs: &foldedDocs, freqs: &foldedFreqs)
                builder.addUnsharedTerm(
                    terms.term(term), docs: foldedDocs[...], freqs: foldedFreqs[...], positions: nil)
                for k in 0..<count {
                    builder.addUnsharedTerm(
                        terms.term(order[index + k]), docs: variants[k].docs[...], freqs: variants[k].freqs[...],
                        positions: variants[k].positions[...])
                }
            }
            index += count
        }
    }
}

/// The parts of a segment's terms, for the threads that build them: which part is next, and a
/// slot per part, written by the thread that built it (through its own address) and taken by the
/// one that hands it to the builder once its semaphore says it is there.
private final class PartSlots: @unchecked Sendable {
    let count: Int
    private let slots: UnsafeMutableBufferPointer<SegmentBuilder?>
    private let built: [DispatchSemaphore]
    private let claims = DispatchQueue(label: "tra.serializer.parts")
    private var next = 0

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
        built = (0..<count).map { _ in DispatchSemaphore(value: 0) }
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    /// The next part to build, nil when every part is taken.
    func claim() -> Int? {
        claims.sync {
            guard next < count else { return nil }
            next += 1
            return next - 1
        }
    }

    func put(_ part: consuming SegmentBuilder, at index: Int) {
        slots[index] = part
        built[index].signal()
    }

    /// Part `index` once built (waits for it).
    func take(_ index: Int) -> SegmentBuilder {
        built[index].wait()
        guard let part = slots[index].take() else { preconditionFailure("a part was taken twice") }
        return part
    }

    /// Part `index` if it is built, nil (at once) if not yet.
    func takeIfBuilt(_ index: Int) -> SegmentBuilder? {
        guard built[index].wait(timeout: .now()) == .success else { return nil }
        guard let part = slots[index].take() else { preconditionFailure("a part was taken twice") }
        return part
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
