/// Writes the PAIRS section of a segment: counts of pair keys (``PairKey``, 32 bits), sorted by
/// key, in blocks of 64 entries coded bit by bit, with an index of each block's first key
/// (IndexFormat.md, "PAIRS").
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
        var writer = ByteWriter()
        var index: [(key: UInt64, offset: Int)] = []
        // Each block's key gaps and counts, read from `entries` once: the Rice parameter's search
        // reads the gaps three times, and `entries` may be a lazy view.
        var gaps: [UInt64] = []
        var counts: [UInt64] = []
        gaps.reserveCapacity(blockSize)
        counts.reserveCapacity(blockSize)
        var start = 0
        while start < entries.count {
            let end = min(start + blockSize, entries.count)
            gaps.removeAll(keepingCapacity: true)
            counts.removeAll(keepingCapacity: true)
            var previous = entries[start].key
            index.append((previous, writer.count))
            counts.append(entries[start].count)
            for i in (start + 1)..<end {
                let entry = entries[i]
                precondition(entry.key > previous, "PAIRS keys must increase")
                gaps.append(entry.key - previous - 1)
                counts.append(entry.count)
                previous = entry.key
            }
            let k = riceParameter(gaps)
            var bits = BitWriter()
            bits.writeGamma(counts[0])
            for i in gaps.indices {
                bits.writeRice(gaps[i], k: k)
                bits.writeGamma(counts[i + 1])
            }
            bits.finish()
            writer.write(UInt8(k))
            writer.write(bytes: bits.bytes)
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
        writer.write(UInt64(entries.count))
        writer.write(UInt32(index.count))
        writer.write(UInt64(indexOffset))
        writer.write(
            writer.bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[indexOffset...])) })
        return writer.bytes
    }

    /// The Rice parameter that codes the key `gaps` of a block (each the distance between keys
    /// less 1) in the fewest bits: near log2 of the mean distance (Gallager and van Voorhis, 1975),
    /// so only its neighbours are tried.
    private static func riceParameter(_ gaps: [UInt64]) -> Int {
        guard !gaps.isEmpty else { return 0 }
        // The mean distance between keys: (last key - first key) / gaps.
        let mean = (gaps.reduce(0, +) + UInt64(gaps.count)) / UInt64(gaps.count)
        let guess = mean > 1 ? 63 - mean.leadingZeroBitCount : 0
        var best = (k: 0, bits: Int.max)
        for k in max(guess - 1, 0)...min(guess + 1, 31) {
            var bits = 0
            for gap in gaps { bits += BitWriter.riceLength(gap, k: k) }
            if bits < best.bits { best = (k, bits) }
        }
        return best.k
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
