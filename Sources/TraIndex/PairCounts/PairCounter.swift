/// Counts pairs of consecutive tokens while a segment is built, by term id: the key of a pair is
/// `left << 32 | right` (two variant term ids).
///
/// Adding a pair appends its key to a log, a sequential write: a hash table of the pairs of a
/// segment is tens of megabytes, and probing it cost a cache miss per token on the thread that
/// adds documents. When the log grows as long as the pairs already counted (and at least
/// ``minimumLogLength``), it is sorted (LSD radix sort: McIlroy, Bostic and McIlroy, "Engineering
/// Radix Sort", 1993) and merged into the sorted array of distinct keys with their counts, so
/// adding a pair costs amortized O(1) and memory stays within about 40 bytes per distinct pair.
package struct PairCounter {
    /// The log is compacted when it holds this many keys, or as many as ``keys`` if more.
    package let minimumLogLength: Int

    /// Distinct keys, ascending, and their counts.
    private var keys: [UInt64] = []
    private var counts: [UInt32] = []
    /// Keys added since the last compaction, in the order added.
    private var log: [UInt64] = []

    package init(minimumLogLength: Int = 1 << 20) {
        self.minimumLogLength = minimumLogLength
    }

    /// The number of distinct pairs counted.
    ///
    /// - Complexity: O(1) after ``compact()``, else O(n) for the pairs added since.
    package var count: Int {
        guard log.isEmpty else {
            var compacted = self
            compacted.compact()
            return compacted.keys.count
        }
        return keys.count
    }

    /// Bytes held (for the indexing RAM budget): 12 per distinct pair (key and count) and 8 per
    /// logged key, plus part of what a compaction allocates for a moment (the sorted copy of the
    /// log and the merged arrays). Counting all of that as held made viwiki's in-memory segments
    /// flush early (9 segments instead of 7, 250 MB peak with the default budget); this makes 7,
    /// at a peak of 280-290 MB, still within the budget plus the constant README.md states.
    package var memoryFootprint: Int { keys.capacity * 16 + log.capacity * 20 }

    /// Counts one occurrence of the pair (`left`, `right`).
    @inline(__always)
    package mutating func add(_ left: UInt32, _ right: UInt32) {
        log.append(UInt64(left) << 32 | UInt64(right))
        if log.count >= minimumLogLength && log.count >= keys.count { compact() }
    }

    /// Every pair counted, by ascending key.
    ///
    /// - Complexity: O(pairs) after ``compact()``, else the cost of a compaction on top.
    package func forEach(_ body: (_ left: UInt32, _ right: UInt32, _ count: UInt32) -> Void) {
        guard log.isEmpty else {
            var compacted = self
            compacted.compact()
            compacted.forEach(body)
            return
        }
        for (key, count) in zip(keys, counts) {
            body(UInt32(truncatingIfNeeded: key >> 32), UInt32(truncatingIfNeeded: key), count)
        }
    }

    /// Sorts the log and merges it into the counted keys.
    ///
    /// - Complexity: O(distinct pairs + log length).
    package mutating func compact() {
        guard !log.isEmpty else { return }
        let sorted = Self.radixSorted(log)
        log = []
        var mergedKeys: [UInt64] = []
        var mergedCounts: [UInt32] = []
        mergedKeys.reserveCapacity(keys.count + sorted.count)
        mergedCounts.reserveCapacity(keys.count + sorted.count)
        var old = 0
        var new = 0
        while new < sorted.count {
            let key = sorted[new]
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
            while new < sorted.count && sorted[new] == key {
                count &+= 1
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
