/// Counts pairs of consecutive tokens while a segment is built.
///
/// Adding a field appends its pairs' ``PairKey``s, made where the field was analyzed
/// (``AnalyzedField/pairKeys``, on an analysis thread), to a log: a sequential write, where a hash
/// table of the pairs of a segment is tens of megabytes and probing it cost a cache miss per token
/// on the thread that adds documents. When the log grows as long as the keys already counted (and
/// at least ``minimumLogLength``), the owner compacts it (``compact()``): the log is sorted (radix
/// sort: McIlroy, Bostic and McIlroy, "Engineering Radix Sort", 1993; one pass on the top byte,
/// then LSD passes within each of its 256 partitions, in the cache: ``RadixSort/sorted(_:)``), and
/// the runs of equal keys are merged as counts into the sorted array of distinct keys. Adding a pair costs amortized
/// O(1); memory stays within 8 bytes per distinct key and 4 per logged pair, and the keyed counts
/// are what the PAIRS section stores.
package struct PairCounter {
    /// The log is compacted when it holds this many pairs, or as many as ``keys`` if more.
    package let minimumLogLength: Int

    /// Distinct pair keys, ascending, and their counts.
    private var keys: [UInt32] = []
    private var counts: [UInt32] = []
    /// Keys of the pairs added since the last compaction, in the order added.
    private var log: [UInt32] = []
    /// The room of ``keys`` and ``counts``: what the last compaction allocated.
    private var keysRoom = 0
    /// The longest the log has been.
    private var longestLog = 0
    /// A compaction handed to another thread by ``compactInBackground()``: the keys and counts it
    /// merges, which take the place of ``keys`` and ``counts`` when it is settled.
    private var pending: BackgroundWork<Merged>? = nil

    private struct Merged: Sendable {
        var keys: [UInt32]
        var counts: [UInt32]
    }

    package init(minimumLogLength: Int = 1 << 20) {
        self.minimumLogLength = minimumLogLength
    }

    /// Whether the log should be compacted now. While a compaction runs in the background,
    /// ``keys`` are those before it, at most as many as after it: a true answer is checked again
    /// once it is settled (``compactInBackground()``), so that compactions start at the same logged
    /// pairs as they would one after the other on the adding thread.
    @inline(__always)
    package var isLogFull: Bool { log.count >= minimumLogLength && log.count >= keys.count }

    /// Bytes held (for the indexing RAM budget): 8 per distinct key (key and count) and 4 per
    /// logged pair, and for what a compaction allocates for a moment as much again per key (the
    /// merged arrays) and up to twice as much per logged pair (the sorted copy, and the scratch of
    /// its largest partition: a 256th of it for hashed keys, all of it at worst). The log that
    /// fills while a compaction runs in the background is left out: while the compaction's copies
    /// are held (tens of milliseconds), it takes a small part of the pairs a full log holds.
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
        return (0..<keys.count).lazy.map { (UInt64(keys[$0]), UInt64(counts[$0])) }
    }

    /// Calls `body` with the distinct keys, ascending, and their counts, after a compaction of
    /// the log (see ``compact()``).
    package func withKeysAndCounts<Result>(
        _ body: (UnsafeBufferPointer<UInt32>, UnsafeBufferPointer<UInt32>) throws -> Result
    ) rethrows -> Result {
        precondition(log.isEmpty && pending == nil, "compact the pair counter before reading it")
        return try keys.withUnsafeBufferPointer { keys in
            try counts.withUnsafeBufferPointer { counts in try body(keys, counts) }
        }
    }

    /// The number of distinct keys counted (after a compaction).
    package var count: Int { keys.count }

    /// Sorts the log and merges its runs of equal keys into the counted keys, on this thread
    /// (after the compaction running in the background, if any).
    ///
    /// - Complexity: O(distinct keys + log length).
    package mutating func compact() {
        settle()
        guard !log.isEmpty else { return }
        keysRoom = keys.count + log.count
        let merged = Self.merged(keys, counts, log)
        log.removeAll(keepingCapacity: true)
        keys = merged.keys
        counts = merged.counts
    }

    /// When the log is full (``isLogFull``, checked again after the compaction running in the
    /// background, if any, is settled), hands it to another thread to be sorted and merged into
    /// the counted keys, and starts a new log: the thread that adds documents goes on adding
    /// while the pairs are sorted (a compaction of viwiki's pairs takes tens of milliseconds).
    package mutating func compactInBackground() {
        settle()
        guard isLogFull else { return }
        keysRoom = keys.count + log.count
        let handed = log
        let keys = keys
        let counts = counts
        pending = BackgroundWork { Self.merged(keys, counts, handed) }
        log = []
        log.reserveCapacity(longestLog)
    }

    /// Takes the result of the compaction running in the background, waiting for it if need be.
    private mutating func settle() {
        guard let work = pending else { return }
        let merged = work.wait()
        keys = merged.keys
        counts = merged.counts
        pending = nil
    }

    /// `keys` and `counts` with the pairs of `log` counted in.
    private static func merged(_ keys: [UInt32], _ counts: [UInt32], _ log: [UInt32]) -> Merged {
        let sorted = RadixSort.sorted(log)
        // Merged through raw buffers: appending to arrays checked capacity and uniqueness per key.
        let capacity = keys.count + sorted.count
        // Uninitialized: zeroing the capacity (runs of equal keys leave much of it unused) would
        // touch pages the merge does not need.
        var mergedCounts: [UInt32] = []
        let mergedKeys = [UInt32](unsafeUninitializedCapacity: capacity) { outKeys, keyCount in
            mergedCounts = [UInt32](unsafeUninitializedCapacity: capacity) { outCounts, countCount in
                countCount = merge(keys, counts, sorted, into: outKeys, outCounts)
            }
            keyCount = mergedCounts.count
        }
        return Merged(keys: mergedKeys, counts: mergedCounts)
    }

    /// Merges the distinct ascending `keys` and their `counts` with the ascending log keys
    /// `sorted`, counting each run of equal log keys, into `outKeys` and `outCounts`; returns the
    /// number of merged keys.
    private static func merge(
        _ keys: [UInt32], _ counts: [UInt32], _ sorted: [UInt32],
        into outKeys: UnsafeMutableBufferPointer<UInt32>, _ outCounts: UnsafeMutableBufferPointer<UInt32>
    ) -> Int {
        keys.withUnsafeBufferPointer { keys in
            counts.withUnsafeBufferPointer { counts in
                sorted.withUnsafeBufferPointer { sorted in
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
        }
    }
}
