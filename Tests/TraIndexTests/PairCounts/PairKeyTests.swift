import Testing

@testable import TraIndex

/// ``PairKey/hash64(_:_:)`` reads the two keys where they are; it must give what the format's hash
/// gives for `left 0x00 right` laid out in one string, for every split of the words and tail.
@Suite struct PairKeyTests {
    @Test func twoPartHashIsTheHashOfTheJoinedString() {
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        // Every pair of lengths up to 24 (words ending before, on and after the 0x00), a few times.
        for leftCount in 0...24 {
            for rightCount in 0...24 {
                for _ in 0..<4 {
                    let left = (0..<leftCount).map { _ in UInt8.random(in: 1...255, using: &generator) }
                    let right = (0..<rightCount).map { _ in UInt8.random(in: 1...255, using: &generator) }
                    let joined = left + [0] + right
                    let expected = joined.withUnsafeBytes { PairKey.hash64($0) }
                    let actual = left.withUnsafeBytes { l in right.withUnsafeBytes { r in PairKey.hash64(l, r) } }
                    #expect(actual == expected, "left \(left), right \(right)")
                    checked += 1
                }
            }
        }
        #expect(checked == 25 * 25 * 4)
    }

    @Test func keyIsTheTopBitsOfTheHash() {
        let left = Array("việt".utf8)
        let right = Array("nam".utf8)
        let hash = (left + [0] + right).withUnsafeBytes { PairKey.hash64($0) }
        #expect(PairKey.make(left, right) == hash >> UInt64(64 - PairKey.bits))
    }
}
