/// Reads the PAIRS section of a mapped segment (see ``PairCountsSerializer`` for the layout):
/// the count of a pair key by binary search over the block index and a scan of one block of at
/// most 32 entries, straight from the mapping.
///
/// A segment of format version 1 has no PAIRS section: its reader is empty (every count 0).
/// From version 3 on, the block index and trailer are checked against their CRC32C when the
/// reader is made (the segment is opened), and a block against its own before a lookup scans it.
package struct PairCountsReader: @unchecked Sendable {
    private let bytes: UnsafeRawBufferPointer
    private let path: String
    private let sectionOffset: Int
    /// Distinct pair keys.
    package let pairCount: Int
    private let blockCount: Int
    private let indexOffset: Int
    /// Version 3: index entries carry a block CRC32C (16 bytes instead of 12).
    private let checksums: Bool
    private let entrySize: Int

    /// An empty reader (a segment without the section).
    package init() {
        bytes = UnsafeRawBufferPointer(start: nil, count: 0)
        path = ""
        sectionOffset = 0
        pairCount = 0
        blockCount = 0
        indexOffset = 0
        checksums = false
        entrySize = 12
    }

    /// Reads the trailer of the section `bytes` (at `sectionOffset` in `path`) and checks that the
    /// block index fits.
    package init(bytes: UnsafeRawBufferPointer, path: String, sectionOffset: Int, checksums: Bool = false)
        throws(IndexError)
    {
        let trailer = checksums ? PairCountsSerializer.trailerSize : 20
        let entrySize = checksums ? PairCountsSerializer.indexEntrySize : 12
        guard bytes.count >= trailer else {
            throw .corrupt("PAIRS: section too short", file: path, offset: sectionOffset)
        }
        var reader = ByteReader(bytes, offset: bytes.count - trailer)
        guard let pairs = reader.readUInt64(), let blocks = reader.readUInt32(), let index = reader.readUInt64(),
            index <= UInt64(bytes.count - trailer),
            UInt64(blocks) * UInt64(entrySize) == UInt64(bytes.count - trailer) - index,
            pairs <= index,
            (pairs + UInt64(PairCountsSerializer.blockSize) - 1) / UInt64(PairCountsSerializer.blockSize)
                == UInt64(blocks)
        else { throw .corrupt("PAIRS: bad trailer", file: path, offset: sectionOffset + bytes.count - trailer) }
        if checksums, let expected = reader.readUInt32() {
            let actual = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[Int(index)..<(bytes.count - 4)]))
            guard actual == expected else {
                throw .corrupt(
                    "PAIRS: block index checksum failed (expected \(SegmentFile.hex(expected)), actual "
                        + "\(SegmentFile.hex(actual)))", file: path, offset: sectionOffset + Int(index))
            }
        }
        self.checksums = checksums
        self.entrySize = entrySize
        self.bytes = bytes
        self.path = path
        self.sectionOffset = sectionOffset
        pairCount = Int(pairs)
        blockCount = Int(blocks)
        indexOffset = Int(index)
    }

    @inline(__always)
    private func firstKey(ofBlock block: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: indexOffset + block * entrySize, as: UInt64.self))
    }

    @inline(__always)
    private func offset(ofBlock block: Int) -> Int {
        Int(
            UInt32(
                littleEndian: bytes.loadUnaligned(fromByteOffset: indexOffset + block * entrySize + 8, as: UInt32.self))
        )
    }

    /// The bytes of block `block`, checked against its CRC32C (version 3).
    private func block(_ block: Int) throws(IndexError) -> ByteReader {
        let start = offset(ofBlock: block)
        let end = block + 1 < blockCount ? offset(ofBlock: block + 1) : indexOffset
        guard start < end, end <= indexOffset else {
            throw .corrupt(
                "PAIRS: bad block offset", file: path, offset: sectionOffset + indexOffset + block * entrySize)
        }
        if checksums {
            let expected = UInt32(
                littleEndian: bytes.loadUnaligned(
                    fromByteOffset: indexOffset + block * entrySize + 12, as: UInt32.self))
            let actual = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            guard actual == expected else {
                throw .corrupt(
                    "PAIRS: block checksum failed (expected \(SegmentFile.hex(expected)), actual "
                        + "\(SegmentFile.hex(actual)))", file: path, offset: sectionOffset + start)
            }
        }
        return ByteReader(UnsafeRawBufferPointer(rebasing: bytes[..<end]), offset: start)
    }

    /// The count of `key` (0 when absent). Throws when the block that would hold it is damaged
    /// (version 3; in earlier versions a damaged block reads as absent and `tra verify` reports it).
    ///
    /// Keys are hashes, spread evenly over 0..<2^40, so the block of a key is first guessed by
    /// interpolation and the guess widened until it brackets the key (a few neighbouring index
    /// entries, instead of a binary search over the whole index), then searched.
    ///
    /// - Complexity: O(log blocks + 32), expected O(log log blocks + 32).
    package func count(_ key: UInt64) throws(IndexError) -> UInt64 {
        guard blockCount > 0, key >= firstKey(ofBlock: 0) else { return 0 }
        let guess = min(
            Int(Double(key) / Double(UInt64(1) << UInt64(PairKey.bits)) * Double(blockCount)), blockCount - 1)
        var low = guess
        var high = guess
        var step = 1
        while low > 0 && firstKey(ofBlock: low) > key {
            low = max(low - step, 0)
            step *= 2
        }
        step = 1
        while high < blockCount - 1 && firstKey(ofBlock: high + 1) <= key {
            high = min(high + step, blockCount - 1)
            step *= 2
        }
        while low < high {
            let middle = (low + high + 1) / 2
            if firstKey(ofBlock: middle) <= key { low = middle } else { high = middle - 1 }
        }
        let start = offset(ofBlock: low)
        let end = low + 1 < blockCount ? offset(ofBlock: low + 1) : indexOffset
        guard start <= end, end <= indexOffset else {
            if checksums { throw .corrupt("PAIRS: bad block offset", file: path, offset: sectionOffset + start) }
            return 0
        }
        var reader =
            checksums ? try block(low) : ByteReader(UnsafeRawBufferPointer(rebasing: bytes[..<end]), offset: start)
        var previous: UInt64 = 0
        while reader.remaining > 0 {
            guard let delta = reader.readVarInt(), let count = reader.readVarInt() else { return 0 }
            previous &+= delta
            if previous == key { return count }
            if previous > key { return 0 }
        }
        return 0
    }

    /// Every entry in key order; throws on the first inconsistency (keys not increasing, a zero
    /// count, a block index entry that disagrees, counts that disagree with the trailer). What
    /// the merger reads and `tra verify` checks.
    package func entries() throws(IndexError) -> [(key: UInt64, count: UInt64)] {
        var result: [(key: UInt64, count: UInt64)] = []
        result.reserveCapacity(pairCount)
        var last: UInt64? = nil
        for block in 0..<blockCount {
            var reader = try self.block(block)
            var previous: UInt64 = 0
            var first = true
            while reader.remaining > 0 {
                let at = sectionOffset + reader.offset
                guard let delta = reader.readVarInt(), let count = reader.readVarInt(), count > 0,
                    first || delta > 0
                else { throw .corrupt("PAIRS: bad entry", file: path, offset: at) }
                previous &+= delta
                if first {
                    guard previous == firstKey(ofBlock: block) else {
                        throw .corrupt("PAIRS: block index disagrees with block \(block)", file: path, offset: at)
                    }
                    first = false
                }
                if let last, previous <= last {
                    throw .corrupt("PAIRS: keys out of order", file: path, offset: at)
                }
                guard previous < 1 << UInt64(PairKey.bits) else {
                    throw .corrupt("PAIRS: key too large", file: path, offset: at)
                }
                last = previous
                result.append((previous, count))
            }
        }
        guard result.count == pairCount else {
            throw .corrupt(
                "PAIRS: \(result.count) pairs, the trailer says \(pairCount)", file: path,
                offset: sectionOffset + indexOffset + blockCount * entrySize)
        }
        return result
    }
}
