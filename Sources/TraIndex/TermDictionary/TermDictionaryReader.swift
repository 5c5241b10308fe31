/// Reads the TERMS section: exact lookup by binary search over block first terms, then a scan of
/// one front-coded block; ordered iteration from any term for prefix ranges.
package struct TermDictionaryReader: Sendable {
    private let file: MappedFile
    private let section: Range<Int>
    /// Per block: the range of its first term in the mapped file, and its offset in the section.
    private let firstTerms: [Range<Int>]
    private let blockOffsets: [Int]
    private let blocksEnd: Int
    package let termCount: Int

    package init(file: MappedFile, section: Range<Int>) throws(IndexError) {
        self.file = file
        self.section = section
        let bytes = UnsafeRawBufferPointer(rebasing: file.bytes[section])
        let trailer = 20
        var reader = ByteReader(bytes, offset: bytes.count - trailer)
        guard bytes.count >= trailer, let termCount = reader.readUInt64(), let blockCount = reader.readUInt32(),
            let indexOffset = reader.readUInt64(), indexOffset <= UInt64(bytes.count - trailer),
            termCount <= UInt64(bytes.count), UInt64(blockCount) * 32 >= termCount,
            UInt64(blockCount) <= termCount
        else {
            throw .corrupt("term dictionary: bad trailer", file: file.path, offset: section.upperBound - trailer)
        }
        self.termCount = Int(termCount)
        blocksEnd = Int(indexOffset)
        reader = ByteReader(
            UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count - trailer)]), offset: Int(indexOffset))
        var firstTerms: [Range<Int>] = []
        var blockOffsets: [Int] = []
        firstTerms.reserveCapacity(Int(blockCount))
        for _ in 0..<blockCount {
            let entryStart = reader.offset
            guard let length = reader.readVarInt(limit: 1 << 16) else {
                throw .corrupt(
                    "term dictionary: bad block index", file: file.path, offset: section.lowerBound + entryStart)
            }
            let termStart = reader.offset
            guard reader.readBytes(length) != nil, let offset = reader.readVarInt(limit: Int(indexOffset)),
                offset > (blockOffsets.last ?? -1), blockOffsets.count > 0 || offset == 0
            else {
                throw .corrupt(
                    "term dictionary: bad block index", file: file.path, offset: section.lowerBound + entryStart)
            }
            firstTerms.append(section.lowerBound + termStart..<section.lowerBound + termStart + length)
            blockOffsets.append(offset)
        }
        self.firstTerms = firstTerms
        self.blockOffsets = blockOffsets
    }

    /// The information of `term`, nil if the segment does not have it.
    ///
    /// - Complexity: O(log blocks + block size × term length).
    package func lookup(_ term: UnsafeRawBufferPointer) throws(IndexError) -> TermInfo? {
        guard let block = blockFor(term) else { return nil }
        // The term, if present, is in the last block whose first term is <= term.
        var cursor = try TermCursor(dictionary: self, block: block)
        return try cursor.find(term)
    }

    /// A cursor positioned at the first term `>= term`.
    package func seek(_ term: UnsafeRawBufferPointer) throws(IndexError) -> TermCursor {
        var cursor = try TermCursor(dictionary: self, block: blockFor(term) ?? 0)
        try cursor.skip(before: term)
        return cursor
    }

    /// A cursor at the first term.
    package func cursor() throws(IndexError) -> TermCursor { try TermCursor(dictionary: self, block: 0) }

    /// The last block whose first term is `<= term`, nil if `term` sorts before every term.
    private func blockFor(_ term: UnsafeRawBufferPointer) -> Int? {
        var low = 0
        var high = firstTerms.count - 1
        guard high >= 0, Self.compare(firstTermBytes(0), term) <= 0 else { return nil }
        while low < high {
            let middle = (low + high + 1) / 2
            if Self.compare(firstTermBytes(middle), term) <= 0 { low = middle } else { high = middle - 1 }
        }
        return low
    }

    private func firstTermBytes(_ block: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: file.bytes[firstTerms[block]])
    }

    /// Byte-wise comparison: negative, zero or positive.
    @inline(__always)
    package static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        if common > 0, let pa = a.baseAddress, let pb = b.baseAddress {
            let result = memcmp(pa, pb, common)
            if result != 0 { return Int(result) }
        }
        return a.count - b.count
    }

    /// Iterates terms in order, decoding front-coded blocks.
    package struct TermCursor {
        private let dictionary: TermDictionaryReader
        private var reader: ByteReader
        private var block: Int
        private var indexInBlock = 0
        private var previousPostings = 0
        private var previousPositions = 0
        /// The term the last `next()` returned.
        package private(set) var term: [UInt8] = []

        init(dictionary: TermDictionaryReader, block: Int) throws(IndexError) {
            self.dictionary = dictionary
            self.block = block
            let bytes = UnsafeRawBufferPointer(rebasing: dictionary.file.bytes[dictionary.section])
            let blocks = UnsafeRawBufferPointer(rebasing: bytes[..<dictionary.blocksEnd])
            reader = ByteReader(
                blocks, offset: dictionary.blockOffsets.isEmpty ? blocks.count : dictionary.blockOffsets[block])
        }

        /// The next term's information, nil at the end; the term itself is then ``term``.
        package mutating func next() throws(IndexError) -> TermInfo? {
            guard reader.remaining > 0 else { return nil }
            let entry = try readEntry(sharedLimit: startEntry())
            term.removeSubrange(entry.shared...)
            term.append(contentsOf: entry.suffix)
            return entry.info
        }

        /// Before an entry is read: moves to the next block when the current one is full (its
        /// offsets are delta-coded from 0 again) and returns how many bytes the entry may share
        /// with ``term`` (none at a block's start).
        private mutating func startEntry() -> Int {
            if indexInBlock == TermDictionaryWriter.blockSize {
                indexInBlock = 0
                block += 1
            }
            if indexInBlock == 0 {
                previousPostings = 0
                previousPositions = 0
            }
            return indexInBlock == 0 ? 0 : term.count
        }

        /// Reads the next entry of the current block: how many leading bytes its term shares with
        /// the previous one (at most `sharedLimit`), the rest of its bytes, and its information.
        private mutating func readEntry(sharedLimit: Int) throws(IndexError) -> (
            shared: Int, suffix: UnsafeRawBufferPointer, info: TermInfo
        ) {
            let start = reader.offset
            guard let shared = reader.readVarInt(limit: sharedLimit),
                let suffixLength = reader.readVarInt(limit: 1 << 16), let suffix = reader.readBytes(suffixLength),
                let flagged = reader.readVarInt(limit: Int(UInt32.max) << 1 | 1), flagged >> 1 > 0,
                let extra = reader.readVarInt(limit: Int(Int32.max)),
                let postingsDelta = reader.readVarInt(limit: Int(Int32.max))
            else { throw corrupt(start) }
            let docFreq = flagged >> 1
            previousPostings += postingsDelta
            var positions: Int? = nil
            if flagged & 1 == 1 {
                guard let delta = reader.readVarInt(limit: Int(Int32.max)) else { throw corrupt(start) }
                previousPositions += delta
                positions = previousPositions
            }
            indexInBlock += 1
            let info = TermInfo(
                docFreq: docFreq, totalFreq: docFreq + extra, postingsOffset: previousPostings,
                positionsOffset: positions)
            return (shared, suffix, info)
        }

        /// Scans the rest of the current block for `target` without rebuilding its terms: a block
        /// is front-coded with the longest prefix each term shares with the one before (the
        /// section's checksum vouches for the bytes), so the length of the prefix the previous term
        /// shares with `target` decides most entries without looking at their bytes
        /// (``place(_:_:of:matched:)``).
        mutating func find(_ target: UnsafeRawBufferPointer) throws(IndexError) -> TermInfo? {
            // How many leading bytes the previous term shares with `target` (it sorts before it).
            var matched = 0
            var previousLength = 0
            let buffer = reader.buffer
            var offset = reader.offset
            while offset < buffer.count && indexInBlock < TermDictionaryWriter.blockSize {
                let entry = try rawEntry(buffer, &offset, previousLength: previousLength)
                previousPostings += entry.postingsDelta
                if let delta = entry.positionsDelta { previousPositions += delta }
                indexInBlock += 1
                previousLength = entry.shared + entry.suffixLength
                let place = Self.place(entry, buffer, of: target, matched: &matched)
                if place == .after { break }
                if place == .equal {
                    reader.offset = offset
                    return TermInfo(
                        docFreq: entry.docFreq, totalFreq: entry.docFreq + entry.extra,
                        postingsOffset: previousPostings,
                        positionsOffset: entry.positionsDelta == nil ? nil : previousPositions)
                }
            }
            reader.offset = offset
            return nil
        }

        /// An entry of the current block as stored: its term as the bytes it shares with the
        /// previous term and where the rest is in the section, its numbers (offsets as deltas).
        private struct RawEntry {
            let shared: Int
            let suffixStart: Int
            let suffixLength: Int
            let docFreq: Int
            let extra: Int
            let postingsDelta: Int
            /// Nil for a term without positions.
            let positionsDelta: Int?
        }

        /// Reads the entry at `offset` (moved past it) with the checks of
        /// ``readEntry(sharedLimit:)``, without building its term: most of its numbers take one
        /// byte, and only the entry a scan stops at becomes a `TermInfo`.
        @inline(__always)
        private func rawEntry(
            _ buffer: UnsafeRawBufferPointer, _ offset: inout Int, previousLength: Int
        ) throws(IndexError) -> RawEntry {
            let start = offset
            guard let shared = Self.number(buffer, &offset, limit: indexInBlock == 0 ? 0 : previousLength),
                let suffixLength = Self.number(buffer, &offset, limit: 1 << 16),
                buffer.count - offset >= suffixLength
            else { throw corrupt(start) }
            let suffixStart = offset
            offset += suffixLength
            guard let flagged = Self.number(buffer, &offset, limit: Int(UInt32.max) << 1 | 1), flagged >> 1 > 0,
                let extra = Self.number(buffer, &offset, limit: Int(Int32.max)),
                let postingsDelta = Self.number(buffer, &offset, limit: Int(Int32.max))
            else { throw corrupt(start) }
            var positionsDelta: Int? = nil
            if flagged & 1 == 1 {
                guard let delta = Self.number(buffer, &offset, limit: Int(Int32.max)) else { throw corrupt(start) }
                positionsDelta = delta
            }
            return RawEntry(
                shared: shared, suffixStart: suffixStart, suffixLength: suffixLength, docFreq: flagged >> 1,
                extra: extra, postingsDelta: postingsDelta, positionsDelta: positionsDelta)
        }

        private enum Place { case before, equal, after }

        /// Where `entry`'s term sorts against `target`, given that the previous term sorts before
        /// `target` and shares `matched` leading bytes with it (0 before a block's first entry).
        /// A term sharing fewer bytes with the previous one than that is larger than `target`, one
        /// sharing more is smaller; only a term sharing exactly `matched` bytes is compared byte
        /// by byte. `matched` becomes the entry's when it sorts before.
        @inline(__always)
        private static func place(
            _ entry: RawEntry, _ buffer: UnsafeRawBufferPointer, of target: UnsafeRawBufferPointer, matched: inout Int
        ) -> Place {
            if entry.shared < matched { return .after }
            if entry.shared > matched { return .before }
            var common = 0
            let rest = target.count - matched
            while common < entry.suffixLength && common < rest
                && buffer[entry.suffixStart + common] == target[matched + common]
            {
                common += 1
            }
            if common == entry.suffixLength && common == rest { return .equal }
            if common == rest
                || (common < entry.suffixLength && buffer[entry.suffixStart + common] > target[matched + common])
            {
                return .after
            }
            matched += common
            return .before
        }

        /// A LEB128 number no larger than `limit` at `offset` (moved past it), as
        /// ``ByteReader/readVarInt(limit:)`` reads it, one byte without the word-wise decoding.
        @inline(__always)
        private static func number(_ buffer: UnsafeRawBufferPointer, _ offset: inout Int, limit: Int) -> Int? {
            var value: UInt64
            if offset < buffer.count, buffer[offset] < 0x80 {
                value = UInt64(buffer[offset])
                offset += 1
            } else {
                var position = offset
                guard let read = VarInt.read(buffer, at: &position) else { return nil }
                value = read
                offset = position
            }
            return value <= UInt64(limit) ? Int(value) : nil
        }

        /// Advances so that the next call of `next()` returns the first term `>= target`, from the
        /// start of a block that holds that term or whose next block starts with it (where
        /// ``TermDictionaryReader/seek(_:)`` puts a new cursor). The block is scanned as
        /// ``find(_:)`` scans it, without rebuilding its terms (``place(_:_:of:matched:)``). Only
        /// the term before the one found, which `next()` builds on, is put together, once, from the
        /// suffixes read.
        mutating func skip(before target: UnsafeRawBufferPointer) throws(IndexError) {
            precondition(indexInBlock == 0 && term.isEmpty, "skip(before:) from a block's start")
            let blockSize = TermDictionaryWriter.blockSize
            // Per entry passed: the bytes it shares with the one before, and where its suffix is.
            var shares = InlineArray<32, Int>(repeating: 0)
            var suffixes = InlineArray<32, Int>(repeating: 0)
            precondition(blockSize <= shares.count, "term blocks larger than the scan's scratch")
            // How many leading bytes the previous term shares with `target` (it sorts before it).
            var matched = 0
            var previousLength = 0
            let buffer = reader.buffer
            var offset = reader.offset
            while offset < buffer.count && indexInBlock < blockSize {
                let start = offset
                let entry = try rawEntry(buffer, &offset, previousLength: previousLength)
                guard case .before = Self.place(entry, buffer, of: target, matched: &matched) else {
                    offset = start
                    break
                }
                shares[indexInBlock] = entry.shared
                suffixes[indexInBlock] = entry.suffixStart
                previousPostings += entry.postingsDelta
                if let delta = entry.positionsDelta { previousPositions += delta }
                indexInBlock += 1
                previousLength = entry.shared + entry.suffixLength
            }
            reader.offset = offset
            // The last term passed, from its suffix back to the first entry: each earlier suffix
            // gives the bytes between its own shared prefix and what is still missing.
            guard indexInBlock > 0 else { return }
            term = [UInt8](repeating: 0, count: previousLength)
            term.withUnsafeMutableBytes { bytes in
                guard let target = bytes.baseAddress, let source = buffer.baseAddress else { return }
                var missing = previousLength
                var entry = indexInBlock - 1
                while missing > 0 && entry >= 0 {
                    let shared = shares[entry]
                    if shared < missing {
                        (target + shared).copyMemory(from: source + suffixes[entry], byteCount: missing - shared)
                        missing = shared
                    }
                    entry -= 1
                }
            }
        }

        private func corrupt(_ offset: Int) -> IndexError {
            .corrupt(
                "term dictionary: bad term entry", file: dictionary.file.path,
                offset: dictionary.section.lowerBound + offset)
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
