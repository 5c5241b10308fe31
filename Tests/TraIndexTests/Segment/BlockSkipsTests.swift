import Testing
import TraTestSupport

@testable import TraIndex

@Suite("Block tables: the block a jump lands in")
struct BlockSkipsTests {
    /// A table whose blocks end at `lastDocs`.
    private static func table(_ lastDocs: [UInt32]) -> BlockSkips {
        let entries = lastDocs.enumerated().map { index, last in
            PostingsCursor.BlockHeader(
                lastDoc: last, length: 0, frontier: (0, 1), positionsLength: 0, positionsCRC: 0, dataCRC: 0,
                start: index, dataOffset: index)
        }
        return BlockSkips(entries: ContiguousArray(entries), tail: lastDocs.count, tailPositions: 0, termStart: 0)
    }

    /// `firstBlock(from:endingAtOrAfter:)` (a gallop, then halves) finds what a scan from `from`
    /// finds, for tables of 0 to 70 blocks, every start and targets before, on, between and
    /// after the blocks' last documents.
    @Test func firstBlockMatchesAScan() {
        var random = SeededGenerator(seed: 0x6a75_6d70)
        var mismatches: [String] = []
        var checked = 0
        for count in 0...70 {
            var lastDocs: [UInt32] = []
            var doc: UInt32 = 0
            for _ in 0..<count {
                doc += UInt32(Int.random(in: 128...600, using: &random))
                lastDocs.append(doc)
            }
            let table = Self.table(lastDocs)
            var targets: [UInt32] = [0, 1, doc, doc + 1, PostingsCursor.end]
            for last in lastDocs { targets += [last - 1, last, last + 1] }
            for first in 0...count {
                for target in targets {
                    let scanned = lastDocs.indices.first { $0 >= first && lastDocs[$0] >= target } ?? count
                    let found = table.firstBlock(from: first, endingAtOrAfter: target)
                    if found != scanned { mismatches.append("\(count) blocks, from \(first), target \(target)") }
                    checked += 1
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        #expect(checked > 100_000)
    }
}
