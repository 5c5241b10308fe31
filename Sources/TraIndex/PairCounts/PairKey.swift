/// The key under which a pair of consecutive tokens is counted in a segment's PAIRS section
/// (IndexFormat.md, "PAIRS").
///
/// A token's *model key* is the part of its variant term after the 0x00 that ends the folded key
/// (the accented key, without field byte): pairs of the title and of the body are counted
/// together. The pair key is the top 32 bits of a 64-bit hash of `left 0x00 right`: the index
/// stores counts of hashed keys, so it stays free of any language knowledge, and two distinct
/// pairs share a count only on a 32-bit collision (a lookup meets another pair's count with a
/// probability of the stored pairs over 2^32: 1 in 2,000 for the 2.2 million distinct pairs of the
/// Wikipedia sample, an error a smoothed language model absorbs). Segments of format versions 2
/// and 3 kept 40 bits (see ``PairCountsReader``).
package enum PairKey {
    /// Bits kept of the hash.
    package static let bits = 32
    /// Bits kept by format versions 2 and 3.
    package static let bitsBeforeVersion4 = 40

    /// The key of the pair (`left`, `right`), two model keys (byte strings without 0x00).
    @inline(__always)
    package static func make(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> UInt64 {
        hash64(left, right) >> UInt64(64 - bits)
    }

    /// ``hash64(_:)`` of `left 0x00 right`, read from the two parts where they are: laid out in a
    /// buffer first, the words that span its stores waited for them.
    ///
    /// The whole words of `left`, then the word that holds the rest of `left`, the 0x00 and the
    /// start of `right` (when the string reaches that far), then the whole words of `right` after
    /// it; the last fewer than 8 bytes are loaded as one word too and hashed a byte at a time
    /// from its low end, as ``hash64(_:)`` hashes them from the string.
    @inline(__always)
    package static func hash64(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> UInt64 {
        let leftCount = left.count
        let rightCount = right.count
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = 0
        while i &+ 8 <= leftCount {
            h = (h ^ left.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            i &+= 8
        }
        // The rest of `left` (0 to 7 bytes), the 0x00 (a zero byte of the word), then `right`.
        let fromLeft = leftCount &- i
        let fromRight = min(7 &- fromLeft, rightCount)
        var word =
            partialWord(left, from: i, count: fromLeft)
            | partialWord(right, from: 0, count: fromRight) &<< UInt64(8 &* (fromLeft &+ 1))
        var tail = fromLeft &+ 1 &+ fromRight
        if tail == 8 {
            h = (h ^ word) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            var r = fromRight
            while r &+ 8 <= rightCount {
                h = (h ^ right.loadUnaligned(fromByteOffset: r, as: UInt64.self)) &* 0x0000_0100_0000_01B3
                h ^= h >> 29
                r &+= 8
            }
            tail = rightCount &- r
            word = partialWord(right, from: r, count: tail)
        }
        while tail > 0 {
            h = (h ^ (word & 0xFF)) &* 0x0000_0100_0000_01B3
            word &>>= 8
            tail &-= 1
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    /// The `count` (0 to 8) bytes of `bytes` at `offset` as a little-endian word, read in at most
    /// two loads (overlapping ones give the same bytes at the same places).
    @inline(__always)
    private static func partialWord(_ bytes: UnsafeRawBufferPointer, from offset: Int, count: Int) -> UInt64 {
        if count >= 4 {
            let low = UInt64(bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            let high = UInt64(bytes.loadUnaligned(fromByteOffset: offset &+ count &- 4, as: UInt32.self))
            return low | high &<< UInt64(8 &* (count &- 4))
        }
        guard count > 0 else { return 0 }
        let middle = count &>> 1
        return UInt64(bytes[offset]) | UInt64(bytes[offset &+ middle]) &<< UInt64(8 &* middle)
            | UInt64(bytes[offset &+ count &- 1]) &<< UInt64(8 &* (count &- 1))
    }

    /// The 64-bit hash of IndexFormat.md, "PAIRS": FNV-1a over 8-byte little-endian words, then
    /// over the remaining bytes, and a final avalanche. Stored keys depend on it: it never changes.
    @inline(__always)
    package static func hash64(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = 0
        let count = key.count
        while i + 8 <= count {
            h = (h ^ key.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            i += 8
        }
        while i < count {
            h = (h ^ UInt64(key[i])) &* 0x0000_0100_0000_01B3
            i += 1
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    /// The key of the pair (`left`, `right`).
    package static func make(_ left: some Collection<UInt8>, _ right: some Collection<UInt8>) -> UInt64 {
        Array(left).withUnsafeBytes { left in Array(right).withUnsafeBytes { right in make(left, right) } }
    }
}
