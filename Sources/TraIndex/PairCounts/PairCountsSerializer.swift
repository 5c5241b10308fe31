/// Writes the PAIRS section of a segment: counts of pair keys (``PairKey``, 32 bits), sorted by
/// key, in blocks of 64 entries coded bit by bit, with an index of each block's first key
/// (IndexFormat.md, "PAIRS and TOKEN PAIRS").
///
///     PAIRS      := PairBlock* BlockIndex Trailer
///     PairBlock  := RiceBits(u8) Codes(bit stream, padded with zero bits to a byte)
///     Codes      := Gamma(Count) { Rice(KeyGap - 1) Gamma(Count) }^(0...63)
///     BlockIndex := { FirstKey(u32) BlockOffset(u32) BlockCRC(u32) }^BlockCount
///     Trailer    := PairCount(u64) BlockCount(u32) BlockIndexOffset(u64) IndexCRC(u32)  -- last 24 bytes
///
/// Keys are hashes, so the gaps between consecutive keys are close to geometric, for which a
/// Golomb-Rice code is near optimal; most counts are 1, which the gamma code writes in one bit.
/// `BlockCRC` is the CRC32C of the block's bytes; `IndexCRC` covers the block index and the
/// trailer before it. (Versions 2 and 3: see ``PairCountsReader``.)
package enum PairCountsSerializer {
    package static let blockSize = 64
    package static let trailerSize = 24
    /// The bytes of a block index entry.
    package static let indexEntrySize = 12

    /// The section bytes of `entries`, which must be sorted by strictly increasing key below
    /// 2^``PairKey/bits``, every count at least 1 (see ``normalize(_:)``).
    package static func serialize<Entries: RandomAccessCollection<(key: UInt64, count: UInt64)>>(
        _ entries: Entries
    ) -> [UInt8] where Entries.Index == Int {
        let first = entries.startIndex
        return serialize(entries.count, key: { entries[first + $0].key }, count: { entries[first + $0].count })
    }

    /// The section bytes of the counts of `counter` (compacted first, in a copy), read from its
    /// arrays: what ``serialize(_:)`` writes for its ``PairCounter/entries``.
    package static func serialize(_ counter: PairCounter) -> [UInt8] {
        var counter = counter
        counter.compact()
        return counter.withKeysAndCounts { keys, counts in
            serialize(keys.count, key: { UInt64(keys[$0]) }, count: { UInt64(counts[$0]) })
        }
    }

    /// The section bytes of `entryCount` entries, the `i`-th (`key(i)`, `count(i)`).
    ///
    /// Each block is measured first (its Rice parameter's search gives the bits of its key gaps,
    /// the counts' gamma codes are summed), then written into room made for it at once: the codes
    /// go through a register that is stored whole at the first byte not yet written (so the room
    /// has 8 bytes more, cut after), as ``PositionChunk`` writes its codes. Appending the bits a
    /// byte at a time through a growing array cost about 300 instructions a pair.
    @inline(__always)
    private static func serialize(
        _ entryCount: Int, key: (Int) -> UInt64, count: (Int) -> UInt64
    ) -> [UInt8] {
        var writer = ByteWriter()
        // About 2.7 bytes a pair in a segment of Wikipedia text, and the index: rarely grown.
        writer.bytes.reserveCapacity(entryCount * 3 + 64)
        var index: [(key: UInt64, offset: Int)] = []
        index.reserveCapacity((entryCount + blockSize - 1) / blockSize)
        // Each block's key gaps and counts, read once: the Rice parameter's search reads the gaps
        // three times.
        var gaps = [UInt64](repeating: 0, count: blockSize)
        var counts = [UInt64](repeating: 0, count: blockSize)
        var start = 0
        while start < entryCount {
            let end = min(start + blockSize, entryCount)
            var previous = key(start)
            index.append((previous, writer.count))
            counts[0] = count(start)
            precondition(counts[0] >= 1, "PAIRS counts must be at least 1")
            var gammaBits = gammaLength(counts[0])
            for i in (start + 1)..<end {
                let next = key(i)
                precondition(next > previous, "PAIRS keys must increase")
                let c = count(i)
                precondition(c >= 1, "PAIRS counts must be at least 1")
                gaps[i - start - 1] = next - previous - 1
                counts[i - start] = c
                gammaBits += gammaLength(c)
                previous = next
            }
            let entries = end - start
            let (k, riceBits) = riceParameter(gaps[..<(entries - 1)])
            let bits = riceBits + gammaBits
            writer.write(UInt8(k))
            let codesStart = writer.count
            writer.bytes.append(contentsOf: repeatElement(0, count: (bits + 7) / 8 + 8))
            writer.bytes.withUnsafeMutableBytes { buffer in
                guard let base = buffer.baseAddress else { return }  // never: the room was just made
                var codes = CodeWriter(base + codesStart)
                codes.putGamma(counts[0])
                for i in 1..<entries {
                    codes.putRice(gaps[i - 1], k: k)
                    codes.putGamma(counts[i])
                }
            }
            writer.bytes.removeLast(8)
            start = end
        }
        let indexOffset = writer.count
        for (i, block) in index.enumerated() {
            let end = i + 1 < index.count ? index[i + 1].offset : indexOffset
            precondition(block.key < 1 << UInt64(PairKey.bits), "PAIRS keys must fit in \(PairKey.bits) bits")
            writer.write(UInt32(block.key))
            writer.write(UInt32(block.offset))
            writer.write(
                writer.bytes.withUnsafeBytes {
                    CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[block.offset..<end]))
                })
        }
        writer.write(UInt64(entryCount))
        writer.write(UInt32(index.count))
        writer.write(UInt64(indexOffset))
        writer.write(
            writer.bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[indexOffset...])) })
        return writer.bytes
    }

    /// Writes codes from a byte on, bit `i` at bit `i % 8` of byte `i / 8` (``BitWriter``'s
    /// order), into zeros with 8 bytes of room past the last code: every put stores a whole word.
    private struct CodeWriter {
        /// The first byte not yet written whole.
        private var next: UnsafeMutableRawPointer
        /// The bits not yet stored whole: fewer than 8 between puts.
        private var pending: UInt64 = 0
        private var pendingBits = 0

        init(_ start: UnsafeMutableRawPointer) { next = start }

        /// Puts the low `count` bits of `value` (`count` at most 56, `value` no wider).
        @inline(__always)
        mutating func put(_ value: UInt64, bits count: Int) {
            pending |= value &<< UInt64(pendingBits)
            pendingBits &+= count
            next.storeBytes(of: pending.littleEndian, as: UInt64.self)
            // At most 63 bits were pending: at most 7 whole bytes.
            let whole = pendingBits &>> 3
            next += whole
            pending &>>= UInt64(whole &<< 3)
            pendingBits &= 7
        }

        /// Puts `n` zero bits and a one bit.
        @inline(__always)
        mutating func putUnary(_ n: Int) {
            var zeros = n
            while zeros > 55 {
                put(0, bits: 56)
                zeros -= 56
            }
            put(1 &<< UInt64(zeros), bits: zeros + 1)
        }

        /// Puts the low `count` bits of `value` (`count` at most 64).
        @inline(__always)
        mutating func putLow(_ value: UInt64, bits count: Int) {
            if count > 32 {
                put(value & 0xFFFF_FFFF, bits: 32)
                put((value >> 32) & (UInt64.max >> UInt64(96 - count)), bits: count - 32)
            } else if count > 0 {
                put(value & (UInt64.max >> UInt64(64 - count)), bits: count)
            }
        }

        /// ``BitWriter/writeRice(_:k:)``: the quotient in unary, then the low `k` bits.
        @inline(__always)
        mutating func putRice(_ value: UInt64, k: Int) {
            let quotient = value >> UInt64(k)
            if quotient &+ 1 &+ UInt64(k) <= 56 {
                // One put: the unary part's one bit, then the remainder above it.
                let low = value & ((1 &<< UInt64(k)) &- 1)
                put(1 &<< quotient | low &<< (quotient &+ 1), bits: Int(quotient) &+ 1 &+ k)
            } else {
                putUnary(Int(clamping: quotient))
                putLow(value, bits: k)
            }
        }

        /// ``BitWriter/writeGamma(_:)``: `n = floor(log2 value)` in unary, then the low `n` bits.
        @inline(__always)
        mutating func putGamma(_ value: UInt64) {
            let n = 63 &- value.leadingZeroBitCount
            if n <= 27 {
                let low = value & ((1 &<< UInt64(n)) &- 1)
                put(1 &<< UInt64(n) | low &<< UInt64(n &+ 1), bits: 2 &* n &+ 1)
            } else {
                putUnary(n)
                putLow(value, bits: n)
            }
        }
    }

    /// The bits of the gamma code of `value` (at least 1).
    @inline(__always)
    private static func gammaLength(_ value: UInt64) -> Int { 2 * (63 - value.leadingZeroBitCount) + 1 }

    /// The Rice parameter that codes the key `gaps` of a block (each the distance between keys
    /// less 1) in the fewest bits, and those bits: near log2 of the mean distance (Gallager and
    /// van Voorhis, 1975), so only its neighbours are tried.
    private static func riceParameter(_ gaps: ArraySlice<UInt64>) -> (k: Int, bits: Int) {
        guard !gaps.isEmpty else { return (0, 0) }
        // The mean distance between keys: (last key - first key) / gaps.
        let mean = (gaps.reduce(0, +) + UInt64(gaps.count)) / UInt64(gaps.count)
        let guess = mean > 1 ? 63 - mean.leadingZeroBitCount : 0
        var best = (k: 0, bits: Int.max)
        for k in max(guess - 1, 0)...min(guess + 1, 31) {
            var bits = 0
            for gap in gaps { bits += BitWriter.riceLength(gap, k: k) }
            if bits < best.bits { best = (k, bits) }
        }
        return best
    }

    /// Sorts `entries` by key and sums the counts of equal keys (zero counts are dropped).
    package static func normalize(_ entries: [(key: UInt64, count: UInt64)]) -> [(key: UInt64, count: UInt64)] {
        let sorted = sortedByKey(entries)
        var result: [(key: UInt64, count: UInt64)] = []
        result.reserveCapacity(sorted.count)
        for entry in sorted where entry.count > 0 {
            if result.last?.key == entry.key {
                result[result.count - 1].count += entry.count
            } else {
                result.append(entry)
            }
        }
        return result
    }

    /// `entries` in ascending key order, equal keys in their input order (``RadixSort``: several
    /// times faster than a comparison sort of a segment's pairs).
    static func sortedByKey(_ entries: [(key: UInt64, count: UInt64)]) -> [(key: UInt64, count: UInt64)] {
        RadixSort.sorted(entries, filler: (0, 0)) { $0.key }
    }
}
