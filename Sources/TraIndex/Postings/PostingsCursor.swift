/// Iterates one term's postings in a mapped segment: documents, frequencies and, for variant
/// terms, positions. Skips whole blocks with the skip data (``advance(to:)``) and exposes each
/// block's score bounds for top-k pruning.
///
/// Never traps on bad bytes: a decoding failure throws ``IndexError`` with the file and offset.
///
/// In format version 3 every byte the cursor reads is checked against a CRC32C before its value
/// is used, once per pass: a full block's header when it is first read (headers drive skipping,
/// so a damaged `LastDoc` cannot skip documents unseen), its data when the block is decoded (a
/// block skipped by its header is never checksummed further), the block's positions
/// when the first of them is read (a block whose positions are never asked for is never
/// checksummed), the tail when the cursor enters it, and the tail's positions when the first of
/// them is read.
package struct PostingsCursor {
    /// The document after the last one: returned by ``doc`` once the cursor is exhausted.
    package static let end = UInt32.max
    /// The first format version whose block headers hold a frontier; version 1 headers hold
    /// MaxFreq and MinNorm, read as a one-point frontier (MinNorm, MaxFreq) that bounds the same.
    package static let frontierVersion: UInt32 = 2

    private let path: String
    private var postings: ByteReader
    private var positionsReader: ByteReader?
    private let sectionOffset: Int
    private let positionsSectionOffset: Int
    private let docFreq: Int
    /// Version 1 block headers: `MaxFreq MinNorm` instead of a frontier.
    private let singlePointBlockBounds: Bool
    /// Version 3: blocks, the tail and their positions carry CRC32Cs.
    private let checksums: Bool
    /// Whether the checksums are compared with the bytes they cover (``checksums`` says whether the
    /// layout has them). Only the fuzzer turns this off, so that damaged bytes reach the decoders.
    private let verifies: Bool
    /// The segment's regions already found right by a search (``CheckedRegions``): nil for
    /// `tra verify` and merges, which check every region they read. Owned by the reader, which
    /// outlives its cursors (as its mapping does), so seen through a pointer.
    private let remembered: CheckedRegions.View?
    /// Version 5: positions in chunks of exponential-Golomb codes (before, varints).
    private let bitCodedPositions: Bool
    /// The term's frontier (version 6, a term with a full block): its checksum, the bytes it
    /// covers, and where its points start and how many there are.
    private var termFrontier: (crc: UInt32, covered: Range<Int>, offset: Int, count: Int)? = nil
    /// The current chunk of positions once the first of them was asked for (version 5), see
    /// ``chunkOpen``. Not an optional: the generic code of an optional struct costs a metadata
    /// lookup per read.
    private var chunk = PositionChunkReader()
    private var chunkOpen = false
    /// The number of positions of the current block, or of the tail.
    private var chunkCount = 0
    /// Where the term's postings start, and the length of its `BlockCount` varint (covered by the
    /// tail's checksum).
    private let termStart: Int
    private var blockCountLength = 0
    private var tailChecked = false
    /// The offset of the last block whose checksum was checked: a block is peeked at again when
    /// ``advance(to:)`` stops before it, and checked only once.
    private var checkedBlock = -1
    /// The positions of the current block (or of the tail) not yet checked against their CRC32C:
    /// where they start, their length (nil in the tail: `count` varints) and the expected CRC.
    private var uncheckedPositions: (start: Int, length: Int?, count: Int, crc: UInt32)? = nil
    private var blocksLeft: Int
    /// The term's full blocks (``blocksLeft`` before the first move).
    private let blockCount: Int
    private var tailLeft: Int
    /// The term's block headers read once (``useSkips(_:)``): ``advance(to:)`` jumps by them.
    private var skips: BlockSkips? = nil
    /// The current block's documents and frequencies: allocated by the first block decoded (a
    /// cursor that only reads headers, or a list with only a tail, never needs them).
    private var docs: [UInt32] = []
    private var freqs: [UInt32] = []
    /// The current block's packed frequencies not yet unpacked into ``freqs``: where they start in
    /// the postings and their width (below 32). A cursor that visits a few documents of a block
    /// (a probe of MaxScore, the rescoring of a window) takes each one's frequency from the packed
    /// bits (``blockFrequency(at:)``); a run over the block, or positions, unpack them all
    /// (``unpackFrequencies()``).
    private var packedFreqs = (offset: 0, bitWidth: 0)
    private var freqsPacked = false
    private var index = 0
    private var count = 0
    private var previousDoc: Int64 = -1
    private var previousBlockLast: Int64 = -1
    /// Where the positions of the next block start.
    private var blockPositionsEnd = 0
    private var inBlock = false
    /// Position codes of the current document not yet consumed. In a full block, kept up to date
    /// only by ``settlePositions()``: moving through a decoded block does not count positions.
    private var unreadPositions = 0
    /// Position codes of earlier documents of the current block (or of the tail) that were passed
    /// without being read: skipped only when positions are asked for, so a search that never asks
    /// for them in a block jumps over the block's positions at once.
    private var positionsToSkip = 0
    /// In a full block: the first document (an index into the block) whose positions were neither
    /// read nor counted into ``positionsToSkip``. The documents from it to the current one are
    /// counted when positions are asked for (``settlePositions()``), so that moving and seeking
    /// in a block, which most documents only do, never adds up frequencies.
    private var positionsFrom = 0

    /// The current document, ``end`` when exhausted (and before the first ``next()``: see ``started``).
    package private(set) var doc: UInt32 = PostingsCursor.end
    /// The current document's frequency.
    package private(set) var freq: UInt32 = 0
    /// The last document of the current block.
    package private(set) var blockLastDoc: UInt32 = 0
    /// Where the current block's frontier points start in the postings, and how many there are.
    private var blockFrontier = (offset: 0, count: 0)
    /// Whether the cursor is in a full block, so ``blockLastDoc`` and ``blockMaximum(_:)`` bound
    /// the documents from ``doc`` to ``blockLastDoc`` (false in the tail).
    package var isInBlock: Bool { inBlock && doc != Self.end }

    /// The largest `score(length, freq)` over the current block's frontier: for a score that grows
    /// with the frequency and shrinks with the field length, the largest any document of the block
    /// can get. Only meaningful when ``isInBlock``.
    @inline(__always)
    package func blockMaximum(_ score: (_ norm: UInt32, _ freq: UInt32) -> Double) -> Double {
        Self.frontierMaximum(postings.buffer, blockFrontier, singlePointBlockBounds, score)
    }

    /// In a full block: its last document and ``blockMaximum(_:)``; nil otherwise (in the tail,
    /// or exhausted). Mutating only so that a call on a cursor inside an array works in place (a
    /// non-mutating call copied the whole cursor, arrays retained, for every block bound).
    @inline(__always)
    package mutating func blockBound(_ score: (_ norm: UInt32, _ freq: UInt32) -> Double) -> (
        lastDoc: UInt32, maximum: Double
    )? {
        guard isInBlock else { return nil }
        return (blockLastDoc, blockMaximum(score))
    }

    package init(
        path: String, postings: UnsafeRawBufferPointer, postingsSectionOffset: Int, positions: UnsafeRawBufferPointer?,
        positionsSectionOffset: Int, info: TermInfo, singlePointBlockBounds: Bool = false, checksums: Bool = false,
        bitCodedPositions: Bool = true, termFrontiers: Bool = true, verifyingChecksums: Bool = true,
        remembering remembered: CheckedRegions? = nil
    ) throws(IndexError) {
        self.path = path
        self.verifies = verifyingChecksums
        self.remembered = remembered?.view
        self.bitCodedPositions = bitCodedPositions
        self.singlePointBlockBounds = singlePointBlockBounds
        self.checksums = checksums
        self.termStart = info.postingsOffset
        self.sectionOffset = postingsSectionOffset
        self.positionsSectionOffset = positionsSectionOffset
        self.docFreq = info.docFreq
        self.postings = ByteReader(postings, offset: info.postingsOffset)
        if let positions, let offset = info.positionsOffset { positionsReader = ByteReader(positions, offset: offset) }
        guard info.postingsOffset <= postings.count,
            let blocks = self.postings.readVarInt(limit: info.docFreq / PostingsSerializer.blockSize),
            blocks == info.docFreq / PostingsSerializer.blockSize
        else {
            throw .corrupt("postings: bad block count", file: path, offset: postingsSectionOffset + info.postingsOffset)
        }
        blocksLeft = blocks
        blockCount = blocks
        tailLeft = info.docFreq - blocks * PostingsSerializer.blockSize
        blockCountLength = self.postings.offset - info.postingsOffset
        if termFrontiers && blocks > 0 {
            // Passed here, its points read (and its checksum checked) by termMaximum(_:).
            let at = self.postings.offset
            guard let crc = self.postings.readUInt32(),
                let count = self.postings.readVarInt(limit: PostingsSerializer.maximumFrontier), count >= 1
            else {
                throw .corrupt("postings: bad term frontier", file: path, offset: postingsSectionOffset + at)
            }
            let offset = self.postings.offset
            guard self.postings.skipVarInts(2 * count) else {
                throw .corrupt("postings: bad term frontier", file: path, offset: postingsSectionOffset + at)
            }
            termFrontier = (crc, (at + 4)..<self.postings.offset, offset, count)
        }
    }

    /// The largest `score(length, freq)` over the term's frontier (format version 6, a term with a
    /// full block): for a score that grows with the frequency and shrinks with the field length,
    /// the largest any document of the term can get, read without the block headers and the tail.
    /// Nil when the term has no frontier of its own (an earlier version, or only a tail): then
    /// ``scanBounds(block:blockMaximum:tail:)`` gives it. Checks the frontier's checksum.
    package func termMaximum(_ score: (_ norm: UInt32, _ freq: UInt32) -> Double) throws(IndexError) -> Double? {
        guard let frontier = termFrontier else { return nil }
        try check(
            postings.buffer, sectionOffset, frontier.covered, frontier.crc, "postings: term frontier",
            sectionOffset + frontier.covered.lowerBound - 4)
        return Self.frontierMaximum(postings.buffer, (frontier.offset, frontier.count), false, score)
    }

    /// The points of the term's frontier, (field length, frequency), shortest first, checked
    /// against its checksum; nil when the term has none (for verification).
    package func termFrontierPoints() throws(IndexError) -> [(norm: UInt32, freq: UInt32)]? {
        var points: [(norm: UInt32, freq: UInt32)] = []
        let maximum = try termMaximum { norm, freq in
            points.append((norm, freq))
            return 0
        }
        return maximum == nil ? nil : points
    }

    /// Moves to the next document; false when there is none.
    @inline(__always)
    package mutating func next() throws(IndexError) -> Bool {
        index += 1
        if index < count {
            // In a block: its positions are counted when asked for (``settlePositions()``).
            doc = docs[index]
            freq = blockFrequency(at: index)
            return true
        }
        // In the tail, entries are read one by one: the positions passed are counted as they go.
        positionsToSkip &+= unreadPositions
        unreadPositions = 0
        return try load()
    }

    /// Moves to the first document `>= target` (from the current one on); false when there is none.
    package mutating func advance(to target: UInt32) throws(IndexError) -> Bool {
        if doc != Self.end && doc >= target { return true }
        // Skip the rest of the current block when its last document is before the target.
        if inBlock && blockLastDoc < target {
            index = count
            try leaveBlock()
        }
        if let skips {
            if blocksLeft > 0 && !inBlock { jump(skips, before: target) }
        } else {
            while blocksLeft > 0 && !inBlock {
                guard let header = try peekBlockHeader(), header.lastDoc < target else { break }
                try skipBlock(header)
            }
        }
        if !inBlock {
            // Into the block that holds the target (its last document is not before it), or the tail.
            guard try next() else { return false }
            if doc >= target { return true }
        }
        if inBlock && seekInBlock(target) { return true }
        while try next() {
            if doc >= target { return true }
        }
        return false
    }

    /// In a full block, from a current document before `target`: moves to the block's first
    /// document `>= target`, as calls to ``next()`` would: past whole groups of eight documents
    /// (aligned as the packed block's) by their last documents, then one document at a time.
    /// False, without moving, when the block has none.
    @inline(__always)
    private mutating func seekInBlock(_ target: UInt32) -> Bool {
        let end = count
        var i = index + 1
        docs.withUnsafeBufferPointer { docs in
            while (i | 7) < end && docs[i | 7] < target { i = (i | 7) + 1 }
            while i < end && docs[i] < target { i += 1 }
        }
        guard i < end else { return false }
        index = i
        doc = docs[i]
        freq = blockFrequency(at: i)
        return true
    }

    /// Hands `scan` the documents and frequencies of the current block from the current document
    /// on (both empty outside a full block) and returns what it returns: how many of them to move
    /// past with ``moveInBlock(by:)``. For a caller that tests many documents in a row, a loop
    /// over the decoded block instead of a call to ``next()`` each. Mutating only so that a call on
    /// a cursor inside an array works in place (a non-mutating one copied the whole cursor).
    package mutating func scanBlock(
        _ scan: (_ docs: UnsafeBufferPointer<UInt32>, _ freqs: UnsafeBufferPointer<UInt32>) -> Int
    ) -> Int {
        guard isInBlock, index < count else {
            return scan(UnsafeBufferPointer(start: nil, count: 0), UnsafeBufferPointer(start: nil, count: 0))
        }
        unpackFrequencies()
        return docs.withUnsafeBufferPointer { docs in
            freqs.withUnsafeBufferPointer { freqs in
                scan(
                    UnsafeBufferPointer(rebasing: docs[index..<count]),
                    UnsafeBufferPointer(rebasing: freqs[index..<count]))
            }
        }
    }

    /// Moves `steps` documents forward within the current block, as many ``next()`` calls would;
    /// `steps` must leave the cursor inside the block (fewer than ``scanBlock(_:)`` handed over).
    package mutating func moveInBlock(by steps: Int) {
        guard steps > 0 else { return }
        precondition(isInBlock && index + steps < count, "moveInBlock past the block's end")
        // The positions of the documents passed are counted when positions are next asked for.
        index += steps
        doc = docs[index]
        freq = blockFrequency(at: index)
    }

    /// Hands `body` every document before `end`, from the current one on, with its frequency, and
    /// moves past them as calls to ``next()`` would: a decoded block's run at a time (a tail's
    /// documents one at a time). For a caller that reads every document of a range (term-at-a-time
    /// scoring), a call per block rather than per document. Stops on the first document at or
    /// after `end` (or exhausted).
    @inline(__always)
    package mutating func forEachRun(
        before end: UInt32,
        _ body: (_ docs: UnsafeBufferPointer<UInt32>, _ freqs: UnsafeBufferPointer<UInt32>) -> Void
    ) throws(IndexError) {
        while doc < end {
            guard isInBlock && index < count else {
                // A tail document (entries are read one by one there).
                let (d, f) = (doc, freq)
                withUnsafePointer(to: d) { d in
                    withUnsafePointer(to: f) { f in
                        body(UnsafeBufferPointer(start: d, count: 1), UnsafeBufferPointer(start: f, count: 1))
                    }
                }
                _ = try next()
                continue
            }
            let start = index
            let blockEnd = count
            unpackFrequencies()
            // The block's last document is before `end`: all of it; else up to the first at or
            // after `end` (which exists, so the run stops inside the block).
            let stop =
                blockLastDoc < end
                ? blockEnd
                : docs.withUnsafeBufferPointer { docs in
                    var i = start
                    while i < blockEnd && docs[i] < end { i += 1 }
                    return i
                }
            docs.withUnsafeBufferPointer { docs in
                freqs.withUnsafeBufferPointer { freqs in
                    body(
                        UnsafeBufferPointer(rebasing: docs[start..<stop]),
                        UnsafeBufferPointer(rebasing: freqs[start..<stop]))
                }
            }
            if stop < blockEnd {
                moveInBlock(by: stop - start)
                return
            }
            // Onto the block's last document, then past it (out of the block, as next() leaves it).
            moveInBlock(by: blockEnd - 1 - start)
            _ = try next()
        }
    }

    /// The frequency in `target`, 0 when the term is not there; moves to `target` when before it
    /// (a mutating call through an optional cursor works in place, where reading its `doc` and
    /// `freq` copied it).
    @inline(__always)
    package mutating func frequency(at target: UInt32) throws(IndexError) -> UInt32 {
        if doc < target { _ = try advance(to: target) }
        return doc == target ? freq : 0
    }

    /// The positions of the current document, ascending (empty for folded terms).
    package mutating func positions() throws(IndexError) -> [UInt32] {
        var result: [UInt32] = []
        try positions(into: &result)
        return result
    }

    /// ``positions()`` into `result`, replacing its contents (its storage is reused when it is
    /// not shared: a caller that reads document after document allocates once).
    package mutating func positions(into result: inout [UInt32]) throws(IndexError) {
        guard bitCodedPositions, positionsReader != nil else {
            result.removeAll(keepingCapacity: true)
            return try appendPositions(to: &result)
        }
        settlePositions()
        // Resized to the document's positions, which the read then writes over: emptying it and
        // appending room each went through the generic replacement of a range of the array.
        let count = unreadPositions
        if result.count > count {
            result.removeLast(result.count - count)
        } else if result.count < count {
            result.append(contentsOf: repeatElement(0, count: count - result.count))
        }
        try result.withUnsafeMutableBufferPointer { (out) throws(IndexError) in try chunkPositions(into: out) }
    }

    /// The positions of the current document appended to `result` (a syllable's positions gather
    /// those of its variant terms).
    package mutating func appendPositions(to result: inout [UInt32]) throws(IndexError) {
        settlePositions()
        if let check = uncheckedPositions {
            try checkPositions(check)
            uncheckedPositions = nil
        }
        guard var reader = positionsReader else { return }
        if bitCodedPositions {
            let first = result.count
            result.append(contentsOf: repeatElement(0, count: unreadPositions))
            return try result.withUnsafeMutableBufferPointer { (out) throws(IndexError) in
                try chunkPositions(into: UnsafeMutableBufferPointer(rebasing: out[first...]))
            }
        }
        result.reserveCapacity(result.count + unreadPositions)
        // The positions of the documents passed since the last read: counted, not decoded.
        guard reader.skipVarInts(positionsToSkip) else {
            throw .corrupt("positions: truncated", file: path, offset: positionsSectionOffset + reader.offset)
        }
        positionsToSkip = 0
        var position: UInt64 = 0
        for _ in 0..<unreadPositions {
            guard let gap = reader.readVarInt(), gap <= UInt64(UInt32.max) - position else {
                throw .corrupt("positions: bad position", file: path, offset: positionsSectionOffset + reader.offset)
            }
            position += gap
            result.append(UInt32(position))
        }
        unreadPositions = 0
        positionsFrom = index + 1
        positionsReader = reader
    }

    /// In a full block, counts the positions of the documents passed since positions were last
    /// read or counted into ``positionsToSkip``, and sets ``unreadPositions`` to the current
    /// document's (0 once they were read). Outside a block, both are kept up to date as the
    /// cursor moves.
    @inline(__always)
    private mutating func settlePositions() {
        guard inBlock, index < count else { return }
        // The block's number of positions (``chunkCount``) comes with its frequencies.
        unpackFrequencies()
        if positionsFrom > index {
            unreadPositions = 0
            return
        }
        var passed = 0
        for k in positionsFrom..<index { passed &+= Int(freqs[k]) }
        positionsToSkip &+= passed
        unreadPositions = Int(freq)
        positionsFrom = index
    }

    /// The positions of the current document (as many as `out` holds: ``unreadPositions``) from
    /// its ``PositionChunk`` (version 5) into `out`.
    @inline(__always)
    private mutating func chunkPositions(into out: UnsafeMutableBufferPointer<UInt32>) throws(IndexError) {
        if let check = uncheckedPositions {
            try checkPositions(check)
            uncheckedPositions = nil
        }
        guard let reader = positionsReader else { return }
        if !chunkOpen {
            let opened =
                inBlock
                ? PositionChunkReader(reader.buffer, start: reader.offset, end: blockPositionsEnd, count: chunkCount)
                : PositionChunkReader(
                    reader.buffer, start: reader.offset, limit: reader.buffer.count, count: chunkCount)
            guard let opened else {
                throw .corrupt("positions: bad chunk", file: path, offset: positionsSectionOffset + reader.offset)
            }
            chunk = opened
            chunkOpen = true
        }
        var codes = chunk
        guard codes.skip(positionsToSkip), codes.read(into: out) else {
            throw .corrupt("positions: bad chunk", file: path, offset: positionsSectionOffset + reader.offset)
        }
        positionsToSkip = 0
        unreadPositions = 0
        positionsFrom = index + 1
        chunk = codes
    }

    /// The current block's frontier points, (field length, frequency), shortest first (for
    /// verification). Only meaningful when ``isInBlock``.
    package func blockFrontierPoints() -> [(norm: UInt32, freq: UInt32)] {
        var points: [(norm: UInt32, freq: UInt32)] = []
        _ = Self.frontierMaximum(postings.buffer, blockFrontier, singlePointBlockBounds) { norm, freq in
            points.append((norm, freq))
            return 0
        }
        return points
    }

    /// Reads the cursor's skip data to the end, for score bounds: `block` gets each full block's
    /// largest score over its frontier (from its header, without decoding it), `tail` each document
    /// and frequency of the tail. Consumes the cursor.
    package mutating func scanBounds(
        block score: (_ norm: UInt32, _ freq: UInt32) -> Double, blockMaximum: (Double) -> Void,
        tail: (_ doc: UInt32, _ freq: UInt32) -> Void
    ) throws(IndexError) {
        if let skips {
            // The frontiers of the headers the table holds, checked when it was read.
            for header in skips.entries[(blockCount - blocksLeft)...] {
                blockMaximum(Self.frontierMaximum(postings.buffer, header.frontier, singlePointBlockBounds, score))
            }
            jump(skips, before: PostingsCursor.end)
        }
        while blocksLeft > 0 {
            guard let header = try peekBlockHeader() else { break }
            blockMaximum(Self.frontierMaximum(postings.buffer, header.frontier, singlePointBlockBounds, score))
            try skipBlock(header)
        }
        while tailLeft > 0, try load() { tail(doc, freq) }
    }

    /// Reads the header of every full block of the term once, checking each against its CRC32C,
    /// into a table that cursors over the same postings jump by (``useSkips(_:)``) instead of
    /// reading the headers on their way again. The cursor itself does not move: call it before
    /// the first ``next()`` or ``advance(to:)``.
    package func readSkips() throws(IndexError) -> BlockSkips {
        precondition(blocksLeft == blockCount && !inBlock && doc == Self.end, "readSkips on a cursor that moved")
        var probe = self
        var entries = ContiguousArray<BlockHeader>()
        entries.reserveCapacity(blockCount)
        while probe.blocksLeft > 0 {
            guard var header = try probe.peekBlockHeader() else { break }
            header.positionsStart = probe.positionsReader?.offset ?? 0
            entries.append(header)
            try probe.skipBlock(header)
        }
        return BlockSkips(
            entries: entries, tail: probe.postings.offset, tailPositions: probe.positionsReader?.offset ?? 0,
            termStart: termStart)
    }

    /// Lets ``advance(to:)`` and ``scanBounds(block:blockMaximum:tail:)`` go by `skips`, the table
    /// ``readSkips()`` read for this term (ignored when it is another term's).
    package mutating func useSkips(_ skips: BlockSkips) {
        guard skips.termStart == termStart && skips.entries.count == blockCount else { return }
        self.skips = skips
    }

    /// Between blocks: moves past the full blocks whose last document is before `target`, as
    /// ``skipBlock(_:)`` on each of their headers would, by a search in `skips`
    /// (``BlockSkips/firstBlock(from:endingAtOrAfter:)``).
    private mutating func jump(_ skips: BlockSkips, before target: UInt32) {
        let first = blockCount - blocksLeft
        let low = skips.firstBlock(from: first, endingAtOrAfter: target)
        guard low > first else { return }
        let entries = skips.entries
        let last = entries[low - 1].lastDoc
        postings.offset = low < entries.count ? entries[low].start : skips.tail
        if var reader = positionsReader {
            reader.offset = low < entries.count ? entries[low].positionsStart : skips.tailPositions
            positionsReader = reader
        }
        previousBlockLast = Int64(last)
        previousDoc = Int64(last)
        blockLastDoc = last
        blocksLeft = entries.count - low
    }

    // MARK: Decoding

    struct BlockHeader: Sendable {
        var lastDoc: UInt32
        var length: Int
        /// Offset and point count of the frontier (its bytes checked when the header was read).
        var frontier: (offset: Int, count: Int)
        var positionsLength: Int
        /// The CRC32C of the block's positions and of its data (version 3).
        var positionsCRC: UInt32
        var dataCRC: UInt32
        /// Where the block starts.
        var start: Int
        /// Where the packed data starts.
        var dataOffset: Int
        /// Where the block's positions start (in a ``BlockSkips`` table; 0 otherwise).
        var positionsStart = 0
    }

    private mutating func load() throws(IndexError) -> Bool {
        if inBlock { try leaveBlock() }
        if blocksLeft > 0 {
            guard let header = try peekBlockHeader() else { return finish() }
            try decodeBlock(header)
            return true
        }
        if tailLeft > 0 {
            if blocksLeft == 0 && checksums && !tailChecked { try checkTail() }
            let at = postings.offset
            guard let value = postings.readVarInt() else { throw corrupt("postings: truncated tail", at) }
            // (A gap past UInt32.max, which the sum below would overflow with, is no document's.)
            guard value >> 1 <= UInt64(UInt32.max) else { throw corrupt("postings: document number overflow", at) }
            let gap = Int64(value >> 1)
            var frequency: UInt64 = 1
            if value & 1 == 0 {
                guard let read = postings.readVarInt(), read > 1, read <= UInt64(UInt32.max) else {
                    throw corrupt("postings: bad frequency", at)
                }
                frequency = read
            }
            let next = previousDoc + gap + 1
            guard next < Int64(UInt32.max) else { throw corrupt("postings: document number overflow", at) }
            previousDoc = next
            tailLeft -= 1
            doc = UInt32(next)
            freq = UInt32(frequency)
            unreadPositions = Int(freq)
            count = 0
            index = 0
            blockLastDoc = doc
            return true
        }
        return finish()
    }

    private mutating func finish() -> Bool {
        doc = Self.end
        freq = 0
        count = 0
        index = 0
        return false
    }

    private mutating func peekBlockHeader() throws(IndexError) -> BlockHeader? {
        // A table's header was read and checked when the table was.
        if let skips { return skips.entries[blockCount - blocksLeft] }
        var reader = postings
        let at = reader.offset
        var headerCRC: UInt32 = 0
        if checksums {
            guard let crc = reader.readUInt32() else { throw corrupt("postings: bad block header", at) }
            headerCRC = crc
        }
        // (A gap past UInt32.max is no block's: refused before it is added, which would trap.)
        guard let lastGap = reader.readVarInt(), lastGap >= 1, lastGap <= UInt64(UInt32.max),
            let length = reader.readVarInt(limit: reader.remaining)
        else { throw corrupt("postings: bad block header", at) }
        var frontierOffset = reader.offset
        var pointCount = 1
        if singlePointBlockBounds {
            guard let maxFreq = reader.readVarInt(), let minNorm = reader.readVarInt(), maxFreq >= 1,
                maxFreq <= UInt64(UInt32.max), minNorm <= UInt64(UInt32.max)
            else { throw corrupt("postings: bad block header", at) }
        } else {
            // Frontier points: passed here, read when a bound is asked for. Their bytes are
            // covered by the header's checksum (checked below), and `tra verify` compares each
            // frontier with the one its block's documents give. Checking here that the points
            // increase cost about 5 % of a question's instructions: every header of a query's
            // terms is read for its block table.
            guard let count = reader.readVarInt(limit: PostingsSerializer.maximumFrontier), count >= 1 else {
                throw corrupt("postings: bad block frontier", at)
            }
            pointCount = count
            frontierOffset = reader.offset
            guard reader.skipVarInts(2 * count) else { throw corrupt("postings: bad block frontier", at) }
        }
        var positionsLength = 0
        var positionsCRC: UInt32 = 0
        if positionsReader != nil {
            guard let value = reader.readVarInt(limit: Int(UInt32.max)) else {
                throw corrupt("postings: bad block header", at)
            }
            positionsLength = value
            if checksums {
                guard let crc = reader.readUInt32() else { throw corrupt("postings: bad block header", at) }
                positionsCRC = crc
            }
        }
        var dataCRC: UInt32 = 0
        if checksums {
            guard let crc = reader.readUInt32() else { throw corrupt("postings: bad block header", at) }
            dataCRC = crc
        }
        let last = previousBlockLast + Int64(lastGap)
        guard last < Int64(UInt32.max), length <= reader.remaining else {
            throw corrupt("postings: bad block header", at)
        }
        if checksums && checkedBlock != at {
            // The header was parsed with bounds checks only: its values are used once its
            // checksum matches.
            try check(
                postings.buffer, sectionOffset, at + 4..<reader.offset, headerCRC, "postings: block header",
                sectionOffset + at)
            checkedBlock = at
        }
        return BlockHeader(
            lastDoc: UInt32(last), length: length,
            frontier: (frontierOffset, pointCount),
            positionsLength: positionsLength, positionsCRC: positionsCRC, dataCRC: dataCRC, start: at,
            dataOffset: reader.offset)
    }

    /// Checks the tail's checksum as the cursor enters it (covering `BlockCount` too) and notes
    /// the checksum of its positions; moves past the checksums to the first tail entry.
    private mutating func checkTail() throws(IndexError) {
        tailChecked = true
        let at = postings.offset
        guard let tailCRC = postings.readUInt32() else { throw corrupt("postings: truncated tail", at) }
        let start = postings.offset
        var positionsCRC: UInt32 = 0
        if positionsReader != nil {
            guard let crc = postings.readUInt32() else { throw corrupt("postings: truncated tail", at) }
            positionsCRC = crc
        }
        // The tail's extent (and its total frequency, the number of its positions) by a first pass.
        var reader = postings
        var positionCount = 0
        for _ in 0..<tailLeft {
            guard let value = reader.readVarInt() else { throw corrupt("postings: truncated tail", at) }
            var frequency: UInt64 = 1
            if value & 1 == 0 {
                guard let read = reader.readVarInt(), read <= UInt64(UInt32.max) else {
                    throw corrupt("postings: bad frequency", at)
                }
                frequency = read
            }
            positionCount += Int(frequency)
        }
        // The entries are the tail's region in the file (its checksum also covers `BlockCount`).
        let remembered = reader.offset - start >= CheckedRegions.minimumLength ? self.remembered : nil
        if verifies && !(remembered?.contains(sectionOffset + start) ?? false) {
            let buffer = postings.buffer
            var crc = CRC32C.checksum(
                UnsafeRawBufferPointer(rebasing: buffer[termStart..<termStart + blockCountLength]))
            crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buffer[start..<reader.offset]), seed: crc)
            guard crc == tailCRC else {
                throw .corrupt(
                    "postings: tail checksum failed (expected \(SegmentFile.hex(tailCRC)), actual \(SegmentFile.hex(crc)))",
                    file: path, offset: sectionOffset + at)
            }
            remembered?.insert(sectionOffset + start)
        }
        if let reader = positionsReader {
            uncheckedPositions = (reader.offset, nil, positionCount, positionsCRC)
        }
        chunkCount = positionCount
    }

    /// Checks positions noted by ``decodeBlock(_:)`` or ``checkTail()`` before the first of them
    /// is read. A tail's chunk (version 5), opened to find its end, is kept open for the reads.
    private mutating func checkPositions(_ positions: (start: Int, length: Int?, count: Int, crc: UInt32))
        throws(IndexError)
    {
        guard let buffer = positionsReader?.buffer else { return }
        var end = positions.start
        var tailChunk: PositionChunkReader? = nil
        if let length = positions.length {
            end += length
        } else if bitCodedPositions {
            tailChunk = PositionChunkReader(buffer, start: positions.start, limit: buffer.count, count: positions.count)
            guard let tailChunk else {
                throw .corrupt("positions: bad chunk", file: path, offset: positionsSectionOffset + positions.start)
            }
            end = tailChunk.end
        } else {
            var reader = ByteReader(buffer, offset: positions.start)
            guard reader.skipVarInts(positions.count) else {
                throw .corrupt("positions: truncated", file: path, offset: positionsSectionOffset + reader.offset)
            }
            end = reader.offset
        }
        guard positions.start >= 0, end <= buffer.count else {
            throw .corrupt(
                "positions: block past the end", file: path, offset: positionsSectionOffset + positions.start)
        }
        try check(
            buffer, positionsSectionOffset, positions.start..<end, positions.crc, "positions: block",
            positionsSectionOffset + positions.start)
        if let tailChunk {
            chunk = tailChunk
            chunkOpen = true
        }
    }

    /// Compares the CRC32C of `range` of `buffer` (which starts at `base` in the file) with
    /// `expected`; a mismatch is reported at `offset`. A region of ``CheckedRegions/minimumLength``
    /// bytes or more found right is remembered, when the cursor remembers, and not checked again.
    @inline(__always)
    private func check(
        _ buffer: UnsafeRawBufferPointer, _ base: Int, _ range: Range<Int>, _ expected: UInt32, _ what: String,
        _ offset: Int
    ) throws(IndexError) {
        guard verifies else { return }
        let remembered = range.count >= CheckedRegions.minimumLength ? self.remembered : nil
        if let remembered, remembered.contains(base + range.lowerBound) { return }
        let actual = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buffer[range]))
        guard actual == expected else { throw Self.checksumError(what, expected, actual, path, offset) }
        remembered?.insert(base + range.lowerBound)
    }

    private static func checksumError(
        _ what: String, _ expected: UInt32, _ actual: UInt32, _ path: String, _ offset: Int
    ) -> IndexError {
        .corrupt(
            "\(what) checksum failed (expected \(SegmentFile.hex(expected)), actual \(SegmentFile.hex(actual)))",
            file: path, offset: offset)
    }

    private mutating func skipBlock(_ header: BlockHeader) throws(IndexError) {
        postings.offset = header.dataOffset + header.length
        if var reader = positionsReader {
            reader.offset += header.positionsLength
            guard reader.offset <= reader.buffer.count else {
                throw corrupt("positions: block past the end", postings.offset)
            }
            positionsReader = reader
        }
        previousBlockLast = Int64(header.lastDoc)
        previousDoc = Int64(header.lastDoc)
        blocksLeft -= 1
        blockLastDoc = header.lastDoc
    }

    private mutating func decodeBlock(_ header: BlockHeader) throws(IndexError) {
        let blockSize = PostingsSerializer.blockSize
        if docs.isEmpty {
            docs = [UInt32](repeating: 0, count: blockSize)
            freqs = [UInt32](repeating: 0, count: blockSize)
        }
        var reader = ByteReader(postings.buffer, offset: header.dataOffset)
        let end = header.dataOffset + header.length
        if checksums {
            try check(
                postings.buffer, sectionOffset, header.dataOffset..<end, header.dataCRC, "postings: block data",
                sectionOffset + header.start)
        }
        guard let docBits = reader.readUInt8(), docBits <= 32,
            reader.offset + BitPacking.packedByteCount(bitWidth: Int(docBits)) < end
        else { throw corrupt("postings: bad block", header.dataOffset) }
        // The packed values are read up to the end of the buffer rather than of the block (their
        // sizes were checked against the block above): a group's 8-byte loads may then run past
        // the block's last byte, into bytes they mask off, instead of through a padded copy.
        let docBytes = UnsafeRawBufferPointer(rebasing: reader.buffer[reader.offset...])
        // The gaps become documents as they are unpacked, without a check per entry: the
        // documents only grow, so the last one bounds them all (checked below).
        let start = previousDoc
        let lastSum = docs.withUnsafeMutableBufferPointer {
            BitPacking.unpackGaps(docBytes, bitWidth: Int(docBits), from: start, into: $0)
        }
        reader.offset += BitPacking.packedByteCount(bitWidth: Int(docBits))
        guard let previous = lastSum, let freqBits = reader.readUInt8(), freqBits <= 32,
            reader.offset + BitPacking.packedByteCount(bitWidth: Int(freqBits)) == end
        else { throw corrupt("postings: bad block", header.dataOffset) }
        guard previous < Int64(UInt32.max) else {
            throw corrupt("postings: document number overflow", header.dataOffset)
        }
        if freqBits < 32 {
            // No stored frequency reaches UInt32.max: unpacked when a run or positions need them.
            packedFreqs = (reader.offset, Int(freqBits))
            freqsPacked = true
        } else {
            let freqBytes = UnsafeRawBufferPointer(rebasing: reader.buffer[reader.offset...])
            let freqsOK = freqs.withUnsafeMutableBufferPointer {
                BitPacking.unpack(freqBytes, bitWidth: Int(freqBits), into: $0)
            }
            guard freqsOK else { throw corrupt("postings: bad block", header.dataOffset) }
            // Stored frequencies to frequencies, without a check per entry: an entry of UInt32.max
            // (which would wrap to 0) shows in the largest one.
            var largest: UInt32 = 0
            var stored: UInt64 = 0
            freqs.withUnsafeMutableBufferPointer { freqs in
                (largest, stored) = Self.frequencies(fromStored: freqs)
            }
            guard largest != UInt32.max else { throw corrupt("postings: bad frequency", header.dataOffset) }
            chunkCount = Int(stored) + blockSize
            freqsPacked = false
        }
        guard docs[blockSize - 1] == header.lastDoc else {
            throw corrupt("postings: block's last document does not match its skip data", header.dataOffset)
        }
        if let reader = positionsReader {
            blockPositionsEnd = reader.offset + header.positionsLength
            if checksums {
                uncheckedPositions = (reader.offset, header.positionsLength, 0, header.positionsCRC)
            }
        }
        previousDoc = previous
        previousBlockLast = Int64(header.lastDoc)
        postings.offset = end
        blocksLeft -= 1
        inBlock = true
        count = blockSize
        index = 0
        doc = docs[0]
        freq = blockFrequency(at: 0)
        // Counted by ``settlePositions()`` when positions are asked for.
        unreadPositions = 0
        positionsFrom = 0
        blockLastDoc = header.lastDoc
        blockFrontier = header.frontier
    }

    /// The frequency of the current block's document `i`: from ``freqs``, or from the packed bits
    /// while they are not unpacked (one load, a shift and a mask; they are the last bytes of the
    /// block, so a load near the end of the buffer goes a byte at a time).
    @inline(__always)
    private func blockFrequency(at i: Int) -> UInt32 {
        guard freqsPacked else { return freqs[i] }
        let width = packedFreqs.bitWidth
        let bit = i &* width
        let at = packedFreqs.offset &+ bit &>> 3
        let buffer = postings.buffer
        var word: UInt64 = 0
        if at &+ 8 <= buffer.count {
            word = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: at, as: UInt64.self))
        } else {
            for k in at..<buffer.count { word |= UInt64(buffer[k]) &<< UInt64((k &- at) &* 8) }
        }
        // A width below 32: the stored value plus 1 does not wrap.
        return UInt32(truncatingIfNeeded: (word &>> UInt64(bit & 7)) & ((1 &<< UInt64(width)) &- 1)) &+ 1
    }

    /// Unpacks the current block's frequencies into ``freqs`` (and its number of positions into
    /// ``chunkCount``) when they are still packed.
    @inline(__always)
    private mutating func unpackFrequencies() {
        guard freqsPacked else { return }
        freqsPacked = false
        let (offset, width) = packedFreqs
        let bytes = UnsafeRawBufferPointer(rebasing: postings.buffer[offset...])
        // The block's size was checked when it was decoded: this cannot fail.
        _ = freqs.withUnsafeMutableBufferPointer { BitPacking.unpack(bytes, bitWidth: width, into: $0) }
        let stored = freqs.withUnsafeMutableBufferPointer { Self.frequencies(fromStored: $0).sum }
        chunkCount = Int(stored) + PostingsSerializer.blockSize
    }

    /// Replaces a block's stored frequencies (`freq - 1`) with its frequencies; returns the largest
    /// stored value and the stored values' sum: in 32-bit vector lanes, and again in 64 bits when
    /// the largest is 2^24 or more (then a lane may have wrapped).
    @inline(__always)
    static func frequencies(fromStored freqs: UnsafeMutableBufferPointer<UInt32>) -> (
        largest: UInt32, sum: UInt64
    ) {
        let count = freqs.count
        guard let base = freqs.baseAddress else { return (0, 0) }
        let raw = UnsafeMutableRawPointer(base)
        let lanes = count / 4 * 4
        let one = SIMD4<UInt32>(repeating: 1)
        var largest = SIMD4<UInt32>(repeating: 0)
        var sum = SIMD4<UInt32>(repeating: 0)
        for i in stride(from: 0, to: lanes, by: 4) {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD4<UInt32>.self)
            largest = pointwiseMax(largest, v)
            sum &+= v
            raw.storeBytes(of: v &+ one, toByteOffset: i * 4, as: SIMD4<UInt32>.self)
        }
        var widest = largest.max()
        var total = UInt64(sum.wrappedSum())
        for i in lanes..<count {
            widest = max(widest, freqs[i])
            total &+= UInt64(freqs[i])
            freqs[i] &+= 1
        }
        if widest >= 1 << 24 {
            total = 0
            for i in 0..<count { total &+= UInt64(freqs[i] &- 1) }
        }
        return (widest, total)
    }

    /// The largest `score` over a frontier whose bytes ``peekBlockHeader()`` checked (for a
    /// version 1 header, its one point written frequency first). A value past `UInt32` (possible
    /// only in bytes tra did not write) is truncated: a wrong bound, never a crash.
    @inline(__always)
    private static func frontierMaximum(
        _ buffer: UnsafeRawBufferPointer, _ frontier: (offset: Int, count: Int), _ singlePoint: Bool,
        _ score: (_ norm: UInt32, _ freq: UInt32) -> Double
    ) -> Double {
        var reader = ByteReader(buffer, offset: frontier.offset)
        var norm: UInt64 = 0
        var freq: UInt64 = 0
        var maximum = 0.0
        for _ in 0..<frontier.count {
            if singlePoint {
                freq = reader.readVarInt() ?? 0
                norm = reader.readVarInt() ?? 0
            } else {
                norm &+= reader.readVarInt() ?? 0
                freq &+= reader.readVarInt() ?? 0
            }
            maximum = max(maximum, score(UInt32(truncatingIfNeeded: norm), UInt32(truncatingIfNeeded: freq)))
        }
        return maximum
    }

    /// Moves the positions reader past the current block.
    private mutating func leaveBlock() throws(IndexError) {
        inBlock = false
        chunkOpen = false
        uncheckedPositions = nil
        unreadPositions = 0
        positionsToSkip = 0
        count = 0
        index = 0
        if var reader = positionsReader {
            guard blockPositionsEnd <= reader.buffer.count else {
                throw corrupt("positions: block past the end", postings.offset)
            }
            reader.offset = blockPositionsEnd
            positionsReader = reader
        }
    }

    private func corrupt(_ what: String, _ offset: Int) -> IndexError {
        .corrupt(what, file: path, offset: sectionOffset + offset)
    }
}

