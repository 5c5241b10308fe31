import Testing
import TraTestSupport

@testable import TraIndex

/// The pair counter logs pair keys and compacts the log into sorted distinct keys; whatever the
/// compactions, it counts like a dictionary.
@Suite("PairCounter")
struct PairCounterTests {
    /// With the compactions on the adding thread or handed to another one (as indexing does),
    /// and read from a copy taken while one runs in the background.
    @Test(arguments: [false, true])
    func countsLikeADictionaryAcrossCompactions(inBackground: Bool) {
        var counter = PairCounter(minimumLogLength: 1000)
        var expected: [UInt64: UInt64] = [:]
        var random = SeededRandom(seed: 7)
        // Enough pairs for several compactions, added a field at a time, with repeats and keys
        // over the whole 32 bits.
        var compactions = 0
        var added = 0
        var copy: (counter: PairCounter, expected: [UInt64: UInt64])? = nil
        while added < counter.minimumLogLength * 30 + 1234 {
            let field = (0..<random.next(below: 40)).map { _ in
                UInt32(truncatingIfNeeded: random.next(below: 3_000) &* 2_654_435_761)
            }
            counter.add(field)
            for key in field { expected[UInt64(key), default: 0] += 1 }
            added += field.count
            if counter.isLogFull {
                if inBackground {
                    counter.compactInBackground()
                    if compactions == 3 && copy == nil { copy = (counter, expected) }
                } else {
                    counter.compact()
                }
                compactions += 1
            }
        }
        counter.compact()
        #expect(compactions > 5)
        for (counter, expected) in [(counter, expected)] + (copy.map { [$0] } ?? []) {
            var counter = counter
            counter.compact()
            #expect(counter.count == expected.count)
            let entries = counter.entries
            #expect(zip(entries, entries.dropFirst()).allSatisfy { $0.key < $1.key })
            #expect(Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.count) }) == expected)
        }
        #expect((copy != nil) == inBackground)
    }

    /// A background compaction starts at the same logged pairs as one on the adding thread (its
    /// fullness checked again once the one before is settled), so that the counter's memory
    /// footprint, which the RAM budget reads, follows the same steps.
    @Test func backgroundCompactionsFollowTheSameSteps() {
        var onThread = PairCounter(minimumLogLength: 500)
        var inBackground = PairCounter(minimumLogLength: 500)
        var random = SeededRandom(seed: 5)
        var steps = 0
        for _ in 0..<4_000 {
            let field = (0..<random.next(below: 30)).map { _ in
                UInt32(truncatingIfNeeded: random.next(below: 20_000) &* 2_654_435_761)
            }
            onThread.add(field)
            inBackground.add(field)
            if onThread.isLogFull {
                onThread.compact()
                steps += 1
            }
            if inBackground.isLogFull { inBackground.compactInBackground() }
            #expect(inBackground.memoryFootprint == onThread.memoryFootprint)
        }
        #expect(steps > 5)
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
