import Testing
import TraTestSupport

@testable import TraRanking

@Suite struct RejectionFloorTests {
    /// The first test of a term-at-a-time candidate, as `SegmentSearch.runTermAtATime` makes it:
    /// whether a document of pseudo-frequency `w` fails it.
    private static func fails(_ w: Double, threshold: Double, others: Double, idf: Double, k1: Double) -> Bool {
        (others + idf * BM25F.saturate(w, k1: k1)) * (1 + 1e-9) + 1e-12 <= threshold
    }

    @Test func everyPseudoFrequencyAtMostTheFloorFailsTheTest() {
        var generator = SeededRandom(seed: 23)
        func uniform(_ range: ClosedRange<Double>) -> Double {
            range.lowerBound + Double(generator.next() % 1_000_000) / 1_000_000 * (range.upperBound - range.lowerBound)
        }
        var finite = 0
        for _ in 0..<2_000 {
            let k1 = uniform(0.3...2.0)
            let idf = uniform(0.01...9)
            let others = uniform(0...6)
            let threshold = others + uniform(-1...(idf * (k1 + 1) * 1.2))
            let floor = SegmentSearch.rejectionFloor(threshold: threshold, others: others, idf: idf, k1: k1)
            if floor == .infinity {
                // Nothing the syllable adds lifts a document: the largest pseudo-frequencies fail too.
                for w in [1.0, 1e3, 1e9] {
                    #expect(
                        Self.fails(w, threshold: threshold, others: others, idf: idf, k1: k1),
                        "\(k1) \(idf) \(others) \(threshold)")
                }
                continue
            }
            guard floor > 0 else { continue }
            finite += 1
            // Sound: the floor and below fail the test.
            for w in [floor, floor.nextDown, floor * 0.999, floor / 2] {
                #expect(
                    Self.fails(w, threshold: threshold, others: others, idf: idf, k1: k1),
                    "\(w) \(k1) \(idf) \(others) \(threshold)")
            }
            // Tight: what the syllable adds at the floor is within 1e-5 of what the test allows.
            let allowed = (threshold - 1e-12) / (1 + 1e-9) - others
            #expect(
                idf * BM25F.saturate(floor, k1: k1) >= allowed * (1 - 1e-5),
                "\(floor) \(k1) \(idf) \(others) \(threshold)")
        }
        #expect(finite > 500)
    }

    @Test func noFloorWithoutAThresholdAboveTheOthers() {
        #expect(SegmentSearch.rejectionFloor(threshold: -.infinity, others: 0, idf: 2, k1: 1.2) < 0)
        #expect(SegmentSearch.rejectionFloor(threshold: 3, others: 3, idf: 2, k1: 1.2) < 0)
        #expect(SegmentSearch.rejectionFloor(threshold: 3, others: 4, idf: 2, k1: 1.2) < 0)
        #expect(SegmentSearch.rejectionFloor(threshold: 3, others: 0, idf: 0, k1: 1.2) < 0)
        // idf · (k1 + 1) = 4.4 at most from the syllable: a threshold of 5 above 0 drops all.
        #expect(SegmentSearch.rejectionFloor(threshold: 5, others: 0, idf: 2, k1: 1.2) == .infinity)
    }
}
