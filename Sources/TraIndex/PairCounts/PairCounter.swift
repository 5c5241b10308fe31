/// Counts pairs of consecutive tokens while a segment is built.
///
/// Adding a field appends its pairs' ``PairKey``s, made where the field was analyzed
/// (``AnalyzedField/pairKeys``, on an analysis thread), to a log: a sequential write, where a hash
/// table of the pairs of a segment is tens of megabytes and probing it cost a cache miss per token
/// on the thread that adds documents. When the log grows as long as the keys already counted (and
/// at least ``minimumLogLength``), the owner compacts it (``compact()``): the log is sorted (radix
/// sort: McIlroy, Bostic and McIlroy, "Engineering Radix Sort", 1993; one pass on the top byte,
/// then LSD passes within each of its 256 partitions, in the cache: ``RadixSort/sort(_:into:)``),
/// and the runs of equal keys are merged as counts into the sorted array of distinct keys, in
/// storage kept from one compaction to the next. Adding a pair costs amortized O(1); memory stays
/// within 16 bytes per distinct key and 12 per logged pair (``memoryFootprint``), and the keyed
/// counts are what the TOKEN PAIRS section stores.
package struct PairCounter {
    /// The log is compacted when it holds this many pairs, or as many as ``keys`` if more.
    package let minimumLogLength: Int

    /// Distinct pair keys, ascending, and their counts: the first ``keyCount`` elements of each
    /// (the arrays are as long as they were allocated; see ``Spare``).
    private var keys: [UInt32] = []
    private var counts: [UInt32] = []
    private var keyCount = 0
    /// Keys of the pairs added since the last compaction, in the order added.
    private var log: [UInt32] = []
    /// The room of ``keys`` and ``counts``: what the last compaction needed.
    private var keysRoom = 0
    /// The longest the log has been.
    private var longestLog = 0
    /// A compaction handed to another thread by ``compactInBackground()``: the keys and counts it
    /// merges, which take the place of ``keys`` and ``counts`` when it is settled.
    private var pending: BackgroundWork<Merged>? = nil
    /// Storage kept from one compaction to the next and written into instead of fresh memory: the
    /// arrays of a compaction of viwiki's pairs are megabytes, which the allocator maps anew and
    /// gives back to the system when they are freed, so that every page a compaction wrote was a
    /// page fault (28 % of those of `tra index`). The keys and counts the last merge replaced,
    /// the log it read (the next log) and its sorted copy. ``droppingSpares()`` lets them go.
    private var spare = Spare()

    private struct Spare: Sendable {
        var keys: [UInt32] = []
        var counts: [UInt32] = []
        var log: [UInt32] = []
        var sorted: [UInt32] = []
    }

    private struct Merged: Sendable {
        var keys: [UInt32]
        var counts: [UInt32]
        var keyCount: Int
        /// The storage of the merge's log and sorted copy, for the next one.
        var log: [UInt32]
        var sorted: [UInt32]
    }

    /// What a merge on another thread takes, handed over through an object that it empties: the
    /// closure then holds no reference to the arrays once the merge is done, and they are
    /// uniquely referenced, written in place, when the next merge reuses them.
    private final class Handoff: @unchecked Sendable {
        private var input: (keys: [UInt32], counts: [UInt32], keyCount: Int, log: [UInt32], spare: Spare)?

        init(keys: [UInt32], counts: [UInt32], keyCount: Int, log: [UInt32], spare: Spare) {
            input = (keys, counts, keyCount, log, spare)
        }

        func merge() -> Merged {
            guard var input else { preconditionFailure("a handoff merged twice") }
            self.input = nil
            return PairCounter.merged(input.keys, input.counts, input.keyCount, input.log, into: &input.spare)
        }
    }

    package init(minimumLogLength: Int = 1 << 20) {
        self.minimumLogLength = minimumLogLength
    }

    /// Whether the log should be compacted now. While a compaction runs in the background,
    /// ``keys`` are those before it, at most as many as after it: a true answer is checked again
    /// once it is settled (``compactInBackground()``), so that compactions start at the same logged
    /// pairs as they would one after the other on the adding thread.
    @inline(__always)
    package var isLogFull: Bool { log.count >= minimumLogLength && log.count >= keyCount }

    /// Bytes held (for the indexing RAM budget): 8 per distinct key (key and count) and 4 per
    /// logged pair, as much again per key for the arrays a compaction merges into (the spare ones,
    /// ``spare``, whose written pages stay resident) and up to twice as much per logged pair (the
    /// previous log and the sorted copy, also kept; the scratch of the sort's largest partition,
    /// a 256th of the log for hashed keys, for a moment). The log that fills while a compaction
    /// runs in the background is left out: it takes a small part of the pairs a full log holds.
    /// Counted by the lengths the arrays were allocated or grown for (``ArrayRoom``), not by their
    /// capacities, so that it is the same from run to run.
    package var memoryFootprint: Int { keysRoom * 16 + ArrayRoom.of(longestLog) * 12 }

    /// Counts one occurrence of each pair key of `keys`.
    @inline(__always)
    package mutating func add(_ keys: [UInt32]) {
        log.append(contentsOf: keys)
        longestLog = max(longestLog, log.count)
    }

    /// The counts by ascending key, after a compaction of the log (see ``compact()``): a view of
    /// the counter's arrays, not a copy.
    package var entries: LazyMapCollection<Range<Int>, (key: UInt64, count: UInt64)> {
        precondition(log.isEmpty && pending == nil, "compact the pair counter before reading it")
        let keys = keys
        let counts = counts
        return (0..<keyCount).lazy.map { (UInt64(keys[$0]), UInt64(counts[$0])) }
    }

    /// Calls `body` with the distinct keys, ascending, and their counts, after a compaction of
    /// the log (see ``compact()``).
    package func withKeysAndCounts<Result>(
        _ body: (UnsafeBufferPointer<UInt32>, UnsafeBufferPointer<UInt32>) throws -> Result
    ) rethrows -> Result {
        precondition(log.isEmpty && pending == nil, "compact the pair counter before reading it")
        let keyCount = keyCount
        return try keys.withUnsafeBufferPointer { keys in
            try counts.withUnsafeBufferPointer { counts in
                try body(
                    UnsafeBufferPointer(rebasing: keys[..<keyCount]), UnsafeBufferPointer(rebasing: counts[..<keyCount])
                )
            }
        }
    }

    /// The number of distinct keys counted (after a compaction).
    package var count: Int { keyCount }

    /// Sorts the log and merges its runs of equal keys into the counted keys, on this thread
    /// (after the compaction running in the background, if any).
    ///
    /// - Complexity: O(distinct keys + log length).
    package mutating func compact() {
        settle()
        guard !log.isEmpty else { return }
        keysRoom = keyCount + log.count
        let (keys, counts, handed) = (self.keys, self.counts, log)
        var spare = self.spare
        self.keys = []
        self.counts = []
        log = []
        self.spare = Spare()
        take(Self.merged(keys, counts, keyCount, handed, into: &spare), replacing: keys, counts)
        log = self.spare.log
        self.spare.log = []
        log.removeAll(keepingCapacity: true)
    }

    /// The counter without its spare storage (``spare``): what a segment hands to its
    /// serializer, which holds the counts to the end of the flush, the peak of a run.
    package func droppingSpares() -> PairCounter {
        var counter = self
        counter.settle()
        counter.spare = Spare()
        return counter
    }

    /// When the log is full (``isLogFull``, checked again after the compaction running in the
    /// background, if any, is settled), hands it to another thread to be sorted and merged into
    /// the counted keys, and starts a new log: the thread that adds documents goes on adding
    /// while the pairs are sorted (a compaction of viwiki's pairs takes tens of milliseconds).
    package mutating func compactInBackground() {
        settle()
        guard isLogFull else { return }
        keysRoom = keyCount + log.count
        // The log the last merge read is the new one.
        var next = spare.log
        spare.log = []
        let handoff = Handoff(keys: keys, counts: counts, keyCount: keyCount, log: log, spare: spare)
        log = []
        spare = Spare()
        pending = BackgroundWork { handoff.merge() }
        next.removeAll(keepingCapacity: true)
        next.reserveCapacity(longestLog)
        log = next
    }

    /// Takes the result of the compaction running in the background, waiting for it if need be.
    private mutating func settle() {
        guard let work = pending else { return }
        let merged = work.wait()
        pending = nil
        let (keys, counts) = (self.keys, self.counts)
        self.keys = []
        self.counts = []
        take(merged, replacing: keys, counts)
    }

    /// Makes the merge's keys and counts the counter's, and keeps the storage of those it replaced
    /// (`keys` and `counts`) and of its log and sorted copy for the next merge.
    private mutating func take(_ merged: Merged, replacing keys: [UInt32], _ counts: [UInt32]) {
        self.keys = merged.keys
        self.counts = merged.counts
        keyCount = merged.keyCount
        spare = Spare(keys: keys, counts: counts, log: merged.log, sorted: merged.sorted)
    }

    /// The first `keyCount` of `keys` and `counts` with the pairs of `log` counted in, written
    /// into the storage of `spare`, taken out of it (replaced by larger storage when it is too
    /// short). Out of `spare` so that each array is referenced once when it is written: a write
    /// to a shared one would copy it whole first.
    private static func merged(
        _ keys: [UInt32], _ counts: [UInt32], _ keyCount: Int, _ log: [UInt32], into spare: inout Spare
    ) -> Merged {
        var sorted = room(&spare.sorted, for: log.count)
        sorted.withUnsafeMutableBufferPointer {
            RadixSort.sort(log, into: UnsafeMutableBufferPointer(rebasing: $0[..<log.count]))
        }
        // Merged through raw buffers: appending to arrays checked capacity and uniqueness per key.
        let capacity = keyCount + log.count
        var mergedKeys = room(&spare.keys, for: capacity)
        var mergedCounts = room(&spare.counts, for: capacity)
        let merged = mergedKeys.withUnsafeMutableBufferPointer { outKeys in
            mergedCounts.withUnsafeMutableBufferPointer { outCounts in
                keys.withUnsafeBufferPointer { keys in
                    counts.withUnsafeBufferPointer { counts in
                        sorted.withUnsafeBufferPointer { sorted in
                            merge(
                                UnsafeBufferPointer(rebasing: keys[..<keyCount]),
                                UnsafeBufferPointer(rebasing: counts[..<keyCount]),
                                UnsafeBufferPointer(rebasing: sorted[..<log.count]), into: outKeys, outCounts)
                        }
                    }
                }
            }
        }
        return Merged(keys: mergedKeys, counts: mergedCounts, keyCount: merged, log: log, sorted: sorted)
    }

    /// `array`, taken out of its place (left empty), when it holds at least `count` elements;
    /// else a new array of twice `count` (keys grow from merge to merge), its elements not
    /// written: values of a trivial type that every use writes before it reads them. Only the
    /// pages a merge writes become resident (runs of equal keys leave much of a merge's room
    /// unused): zeroing the room would touch pages no merge needs.
    private static func room(_ array: inout [UInt32], for count: Int) -> [UInt32] {
        var taken: [UInt32] = []
        swap(&taken, &array)
        guard taken.count < count else { return taken }
        let length = 2 * count
        return [UInt32](unsafeUninitializedCapacity: length) { _, initialized in initialized = length }
    }

    /// Merges the distinct ascending `keys` and their `counts` with the ascending log keys
    /// `sorted`, counting each run of equal log keys, into `outKeys` and `outCounts`; returns the
    /// number of merged keys.
    private static func merge(
        _ keys: UnsafeBufferPointer<UInt32>, _ counts: UnsafeBufferPointer<UInt32>,
        _ sorted: UnsafeBufferPointer<UInt32>,
        into outKeys: UnsafeMutableBufferPointer<UInt32>, _ outCounts: UnsafeMutableBufferPointer<UInt32>
    ) -> Int {
        var merged = 0
        var old = 0
        var new = 0
        while new < sorted.count {
            let key = sorted[new]
            while old < keys.count && keys[old] < key {
                outKeys[merged] = keys[old]
                outCounts[merged] = counts[old]
                merged += 1
                old += 1
            }
            var count: UInt32 = 0
            if old < keys.count && keys[old] == key {
                count = counts[old]
                old += 1
            }
            while new < sorted.count && sorted[new] == key {
                count &+= 1
                new += 1
            }
            outKeys[merged] = key
            outCounts[merged] = count
            merged += 1
        }
        while old < keys.count {
            outKeys[merged] = keys[old]
            outCounts[merged] = counts[old]
            merged += 1
            old += 1
        }
        return merged
    }
}
