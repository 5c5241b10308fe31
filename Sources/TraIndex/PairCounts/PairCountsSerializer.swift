/// Writes the PAIRS section of a segment: counts of pair keys (``PairKey``), sorted by key,
/// delta-coded in blocks of 32 with an index of each block's first key (IndexFormat.md, "PAIRS").
///
///     PAIRS      := PairBlock* BlockIndex Trailer
///     PairBlock  := { KeyDelta(varint) Count(varint) }^(1...32)
///     BlockIndex := { FirstKey(u64) BlockOffset(u32) BlockCRC(u32) }^BlockCount
///     Trailer    := PairCount(u64) BlockCount(u32) BlockIndexOffset(u64) IndexCRC(u32)  -- last 24 bytes
///
/// `BlockCRC` is the CRC32C of the block's bytes; `IndexCRC` covers the block index and the
/// trailer before it. Version 2 has neither (index entries of 12 bytes, a trailer of 20).
package enum PairCountsSerializer {
    package static let blockSize = 32
    package static let trailerSize = 24
    /// The bytes of a block index entry.
    package static let indexEntrySize = 16

    /// The section bytes of `entries`, which must be sorted by strictly increasing key, every
    /// count at least 1 (see ``normalize(_:)``).
    package static func serialize(_ entries: [(key: UInt64, count: UInt64)]) -> [UInt8] {
        var writer = ByteWriter()
        var index: [(key: UInt64, offset: Int)] = []
        var previous: UInt64 = 0
        for (i, entry) in entries.enumerated() {
            if i % blockSize == 0 {
                index.append((entry.key, writer.count))
                previous = 0
            }
            writer.writeVarInt(entry.key - previous)
            writer.writeVarInt(entry.count)
            previous = entry.key
        }
        let indexOffset = writer.count
        for (i, block) in index.enumerated() {
            let end = i + 1 < index.count ? index[i + 1].offset : indexOffset
            writer.write(block.key)
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

    /// The keyed counts of an in-memory segment's pairs: each pair of term ids becomes the
    /// ``PairKey`` of the two terms' model keys; pairs of the title and the body with the same
    /// keys add up.
    package static func entries(_ counter: PairCounter, terms: TermTable) -> [(key: UInt64, count: UInt64)] {
        var entries: [(key: UInt64, count: UInt64)] = []
        entries.reserveCapacity(counter.count)
        terms.arena.withUnsafeBytes { arena in
            counter.forEach { left, right, count in
                let l = UnsafeRawBufferPointer(rebasing: arena[terms.starts[Int(left)]..<terms.starts[Int(left) + 1]])
                let r = UnsafeRawBufferPointer(
                    rebasing: arena[terms.starts[Int(right)]..<terms.starts[Int(right) + 1]])
                guard let leftKey = PairKey.modelKey(ofVariant: l), let rightKey = PairKey.modelKey(ofVariant: r)
                else { return }
                entries.append((PairKey.make(leftKey, rightKey), UInt64(count)))
            }
        }
        return normalize(entries)
    }
}