/// One term's full-block headers in a segment, read once by ``PostingsCursor/readSkips()`` (each
/// checked against its CRC32C then), with where each block's positions start. A searcher keeps
/// the tables of the terms its queries read, so that its cursors jump to a target's block
/// (``firstBlock(from:endingAtOrAfter:)``) and decode blocks without reading their headers again,
/// and the score bounds come from the frontiers the table points to.
package final class BlockSkips: Sendable {
    let entries: ContiguousArray<PostingsCursor.BlockHeader>
    /// Each entry's last document, apart: what a jump searches, 16 to a cache line (an entry
    /// takes 72 bytes).
    private let lastDocs: ContiguousArray<UInt32>
    /// Where the tail starts, in the postings and in the positions.
    let tail: Int
    let tailPositions: Int
    /// Where the term's postings start (which term the table is of).
    let termStart: Int

    /// The number of full blocks.
    package var blockCount: Int { entries.count }

    init(entries: ContiguousArray<PostingsCursor.BlockHeader>, tail: Int, tailPositions: Int, termStart: Int) {
        self.entries = entries
        lastDocs = ContiguousArray(entries.lazy.map(\.lastDoc))
        self.tail = tail
        self.tailPositions = tailPositions
        self.termStart = termStart
    }

    /// The first block from `first` on whose last document is at least `target` (``blockCount``
    /// when none is). Gallops from `first` (most jumps go a few blocks ahead), then searches the
    /// last span in halves.
    ///
    /// - Complexity: O(log d), d the number of blocks skipped.
    func firstBlock(from first: Int, endingAtOrAfter target: UInt32) -> Int {
        lastDocs.withUnsafeBufferPointer { lastDocs in
            let count = lastDocs.count
            guard first < count, lastDocs[first] < target else { return min(first, count) }
            // lastDocs[low] < target throughout; the answer is in low + 1 ... high.
            var low = first
            var step = 1
            var high = first + 1
            while high < count && lastDocs[high] < target {
                low = high
                step &*= 2
                high = low + step
            }
            high = min(high, count)
            while low + 1 < high {
                let middle = (low + high) / 2
                if lastDocs[middle] < target { low = middle } else { high = middle }
            }
            return high
        }
    }
}
