/// Counts pairs of consecutive tokens while a segment is built.
///
/// Adding a pair appends the two variant term ids (`left << 32 | right`) to a log, a sequential
/// write: a hash table of the pairs of a segment is tens of megabytes, and probing it cost a cache
/// miss per token on the thread that adds documents. When the log grows as long as the pairs
/// already counted (and at least ``minimumLogLength``), the owner compacts it
/// (``compact(key:)``): the log is sorted (LSD radix sort: McIlroy, Bostic and McIlroy,
/// "Engineering Radix Sort", 1993), each distinct pair of term ids becomes its ``PairKey`` (the
/// same key for a pair of the title and of the body), and the counts are merged into the sorted
/// array of distinct keys. Adding a pair costs amortized O(1); memory stays within 8 bytes per
/// distinct key and 8 per logged pair, and the keyed counts are what the PAIRS section stores.
package struct PairCounter {
    /// The log is compacted when it holds this many pairs, or as many as ``keys`` if more.
    package let minimumLogLength: Int

    /// Distinct pair keys, ascending, and their counts.
    private var keys: [UInt32] = []
    private var counts: [UInt32] = []
    /// Pairs of term ids added since the last compaction, in the order added.
    private var log: [UInt64] = []

    package init(minimumLogLength: Int = 1 << 20) {
        self.minimumLogLength = minimumLogLength
    }

    /// Whether the log should be compacted now.
    @inline(__always)
    package var isLogFull: Bool { log.count >= minimumLogLength && log.count >= keys.count }

    /// Bytes held (for the indexing RAM budget): 8 per distinct key (key and count) and 8 per
    /// logged pair, and as much again for what a compaction allocates for a moment (the sorted
    /// copy of the log, the keyed pairs, the merged arrays).
    package var memoryFootprint: Int { keys.capacity * 16 + log.capacity * 16 }

    /// Counts one occurrence of the pair of variant terms (`left`, `right`).
    @inline(__always)
    package mutating func add(_ left: UInt32, _ right: UInt32) {
        log.append(UInt64(left) << 32 | UInt64(right))
    }

    /// The counts by ascending key, after a compaction of the log (see ``compact(key:)``): a view
    /// of the counter's arrays, not a copy.
    package var entries: LazyMapCollection<Range<Int>, (key: UInt64, count: UInt64)> {
        precondition(log.isEmpty, "compact the pair counter before reading it")
        let keys = keys
        let counts = counts
        return (0..<keys.count).lazy.map { (UInt64(keys[$0]), UInt64(counts[$0])) }
    }

    /// The number of distinct keys counted (after a compaction).
    package var count: Int { keys.count }

    /// Sorts the log and merges its pairs into the counted keys, `key(left, right)` giving the
    /// ``PairKey`` of a pair of term ids (nil: not counted).
    ///
    /// - Complexity: O(distinct keys + log length), and one call of `key` per distinct pair of the log.
    package mutating func compact(key: (_ left: UInt32, _ right: UInt32) -> UInt64?) {
        guard !log.isEmpty else { return }
        // Distinct pairs of term ids with their counts, then keyed: `key << 32 | count`.
        var keyed: [UInt64] = []
        do {
            let sorted = Self.radixSorted(log)
            log = []
            var index = 0
            while index < sorted.count {
                let pair = sorted[index]
                var run = 0
                while index < sorted.count && sorted[index] == pair {
                    run += 1
                    index += 1
                }
                guard let pairKey = key(UInt32(truncatingIfNeeded: pair >> 32), UInt32(truncatingIfNeeded: pair)),
                    pairKey < 1 << 32
                else { continue }
                keyed.append(pairKey << 32 | UInt64(min(run, Int(UInt32.max))))
            }
        }
        keyed = RadixSort.sorted(keyed, filler: 0) { $0 >> 32 }
        var mergedKeys: [UInt32] = []
        var mergedCounts: [UInt32] = []
        mergedKeys.reserveCapacity(keys.count + keyed.count)
        mergedCounts.reserveCapacity(keys.count + keyed.count)
        var old = 0
        var new = 0
        while new < keyed.count {
            let key = UInt32(truncatingIfNeeded: keyed[new] >> 32)
            while old < keys.count && keys[old] < key {
                mergedKeys.append(keys[old])
                mergedCounts.append(counts[old])
                old += 1
            }
            var count: UInt32 = 0
            if old < keys.count && keys[old] == key {
                count = counts[old]
                old += 1
            }
            while new < keyed.count && UInt32(truncatingIfNeeded: keyed[new] >> 32) == key {
                count &+= UInt32(truncatingIfNeeded: keyed[new])
                new += 1
            }
            mergedKeys.append(key)
            mergedCounts.append(count)
        }
        mergedKeys.append(contentsOf: keys[old...])
        mergedCounts.append(contentsOf: counts[old...])
        keys = mergedKeys
        counts = mergedCounts
    }

    /// `values` sorted ascending (``RadixSort``).
    static func radixSorted(_ values: [UInt64]) -> [UInt64] {
        RadixSort.sorted(values, filler: 0) { $0 }
    }
}
