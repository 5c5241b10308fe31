import Testing
import TraTestSupport

@testable import TraIndex

/// The pair counter logs pairs and compacts the log into sorted distinct keys; whatever the
/// compactions, it counts like a dictionary.
@Suite("PairCounter")
struct PairCounterTests {
    @Test func countsLikeADictionaryAcrossCompactions() {
        var counter = PairCounter(minimumLogLength: 1000)
        // A key of 32 bits that makes some distinct pairs share a key, as hashes may; one pair
        // kind is not counted (nil).
        func key(_ left: UInt32, _ right: UInt32) -> UInt64? {
            left == 7 && right == 7 ? nil : UInt64((left &* 2_654_435_761) ^ (right % 150))
        }
        var expected: [UInt64: UInt64] = [:]
        var random = SeededRandom(seed: 7)
        // Enough pairs for several compactions, with repeats and ids above 2^24.
        var compactions = 0
        for index in 0..<(counter.minimumLogLength * 30 + 1234) {
            let left = UInt32(random.next(below: 300)) << (index % 3 == 0 ? 20 : 0)
            let right = UInt32(random.next(below: 200))
            counter.add(left, right)
            if let key = key(left, right) { expected[key, default: 0] += 1 }
            if counter.isLogFull {
                counter.compact(key: key)
                compactions += 1
            }
        }
        counter.compact(key: key)
        #expect(compactions > 5)
        #expect(counter.count == expected.count)
        let entries = counter.entries
        #expect(zip(entries, entries.dropFirst()).allSatisfy { $0.key < $1.key })
        #expect(Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.count) }) == expected)
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
