import Testing
import TraTestSupport

@testable import TraIndex

/// The pair counter logs pairs and compacts the log into sorted distinct keys; whatever the
/// compactions, it counts like a dictionary.
@Suite("PairCounter")
struct PairCounterTests {
    @Test func countsLikeADictionaryAcrossCompactions() {
        var counter = PairCounter(minimumLogLength: 1000)
        var expected: [UInt64: UInt32] = [:]
        var random = SeededRandom(seed: 7)
        // Enough pairs for several compactions, with repeats and ids above 2^24.
        for index in 0..<(counter.minimumLogLength * 30 + 1234) {
            let left = UInt32(random.next(below: 300)) << (index % 3 == 0 ? 20 : 0)
            let right = UInt32(random.next(below: 200))
            counter.add(left, right)
            expected[UInt64(left) << 32 | UInt64(right), default: 0] += 1
        }
        #expect(counter.count == expected.count)
        var seen: [UInt64: UInt32] = [:]
        var previous: UInt64? = nil
        counter.forEach { left, right, count in
            let key = UInt64(left) << 32 | UInt64(right)
            #expect(previous.map { $0 < key } ?? true)
            previous = key
            seen[key] = count
        }
        #expect(seen == expected)
    }

    @Test func radixSortSortsAnyKeys() {
        var random = SeededRandom(seed: 11)
        let values = (0..<5000).map { _ in random.next() >> UInt64(random.next(below: 64)) }
        #expect(PairCounter.radixSorted(values) == values.sorted())
        #expect(PairCounter.radixSorted([]) == [])
        #expect(PairCounter.radixSorted([3, 3, 3]) == [3, 3, 3])
        // Keyed entries: sorted by key, equal keys in input order (stable), as a comparison sort.
        var generator = SeededGenerator(seed: 11)
        let entries = (0..<5_000).map { i in
            (key: UInt64.random(in: 0..<300, using: &generator) << 28 | UInt64(i % 3), count: UInt64(i))
        }
        let expected = entries.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }
            .map(\.element)
        let sorted = PairCountsSerializer.sortedByKey(entries)
        #expect(sorted.map(\.key) == expected.map(\.key))
        #expect(sorted.map(\.count) == expected.map(\.count))
    }
}
