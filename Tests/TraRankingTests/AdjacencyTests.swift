import Testing
import TraTestSupport

@testable import TraRanking

/// Strictly ascending positions: `count` of them (at most `range`) drawn from 0..<range.
private func randomPositions(_ count: Int, below range: UInt32, _ generator: inout SeededRandom) -> [UInt32] {
    var chosen = Set<UInt32>()
    while chosen.count < min(count, Int(range)) { chosen.insert(UInt32(generator.next() % UInt64(range))) }
    return chosen.sorted()
}

@Suite struct AdjacencyTests {
    private static func byHand(_ first: [UInt32], _ second: [UInt32]) -> Int {
        let following = Set(second)
        return first.filter { following.contains($0 &+ 1) }.count
    }

    @Test func countsTheSameWhateverTheLengthsOfTheLists() {
        // Empty lists, lists of about equal lengths and of very different ones, either way round.
        // The bits are one object for all of them: each count must leave them clear for the next,
        // and ranges of up to 300,000 positions make them grow.
        var generator = SeededRandom(seed: 7)
        let bits = PositionBits()
        for (a, b) in [(0, 5), (5, 0), (1, 1), (3, 3), (40, 50), (1, 9), (9, 1), (2, 300), (300, 2), (17, 2_000)] {
            for range: UInt32 in [8, 64, 5_000, 300_000] {
                for _ in 0..<20 {
                    let first = randomPositions(a, below: range, &generator)
                    let second = randomPositions(b, below: range, &generator)
                    let byHand = Self.byHand(first, second)
                    #expect(SegmentSearch.adjacentCount(first, second) == byHand, "\(first) \(second)")
                    #expect(bits.adjacentCount(first, second) == byHand, "\(first) \(second)")
                }
            }
        }
        // Edges: position 0 after the first list's end, the last position, neighbours at both ends.
        #expect(SegmentSearch.adjacentCount([0], Array(0..<100)) == 1)
        #expect(SegmentSearch.adjacentCount(Array(0..<100), [0]) == 0)
        #expect(SegmentSearch.adjacentCount([98], Array(0..<100)) == 1)
        #expect(SegmentSearch.adjacentCount([99], Array(0..<100)) == 0)
        #expect(SegmentSearch.adjacentCount(Array(0..<100), [100]) == 1)
        #expect(SegmentSearch.adjacentCount([UInt32.max], Array(0..<100) + [UInt32.max - 1]) == 0)
        for (first, second, count) in [
            ([0], Array(0..<100), 1), (Array(0..<100), [0], 0), ([98], Array(0..<100), 1), ([99], Array(0..<100), 0),
            (Array(0..<100), [100], 1), ([UInt32.max], Array(0..<100) + [UInt32.max - 1], 0),
            // A repeated position counts again; past the bits' largest position, the merge counts.
            ([3, 3, 7], [4, 8], 3), ([63, 64, 127], [64, 65, 128], 3),
            ([PositionBits.largestPosition, PositionBits.largestPosition + 5], [PositionBits.largestPosition + 6], 1),
            ([PositionBits.largestPosition - 1], [PositionBits.largestPosition], 1),
        ] as [([UInt32], [UInt32], Int)] {
            #expect(bits.adjacentCount(first, second) == count, "\(first) \(second)")
        }
    }
}

