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
        let total = left.count + 1 + right.count
        return withUnsafeTemporaryAllocation(byteCount: total, alignment: 8) { buffer in
            if let base = buffer.baseAddress {
                if let source = left.baseAddress { base.copyMemory(from: source, byteCount: left.count) }
                base.storeBytes(of: 0, toByteOffset: left.count, as: UInt8.self)
                if let source = right.baseAddress {
                    (base + left.count + 1).copyMemory(from: source, byteCount: right.count)
                }
            }
            return hash64(UnsafeRawBufferPointer(buffer)) >> UInt64(64 - bits)
        }
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
