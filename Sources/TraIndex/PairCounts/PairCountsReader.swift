/// Reads a section of pair counts of a mapped segment (PAIRS or TOKEN PAIRS, which share a layout):
/// the count of a pair key by a search of the block index and a scan of one block, straight from
/// the mapping.
///
/// Keys are those of ``PairKey`` (32 bits). The section's layout depends on the segment's format
/// version:
/// - version 4 (``PairCountsSerializer``): 32-bit keys, blocks of 64 entries in Rice and gamma
///   codes, index entries `FirstKey(u32) BlockOffset(u32) BlockCRC(u32)`, a 24-byte trailer;
/// - version 3: 40-bit keys, blocks of 32 `{ KeyDelta(varint) Count(varint) }` (the first delta from
///   0), index entries `FirstKey(u64) BlockOffset(u32) BlockCRC(u32)`, the same trailer;
/// - version 2: as version 3 without `BlockCRC` (12-byte index entries) and without `IndexCRC`
///   (a 20-byte trailer);
/// - version 1 has no PAIRS section: its reader is empty (every count 0).
///
/// A 40-bit key of versions 2 and 3 is read as its top 32 bits: the count of a 32-bit key is the
/// sum of the counts of the 40-bit keys that begin with it (what a merge into version 4 writes).
/// From version 3 on, the block index and trailer are checked against their CRC32C when the
/// reader is made (the segment is opened), and a block against its own before a lookup scans it:
/// every time, or once for a block of at least ``CheckedRegions/minimumLength`` bytes when the
/// reader remembers the blocks its lookups found right (the `checked` regions of its
/// initializer; a segment reader's does, for the lookups of query restoration). ``entries()``,
/// what merges and `tra verify` read, checks every block every time.
package struct PairCountsReader: @unchecked Sendable {
    private enum Layout {
        /// Versions 2 and 3: varints, 40-bit keys; `checksums` from version 3.
        case varint(checksums: Bool)
        /// Version 4: Rice and gamma codes, 32-bit keys.
        case bitCoded
    }

    private let bytes: UnsafeRawBufferPointer
    private let path: String
    /// The section's name, which every error names (PAIRS or TOKEN PAIRS: they share a layout).
    package let name: String
    private let sectionOffset: Int
    /// Entries stored (distinct keys of the segment's width).
    package let pairCount: Int
    private let blockCount: Int
    private let indexOffset: Int
    private let layout: Layout
    private let checksums: Bool
    private let entrySize: Int
    private let blockSize: Int
    /// Bits of the stored keys.
    private let keyBits: Int
    /// The blocks ``count(_:)`` found right, by file offset (nil: it checks every time).
    private let checked: CheckedRegions?

    /// An empty reader (a segment without the section).
    package init() {
        bytes = UnsafeRawBufferPointer(start: nil, count: 0)
        path = ""
        name = "PAIRS"
        sectionOffset = 0
        pairCount = 0
        blockCount = 0
        indexOffset = 0
        layout = .bitCoded
        checksums = false
        entrySize = PairCountsSerializer.indexEntrySize
        blockSize = PairCountsSerializer.blockSize
        keyBits = PairKey.bits
        checked = nil
    }

    /// Reads the trailer of the section `bytes` (at `sectionOffset` in `path`), written in format
    /// `version` (2 or later), and checks that the block index fits.
    ///
    /// - Parameter name: the section's name, for errors (``SegmentFile/Section/name``).
    /// - Parameter checked: where ``count(_:)`` remembers the blocks it found right, by offset in
    ///   the file (the file must not change while the reader lives); nil: it checks every time.
    package init(
        bytes: UnsafeRawBufferPointer, path: String, name: String = "PAIRS", sectionOffset: Int, version: UInt32,
        checked: CheckedRegions? = nil
    ) throws(IndexError) {
        let layout: Layout =
            version >= FormatVersion.bitCodedPairs
            ? .bitCoded : .varint(checksums: version >= FormatVersion.blockChecksums)
        switch layout {
        case .bitCoded:
            (checksums, entrySize, blockSize, keyBits) = (true, 12, PairCountsSerializer.blockSize, PairKey.bits)
        case .varint(let withChecksums):
            (checksums, entrySize, blockSize, keyBits) = (
                withChecksums, withChecksums ? 16 : 12, 32, PairKey.bitsBeforeVersion4
            )
        }
        let trailer = checksums ? PairCountsSerializer.trailerSize : 20
        guard bytes.count >= trailer else {
            throw .corrupt("\(name): section too short", file: path, offset: sectionOffset)
        }
        var reader = ByteReader(bytes, offset: bytes.count - trailer)
        guard let pairs = reader.readUInt64(), let blocks = reader.readUInt32(), let index = reader.readUInt64(),
            index <= UInt64(bytes.count - trailer),
            UInt64(blocks) * UInt64(entrySize) == UInt64(bytes.count - trailer) - index,
            pairs <= index * 8,
            (pairs + UInt64(blockSize) - 1) / UInt64(blockSize) == UInt64(blocks)
        else { throw .corrupt("\(name): bad trailer", file: path, offset: sectionOffset + bytes.count - trailer) }
        if checksums, let expected = reader.readUInt32() {
            let actual = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[Int(index)..<(bytes.count - 4)]))
            guard actual == expected else {
                throw .corrupt(
                    "\(name): block index checksum failed (expected \(SegmentFile.hex(expected)), actual "
                        + "\(SegmentFile.hex(actual)))", file: path, offset: sectionOffset + Int(index))
            }
        }
        self.layout = layout
        self.bytes = bytes
        self.path = path
        self.name = name
        self.sectionOffset = sectionOffset
        pairCount = Int(pairs)
        blockCount = Int(blocks)
        indexOffset = Int(index)
        self.checked = checked
    }

    @inline(__always)
    private func firstKey(ofBlock block: Int) -> UInt64 {
        let at = indexOffset + block * entrySize
        if case .bitCoded = layout {
            return UInt64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
        }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }

    @inline(__always)
    private func offset(ofBlock block: Int) -> Int {
        let at = indexOffset + block * entrySize + (keyBits == PairKey.bits ? 4 : 8)
        return Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
    }

    /// Entries in block `block`.
    private func entryCount(ofBlock block: Int) -> Int {
        block + 1 < blockCount ? blockSize : pairCount - blockSize * (blockCount - 1)
    }

    /// The byte range of block `block`, checked against its CRC32C (from version 3); with
    /// `remembering`, a block of ``CheckedRegions/minimumLength`` bytes or more only until it is
    /// found right once (``checked``).
    private func blockRange(_ block: Int, remembering: Bool) throws(IndexError) -> Range<Int> {
        let start = offset(ofBlock: block)
        let end = block + 1 < blockCount ? offset(ofBlock: block + 1) : indexOffset
        guard start < end, end <= indexOffset else {
            throw .corrupt(
                "\(name): bad block offset", file: path, offset: sectionOffset + indexOffset + block * entrySize)
        }
        let remembered = remembering && end - start >= CheckedRegions.minimumLength ? checked : nil
        if checksums, !(remembered?.contains(sectionOffset + start) ?? false) {
            let expected = UInt32(
                littleEndian: bytes.loadUnaligned(
                    fromByteOffset: indexOffset + block * entrySize + entrySize - 4, as: UInt32.self))
            let actual = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            guard actual == expected else {
                throw .corrupt(
                    "\(name): block checksum failed (expected \(SegmentFile.hex(expected)), actual "
                        + "\(SegmentFile.hex(actual)))", file: path, offset: sectionOffset + start)
            }
            remembered?.insert(sectionOffset + start)
        }
        return start..<end
    }

    /// Decodes block `block` entry by entry, in key order (keys as stored), until `body` returns
    /// false; throws on an entry that does not decode or breaks the order.
    private func scan(
        _ block: Int, remembering: Bool, _ body: (_ key: UInt64, _ count: UInt64) throws(IndexError) -> Bool
    ) throws(IndexError) {
        let range = try blockRange(block, remembering: remembering)
        let entries = entryCount(ofBlock: block)
        var key = firstKey(ofBlock: block)
        switch layout {
        case .bitCoded:
            let k = Int(bytes[range.lowerBound])
            var reader = BitReader(bytes, start: range.lowerBound + 1, end: range.upperBound)
            for i in 0..<entries {
                let at = sectionOffset + reader.position / 8
                if i > 0 {
                    guard k < 32, let gap = reader.readRice(k: k, bits: PairKey.bits), key + gap + 1 < 1 << 32 else {
                        throw .corrupt("\(name): bad key gap", file: path, offset: at)
                    }
                    key += gap + 1
                }
                guard let count = reader.readGamma() else {
                    throw .corrupt("\(name): bad count", file: path, offset: at)
                }
                guard try body(key, count) else { return }
            }
            guard reader.remaining < 8 else {
                throw .corrupt(
                    "\(name): \(reader.remaining / 8) bytes after the entries of block \(block)", file: path,
                    offset: sectionOffset + range.upperBound)
            }
        case .varint:
            var reader = ByteReader(
                UnsafeRawBufferPointer(rebasing: bytes[..<range.upperBound]), offset: range.lowerBound)
            var previous: UInt64 = 0
            for i in 0..<entries {
                let at = sectionOffset + reader.offset
                guard let delta = reader.readVarInt(), let count = reader.readVarInt(), count > 0, i == 0 || delta > 0
                else { throw .corrupt("\(name): bad entry", file: path, offset: at) }
                previous &+= delta
                guard i > 0 || previous == key else {
                    throw .corrupt("\(name): block index disagrees with block \(block)", file: path, offset: at)
                }
                guard previous < 1 << UInt64(keyBits) else {
                    throw .corrupt("\(name): key too large", file: path, offset: at)
                }
                guard try body(previous, count) else { return }
            }
            guard reader.remaining == 0 else {
                throw .corrupt(
                    "\(name): bytes after the entries of block \(block)", file: path,
                    offset: sectionOffset + reader.offset)
            }
        }
    }

    /// The count of `key` (a ``PairKey``; 0 when absent). Throws when a block that would hold it
    /// is damaged (from version 3; in version 2 a damaged block reads as absent and `tra verify`
    /// reports it).
    ///
    /// Keys are hashes, spread evenly over their range, so the block of a key is first guessed by
    /// interpolation and the guess widened until it brackets the key (a few neighbouring index
    /// entries, instead of a binary search over the whole index), then searched.
    ///
    /// - Complexity: O(log blocks + block size), expected O(log log blocks + block size).
    package func count(_ key: UInt64) throws(IndexError) -> UInt64 {
        guard key < 1 << UInt64(PairKey.bits) else { return 0 }
        // The stored keys that read as `key`.
        let shift = UInt64(keyBits - PairKey.bits)
        let low = key << shift
        let high = low | ((1 << shift) - 1)
        guard blockCount > 0, high >= firstKey(ofBlock: 0) else { return 0 }
        var block = self.block(holding: low)
        if case .bitCoded = layout { return try bitCodedCount(key, inBlock: block) }
        var total: UInt64 = 0
        var past = false
        while !past && block < blockCount {
            do {
                try scan(block, remembering: true) { stored, count throws(IndexError) in
                    if stored > high {
                        past = true
                        return false
                    }
                    if stored >= low { total &+= count }
                    return true
                }
            } catch {
                if checksums { throw error }
                return total
            }
            block += 1
            // A key's range spans blocks only in a version of 40-bit keys.
            if shift == 0 || (block < blockCount && firstKey(ofBlock: block) > high) { past = true }
        }
        return total
    }

    /// The count of `key` in block `block` of a version 4 section: ``scan(_:remembering:_:)``
    /// without the closure, for the lookups of query restoration. The codes are read a word at a
    /// time while a whole word of the block is left and a code fits in one (nearly all of them);
    /// the rest by ``BitReader``, with the same checks.
    private func bitCodedCount(_ key: UInt64, inBlock block: Int) throws(IndexError) -> UInt64 {
        let range = try blockRange(block, remembering: true)
        let k = Int(bytes[range.lowerBound])
        let entries = entryCount(ofBlock: block)
        var current = firstKey(ofBlock: block)
        var bit = (range.lowerBound + 1) * 8
        var i = 0
        if k < 32, let base = bytes.baseAddress {
            // A code of a gap below 2^32 has at most this many zeros before its one bit.
            let riceZeros = (1 << (PairKey.bits - k)) - 1
            let lowMask: UInt64 = (1 << UInt64(k)) &- 1
            // The last bit at which a word can be loaded without reading past the block.
            let lastWordBit = (range.upperBound - 8) * 8
            while i < entries && bit <= lastWordBit {
                if i > 0 {
                    let word = Self.word(base, at: bit)
                    let zeros = word.trailingZeroBitCount
                    let length = zeros + 1 + k
                    guard length <= 57 else { break }
                    guard zeros <= riceZeros else {
                        throw .corrupt("\(name): bad key gap", file: path, offset: sectionOffset + bit / 8)
                    }
                    bit += length
                    current += (UInt64(zeros) &<< UInt64(k) | (word &>> UInt64(zeros + 1)) & lowMask) + 1
                    if current > key { return 0 }
                }
                // Past the last whole word (then no bit is set: n is 64) or a code longer than a
                // word: the count is the first code the slow loop reads.
                let word = bit <= lastWordBit ? Self.word(base, at: bit) : 0
                let n = word.trailingZeroBitCount
                guard 2 * n + 1 <= 57 else {
                    return try bitCodedCountSlowly(
                        key, current: current, countFirst: true, entry: i, bit: bit, k: k, entries: entries,
                        end: range.upperBound)
                }
                bit += 2 * n + 1
                if current == key {
                    return UInt64(1) &<< UInt64(n) | (word &>> UInt64(n + 1)) & ((UInt64(1) &<< UInt64(n)) &- 1)
                }
                i += 1
            }
        }
        return try bitCodedCountSlowly(
            key, current: current, countFirst: i == 0, entry: i, bit: bit, k: k, entries: entries,
            end: range.upperBound)
    }

    /// The 64 bits from bit `bit` of `base` on, the first in the lowest bit (the top `bit % 8`
    /// zero): at least 57 of the stream's.
    @inline(__always)
    private static func word(_ base: UnsafeRawPointer, at bit: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self)) &>> UInt64(bit & 7)
    }

    /// ``bitCodedCount(_:inBlock:)`` from entry `entry` on, by ``BitReader``, at bit `bit`: the
    /// entry's count is next when `countFirst` (its key, `current`, read already), else its gap.
    private func bitCodedCountSlowly(
        _ key: UInt64, current start: UInt64, countFirst: Bool, entry: Int, bit: Int, k: Int, entries: Int, end: Int
    ) throws(IndexError) -> UInt64 {
        var reader = BitReader(bytes, bit: bit, end: end)
        var current = start
        var i = entry
        var gapNext = !countFirst
        while i < entries {
            if gapNext {
                guard k < 32, let gap = reader.readRice(k: k, bits: PairKey.bits) else {
                    throw .corrupt("\(name): bad key gap", file: path, offset: sectionOffset + reader.position / 8)
                }
                current += gap + 1
                if current > key { return 0 }
            }
            guard let count = reader.readGamma() else {
                throw .corrupt("\(name): bad count", file: path, offset: sectionOffset + reader.position / 8)
            }
            if current == key { return count }
            gapNext = true
            i += 1
        }
        return 0
    }

    /// The last block whose first key is at most `key` (0 when none is).
    private func block(holding key: UInt64) -> Int {
        guard key >= firstKey(ofBlock: 0) else { return 0 }
        let guess = min(Int(Double(key) / Double(UInt64(1) << UInt64(keyBits)) * Double(blockCount)), blockCount - 1)
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
        return low
    }

    /// Every entry in key order, keys as ``PairKey``s (the 40-bit keys of versions 2 and 3 cut to
    /// 32 bits, the counts of keys that become equal added up); throws on the first inconsistency
    /// (keys not increasing, a zero count, a block index entry that disagrees, counts that
    /// disagree with the trailer). What the merger reads and `tra verify` checks.
    package func entries() throws(IndexError) -> [(key: UInt64, count: UInt64)] {
        var result: [(key: UInt64, count: UInt64)] = []
        result.reserveCapacity(pairCount)
        var last: UInt64? = nil
        var stored = 0
        let shift = UInt64(keyBits - PairKey.bits)
        for block in 0..<blockCount {
            try scan(block, remembering: false) { key, count throws(IndexError) in
                guard count > 0 else {
                    throw .corrupt("\(name): zero count in block \(block)", file: path, offset: sectionOffset)
                }
                if let last, key <= last {
                    throw .corrupt("\(name): keys out of order in block \(block)", file: path, offset: sectionOffset)
                }
                last = key
                stored += 1
                let shortened = key >> shift
                if result.last?.key == shortened {
                    result[result.count - 1].count &+= count
                } else {
                    result.append((shortened, count))
                }
                return true
            }
        }
        guard stored == pairCount else {
            throw .corrupt(
                "\(name): \(stored) pairs, the trailer says \(pairCount)", file: path,
                offset: sectionOffset + indexOffset + blockCount * entrySize)
        }
        return result
    }
}
