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

    /// ``TokenHash/hash(_:)`` as IndexFormat.md writes it ("PAIRS and TOKEN PAIRS"), byte by
    /// byte: the words assembled from their bytes, little-endian, the last one overlapping.
    private static func tokenHashAsSpecified(_ k: [UInt8]) -> UInt64 {
        let c: UInt64 = 0xff51_afd7_ed55_8ccd
        func word(_ i: Int, _ width: Int) -> UInt64 {
            (0..<width).reduce(0) { $0 | UInt64(k[i + $1]) << UInt64(8 * $1) }
        }
        let n = k.count
        var h = 0x9e37_79b9_7f4a_7c15 &* UInt64(n + 1)
        if n >= 8 {
            var i = 0
            while i + 8 < n {
                h = (h ^ word(i, 8)) &* c
                h ^= h >> 32
                i += 8
            }
            h = (h ^ word(n - 8, 8)) &* c
        } else if n >= 4 {
            h = (h ^ (word(n - 4, 4) << 32 | word(0, 4))) &* c
        } else if n > 0 {
            h = (h ^ (UInt64(k[0]) | UInt64(k[n >> 1]) << 8 | UInt64(k[n - 1]) << 16)) &* c
        }
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }

    @Test func tokenHashIsTheFormatsForEveryLength() {
        var generator = SystemRandomNumberGenerator()
        for count in 0...40 {
            for _ in 0..<8 {
                let key = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
                #expect(key.withUnsafeBytes { TokenHash.hash($0) } == Self.tokenHashAsSpecified(key), "\(key)")
            }
        }
    }

    /// The mix of IndexFormat.md, and a value of it pinned: the keys of every version 7 index
    /// depend on it.
    @Test func tokenKeyIsTheTopBitsOfTheMixOfBothHashes() {
        let left = Array("hà".utf8)
        let right = Array("nội".utf8)
        let (a, b) = (Self.tokenHashAsSpecified(left), Self.tokenHashAsSpecified(right))
        var h = (a &* 0x9e37_79b9_7f4a_7c15) ^ (b &+ 0x632b_e59b_d9b4_e019)
        h ^= h >> 32
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 29
        #expect(PairKey.tokenKey(left, right) == h >> 32)
        #expect(PairKey.tokenKey(left, right) != PairKey.tokenKey(right, left))
        #expect(PairKey.tokenKey(left, right) == 0x7126_799E)
    }

    @Test func keyIsTheTopBitsOfTheHash() {
        let left = Array("việt".utf8)
        let right = Array("nam".utf8)
        let hash = (left + [0] + right).withUnsafeBytes { PairKey.hash64($0) }
        #expect(PairKey.make(left, right) == hash >> UInt64(64 - PairKey.bits))
    }
}
