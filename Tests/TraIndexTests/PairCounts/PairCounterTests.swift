import Testing
import TraTestSupport

@testable import TraIndex

/// The pair counter logs pair keys and compacts the log into sorted distinct keys; whatever the
/// compactions, it counts like a dictionary.
@Suite("PairCounter")
struct PairCounterTests {
    @Test func countsLikeADictionaryAcrossCompactions() {
        var counter = PairCounter(minimumLogLength: 1000)
        var expected: [UInt64: UInt64] = [:]
        var random = SeededRandom(seed: 7)
        // Enough pairs for several compactions, added a field at a time, with repeats and keys
        // over the whole 32 bits.
        var compactions = 0
        var added = 0
        while added < counter.minimumLogLength * 30 + 1234 {
            let field = (0..<random.next(below: 40)).map { _ in
                UInt32(truncatingIfNeeded: random.next(below: 3_000) &* 2_654_435_761)
            }
            counter.add(field)
            for key in field { expected[UInt64(key), default: 0] += 1 }
            added += field.count
            if counter.isLogFull {
                counter.compact()
                compactions += 1
            }
        }
        counter.compact()
        #expect(compactions > 5)
        #expect(counter.count == expected.count)
        let entries = counter.entries
        #expect(zip(entries, entries.dropFirst()).allSatisfy { $0.key < $1.key })
        #expect(Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.count) }) == expected)
    }

    @Test func radixSortSortsAnyKeys() {
        var random = SeededRandom(seed: 11)
        let values = (0..<5000).map { _ in random.next() >> UInt64(random.next(below: 64)) }
        #expect(RadixSort.sorted(values, filler: 0) { $0 } == values.sorted())
        #expect(RadixSort.sorted([UInt64](), filler: 0) { $0 } == [])
        #expect(RadixSort.sorted([UInt64](repeating: 3, count: 3), filler: 0) { $0 } == [3, 3, 3])
        // The pair counter's 32-bit keys.
        let keys = values.map { UInt32(truncatingIfNeeded: $0) }
        #expect(RadixSort.sorted(keys, filler: 0, keyBytes: 4) { UInt64($0) } == keys.sorted())
        // The same keys by the partitioned sort the counter's log takes, and inputs whose top
        // bytes or low bytes are all alike (passes skipped), or that are tiny.
        #expect(RadixSort.sorted(keys) == keys.sorted())
        let sameTop = keys.map { $0 & 0x00FF_FFFF | 0x7F00_0000 }
        #expect(RadixSort.sorted(sameTop) == sameTop.sorted())
        let sameLow = keys.map { $0 & 0xFF00_0000 | 0x12 }
        #expect(RadixSort.sorted(sameLow) == sameLow.sorted())
        for small in [[UInt32](), [5], [9, 2], [UInt32.max, 0, UInt32.max, 1 << 24]] {
            #expect(RadixSort.sorted(small) == small.sorted())
        }
        let bytes = values.map { UInt8(truncatingIfNeeded: $0) }
        #expect(RadixSort.sorted(bytes, filler: 0, keyBytes: 1) { UInt64($0) } == bytes.sorted())
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
