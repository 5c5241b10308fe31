/// Writes the PAIRS section of a segment: counts of pair keys (``PairKey``), sorted by key,
/// delta-coded in blocks of 32 with an index of each block's first key (IndexFormat.md, "PAIRS").
///
///     PAIRS      := PairBlock* BlockIndex Trailer
///     PairBlock  := { KeyDelta(varint) Count(varint) }^(1...32)
///     BlockIndex := { FirstKey(u64) BlockOffset(u32) }^BlockCount
///     Trailer    := PairCount(u64) BlockCount(u32) BlockIndexOffset(u64)        -- last 20 bytes
package enum PairCountsSerializer {
    package static let blockSize = 32
    package static let trailerSize = 20

    /// The section bytes of `entries`, which must be sorted by strictly increasing key, every
    /// count at least 1 (see ``normalize(_:)``).
    package static func serialize(_ entries: [(key: UInt64, count: UInt64)]) -> [UInt8] {
        var writer = ByteWriter()
        var index: [(UInt64, UInt32)] = []
        var previous: UInt64 = 0
        for (i, entry) in entries.enumerated() {
            if i % blockSize == 0 {
                index.append((entry.key, UInt32(writer.count)))
                previous = 0
            }
            writer.writeVarInt(entry.key - previous)
            writer.writeVarInt(entry.count)
            previous = entry.key
        }
        let indexOffset = writer.count
        for (key, offset) in index {
            writer.write(key)
            writer.write(offset)
        }
        writer.write(UInt64(entries.count))
        writer.write(UInt32(index.count))
        writer.write(UInt64(indexOffset))
        return writer.bytes
    }

    /// Sorts `entries` by key and sums the counts of equal keys (zero counts are dropped).
    package static func normalize(_ entries: [(key: UInt64, count: UInt64)]) -> [(key: UInt64, count: UInt64)] {
        let sorted = entries.sorted { $0.key < $1.key }
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
