/// The key under which a pair of consecutive tokens is counted in a segment's TOKEN PAIRS section
/// (``tokenKey(leftHash:rightHash:)``, format version 7) or PAIRS section (``make(_:_:)``, versions
/// 2 to 6; IndexFormat.md, "PAIRS and TOKEN PAIRS").
///
/// A token's *model key* is the part of its variant term after the 0x00 that ends the folded key
/// (the accented key, without field byte): pairs of the title and of the body are counted
/// together. The pair key is the top 32 bits of a 64-bit hash of the two model keys (of the two
/// tokens' hashes in version 7, of `left 0x00 right` before): the index stores counts of hashed
/// keys, so it stays free of any language knowledge, and two distinct
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

    /// The 64-bit hash of the PAIRS keys (IndexFormat.md, "PAIRS and TOKEN PAIRS"): FNV-1a over
    /// 8-byte little-endian words, then over the remaining bytes, and a final avalanche. Stored
    /// keys depend on it: it never changes.
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

    /// The key of a pair in format version 7 (IndexFormat.md, "PAIRS and TOKEN PAIRS"), from the
    /// two tokens' ``TokenHash/hash(_:)``: the top 32 bits of a mix of both. A segment is built hashing each
    /// token's model key once, for its term table; the pair it makes with the next token reuses
    /// that hash instead of hashing `left 0x00 right` again (``make(_:_:)``, versions 2 to 6).
    @inline(__always)
    package static func tokenKey(leftHash: UInt64, rightHash: UInt64) -> UInt64 {
        var h = (leftHash &* 0x9E37_79B9_7F4A_7C15) ^ (rightHash &+ 0x632B_E59B_D9B4_E019)
        h ^= h &>> 32
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h &>> 29
        return h &>> UInt64(64 - bits)
    }

    /// ``tokenKey(leftHash:rightHash:)`` of the model keys `left` and `right`.
    package static func tokenKey(_ left: some Collection<UInt8>, _ right: some Collection<UInt8>) -> UInt64 {
        Array(left).withUnsafeBytes { left in
            Array(right).withUnsafeBytes { right in
                tokenKey(leftHash: TokenHash.hash(left), rightHash: TokenHash.hash(right))
            }
        }
    }
}

/// The 64-bit hash of a byte string that format version 7 keys pairs of tokens with
/// (``PairKey/tokenKey(leftHash:rightHash:)``, IndexFormat.md, "PAIRS and TOKEN PAIRS"): stored
/// keys depend on it, so it never changes. Also the probe hash of the tables that intern terms while a segment is
/// built (``TermTable/hash(_:)``).
///
/// The key length seeds it; the key is read in 8-byte little-endian words, the last one
/// overlapping the one before when the length is not a multiple of 8 (shorter keys: two
/// overlapping 4-byte words, or the first, middle and last bytes), so every byte is read and a
/// key of 9 to 16 bytes costs two multiplications; a final avalanche spreads the low bits.
package enum TokenHash {
    @inline(__always)
    package static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        finish(absorb(0x9E37_79B9_7F4A_7C15 &* UInt64(truncatingIfNeeded: key.count &+ 1), key))
    }

    /// `h` with every byte of `key` mixed in (overlapping words, see ``hash(_:)``).
    @inline(__always)
    package static func absorb(_ h: UInt64, _ key: UnsafeRawBufferPointer) -> UInt64 {
        let count = key.count
        var h = h
        if count >= 8 {
            var i = 0
            while i &+ 8 < count {
                h =
                    (h ^ UInt64(littleEndian: key.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                    &* 0xFF51_AFD7_ED55_8CCD
                h ^= h &>> 32
                i &+= 8
            }
            h =
                (h ^ UInt64(littleEndian: key.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)))
                &* 0xFF51_AFD7_ED55_8CCD
        } else if count >= 4 {
            let low = UInt64(UInt32(littleEndian: key.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
            let high = UInt64(UInt32(littleEndian: key.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)))
            h = (h ^ (high &<< 32 | low)) &* 0xFF51_AFD7_ED55_8CCD
        } else if count > 0 {
            let bytes = UInt64(key[0]) | UInt64(key[count &>> 1]) &<< 8 | UInt64(key[count &- 1]) &<< 16
            h = (h ^ bytes) &* 0xFF51_AFD7_ED55_8CCD
        }
        return h
    }

    /// The final avalanche.
    @inline(__always)
    package static func finish(_ h: UInt64) -> UInt64 {
        var h = h ^ (h &>> 33)
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h &>> 33
        return h
    }
}