@Suite struct InARowTests {
    @Test func countsThreePositionsInARowAsByHand() {
        var generator = SeededRandom(seed: 11)
        // One object for every count, as above.
        let bits = PositionBits()
        for (a, b, c) in [(0, 3, 3), (3, 0, 3), (3, 3, 0), (1, 1, 1), (10, 10, 10), (40, 5, 60), (2, 200, 200)] {
            for range: UInt32 in [6, 50, 3_000, 200_000] {
                for _ in 0..<20 {
                    let (first, second, third) = (
                        randomPositions(a, below: range, &generator), randomPositions(b, below: range, &generator),
                        randomPositions(c, below: range, &generator)
                    )
                    let (following, after) = (Set(second), Set(third))
                    let byHand = first.filter { following.contains($0 + 1) && after.contains($0 + 2) }.count
                    #expect(SegmentSearch.inARowCount(first, second, third) == byHand, "\(first) \(second) \(third)")
                    #expect(bits.inARowCount(first, second, third) == byHand, "\(first) \(second) \(third)")
                }
            }
        }
        // The shortest list first, second or third, lists far apart in length, and repeated
        // positions (each repeat in the first list counts).
        for (a, b, c) in [(1, 300, 300), (300, 1, 300), (300, 300, 1), (4, 2_000, 40), (60, 60, 3)] {
            for range: UInt32 in [12, 400, 6_000] {
                for _ in 0..<20 {
                    var lists = [a, b, c].map { randomPositions($0, below: range, &generator) }
                    for l in lists.indices where !lists[l].isEmpty && generator.next() % 2 == 0 {
                        let repeated = lists[l][Int(generator.next() % UInt64(lists[l].count))]
                        lists[l].insert(repeated, at: lists[l].firstIndex(of: repeated) ?? 0)
                    }
                    let (following, after) = (Set(lists[1]), Set(lists[2]))
                    let byHand = lists[0].filter { following.contains($0 + 1) && after.contains($0 + 2) }.count
                    #expect(SegmentSearch.inARowCount(lists[0], lists[1], lists[2]) == byHand, "\(lists)")
                    #expect(bits.inARowCount(lists[0], lists[1], lists[2]) == byHand, "\(lists)")
                }
            }
        }
        #expect(SegmentSearch.inARowCount([4, 4, 9], [5, 10], [6, 11]) == 3)
        #expect(SegmentSearch.inARowCount([4, 9], [5, 5, 10], [6, 11, 11]) == 2)
        #expect(SegmentSearch.inARowCount([0, 1, 2], [1, 2, 3], [0, 1]) == 0)
        #expect(SegmentSearch.inARowCount([4, 9], [5, 10], [6, 11]) == 2)
        #expect(SegmentSearch.inARowCount([4, 9], [5, 10], [11]) == 1)
        #expect(SegmentSearch.inARowCount([UInt32.max], [0], [1]) == 0)
        let top = PositionBits.largestPosition
        for (lists, count) in [
            ([[4, 4, 9], [5, 10], [6, 11]], 3), ([[4, 9], [5, 5, 10], [6, 11, 11]], 2),
            ([[0, 1, 2], [1, 2, 3], [0, 1]], 0),
            ([[4, 9], [5, 10], [6, 11]], 2), ([[4, 9], [5, 10], [11]], 1), ([[UInt32.max], [0], [1]], 0),
            ([[0], [1], [0]], 0), ([[62, 126], [63, 127], [64, 128]], 2),
            // Past the bits' largest position in the second list or the third, the merge counts.
            ([[top - 1, top], [top, top + 1], [top + 1, top + 2]], 2), ([[top - 2], [top - 1], [top]], 1),
        ] as [([[UInt32]], Int)] {
            #expect(bits.inARowCount(lists[0], lists[1], lists[2]) == count, "\(lists)")
        }
    }
}

@Suite struct PhraseMergeTests {
    /// Whether some position p of `lists[0]` has p + i in `lists[i]` for every i, by the steps of
    /// the phrase check (`SegmentSearch.phraseOccurs`) on lists already read: the shortest list
    /// gives the starts (`appendStarts`), the others keep theirs from the shortest to the longest
    /// (`keepStarts`).
    static func inARow(_ lists: [[UInt32]]) -> Bool {
        guard !lists.isEmpty else { return false }
        let order = lists.indices.sorted { (lists[$0].count, $0) < (lists[$1].count, $1) }
        var starts: [UInt32] = []
        SegmentSearch.appendStarts(&starts, of: lists[order[0]], at: order[0])
        for offset in order.dropFirst() where !starts.isEmpty {
            SegmentSearch.keepStarts(&starts, followedBy: lists[offset], at: offset)
        }
        return !starts.isEmpty
    }

    @Test func findsAPhraseAsByHand() {
        var generator = SeededRandom(seed: 13)
        for lengths in [[1], [3, 3], [0, 4], [4, 0], [5, 5, 5], [30, 2, 30], [2, 40, 40, 40], [60, 60, 60, 60]] {
            for range: UInt32 in [8, 40, 500] {
                for _ in 0..<25 {
                    let lists = lengths.map { randomPositions($0, below: range, &generator) }
                    let sets = lists.map(Set.init)
                    let byHand = lists[0].contains { p in
                        (1..<lists.count).allSatisfy { sets[$0].contains(p + UInt32($0)) }
                    }
                    #expect(Self.inARow(lists) == byHand, "\(lists)")
                }
            }
        }
        #expect(Self.inARow([[3, 9], [4, 10], [11]]))
        #expect(!Self.inARow([[3, 9], [4, 11], [11]]))
        #expect(!Self.inARow([[UInt32.max], [0]]))
    }

    /// A syllable's positions are its variants' lists one after the other, each merged into those
    /// before as it comes: the result is the sorted union, whatever the runs' lengths and overlap.
    @Test func mergesVariantRunsIntoOneAscendingList() {
        var generator = SeededRandom(seed: 17)
        var scratch: [UInt32] = []
        for lengths in [
            [0, 3], [3, 0], [1, 1], [5, 40], [40, 5], [1, 1, 1, 1], [30, 2, 9, 0, 17], [200, 150, 3],
        ] {
            for _ in 0..<30 {
                // Distinct positions dealt out to the variants at random.
                let all = randomPositions(lengths.reduce(0, +), below: 1_000, &generator)
                var runs = lengths.map { _ in [UInt32]() }
                var dealt = all
                for r in runs.indices {
                    for _ in 0..<lengths[r] {
                        runs[r].append(dealt.remove(at: Int(generator.next() % UInt64(dealt.count))))
                    }
                    runs[r].sort()
                }
                var merged: [UInt32] = []
                for run in runs {
                    let start = merged.count
                    merged += run
                    PositionSource.mergeLastRun(&merged, from: start, scratch: &scratch)
                    #expect(merged == merged.sorted(), "\(runs)")
                }
                #expect(merged == all, "\(runs)")
            }
        }
    }
}
