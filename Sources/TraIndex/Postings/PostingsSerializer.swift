/// Serializes one term's postings: documents in blocks of 128 with skip data, positions in their
/// own stream.
///
/// Layout of a term's postings (IndexFormat.md, "POSTINGS"), little-endian, varints LEB128:
///
///     TermPostings := BlockCount(varint) [TermFrontierCRC(u32) Frontier] Block^BlockCount Tail
///                     -- the term's frontier when BlockCount >= 1 (format version 6)
///     Block        := HeaderCRC(u32) LastDoc(varint) BlockLength(varint) Frontier
///                     [PositionsLength(varint) PositionsCRC(u32)]   -- terms with positions only
///                     DataCRC(u32) DocBits(u8) PackedGaps(DocBits * 16 bytes)
///                     FreqBits(u8) PackedFreqs(FreqBits * 16 bytes)
///     Tail         := TailCRC(u32) [TailPositionsCRC(u32)]
///                     { GapFreq(varint) [Freq(varint)] }* for the last df % 128 documents
///     Frontier     := PointCount(varint) { NormDelta(varint) FreqDelta(varint) }^PointCount
///
/// Checksums (CRC32C, format version 3): `HeaderCRC` covers the block from `LastDoc` to `DataCRC`
/// (what skipping reads), `DataCRC` the `BlockLength` bytes from `DocBits` (what decoding reads);
/// `PositionsCRC` the block's bytes in POSITIONS; `TailCRC` the `BlockCount` bytes, then the tail
/// from `TailPositionsCRC` to its end; `TailPositionsCRC` the tail's bytes in POSITIONS.
///
/// A gap is `doc - previousDoc - 1` (the previous document of the first one is -1); packed
/// frequencies are `freq - 1`. In the tail, GapFreq is `gap << 1 | (freq == 1 ? 1 : 0)` and Freq
/// follows only when freq > 1. `LastDoc` is the block's last document as a gap from the previous
/// block's `LastDoc`; `BlockLength` the bytes from DocBits to the end of the block, so a cursor skips a
/// block without decoding it. The frontier is the block's (field length, frequency) pairs that no other
/// pair beats on both (longer or as long and no more frequent), shortest first, as deltas from the
/// previous point: any score that grows with the frequency and shrinks with the length is largest
/// at one of them, so it bounds exactly what the block can contribute, for block-max top-k pruning.
/// The term's frontier (format version 6, terms with a full block) is that of the points of its
/// blocks' frontiers and of its tail's documents, reduced in the same way: it bounds what the
/// whole term can contribute without reading every block header and the tail (MaxScore's
/// per-term bounds). `TermFrontierCRC` covers its `Frontier` bytes.
/// Positions (format version 5): the positions of a block's documents (or of the tail's) are one
/// ``PositionChunk``, of each document's `freq` values `position - previous - 1` in order (the
/// previous position of a document's first being -1). An empty tail has no chunk.
package struct PostingsSerializer {
    package static let blockSize = 128

    package var postings = ByteWriter()
    package var positions = ByteWriter()
    private var gaps = [UInt32](repeating: 0, count: 128)
    private var freqs = [UInt32](repeating: 0, count: 128)
    private var blockPositions = ByteWriter()
    /// The position codes of the current chunk, before its parameter is chosen.
    private var chunkValues: [UInt32] = []
    /// A block's header (or the tail) before its checksum is known.
    private var block = ByteWriter()
    private var packed: [UInt8] = []
    private var frontier: [(norm: UInt32, freq: UInt32)] = []
    /// The points of the term's frontier: the undominated points of its blocks' frontiers so far
    /// (by increasing length), then its tail's documents.
    private var termPoints: [(norm: UInt32, freq: UInt32)] = []
    private var merged: [(norm: UInt32, freq: UInt32)] = []

    /// The most points a block's frontier keeps; beyond it neighbouring points are merged into one
    /// that dominates both (the shorter length with the larger frequency), so the bound stays valid.
    package static let maximumFrontier = 16
    /// Frequencies below this are gathered in a table by ``reduceToFrontier(_:)``.
    static let smallFrequencies = 64

    package init() {}

    /// Writes the postings of one term. `docs` and `freqs` are its documents (ascending) and
    /// frequencies; `positions` their positions, `freq` per document, ascending within a document
    /// (nil for terms without positions); `norms` the field length of every document of the segment.
    ///
    /// - Returns: the offsets of the term's postings and positions in their streams.
    package mutating func write(
        docs: ArraySlice<UInt32>, freqs termFreqs: ArraySlice<UInt32>, positions termPositions: ArraySlice<UInt32>?,
        norms: [UInt32]
    ) -> (postings: Int, positions: Int) {
        let postingsStart = postings.count
        let positionsStart = positions.count
        let count = docs.count
        let blockCount = count / Self.blockSize
        postings.writeVarInt(blockCount)
        // The term's frontier goes here, once its blocks and tail are known.
        let termFrontierAt = postings.count
        termPoints.removeAll(keepingCapacity: true)
        var previousDoc: Int64 = -1
        var previousLast: Int64 = -1
        var positionIndex = termPositions?.startIndex ?? 0
        var docIndex = docs.startIndex
        for _ in 0..<blockCount {
            blockPositions.bytes.removeAll(keepingCapacity: true)
            // Filled through pointers: an append per document checked the array each time.
            frontier.removeAll(keepingCapacity: true)
            frontier.append(contentsOf: repeatElement((norm: 0, freq: 0), count: Self.blockSize))
            let first = docIndex
            docs.withUnsafeBufferPointer { docs in
                termFreqs.withUnsafeBufferPointer { termFreqs in
                    gaps.withUnsafeMutableBufferPointer { gaps in
                        freqs.withUnsafeMutableBufferPointer { freqs in
                            frontier.withUnsafeMutableBufferPointer { frontier in
                                // Offsets into the slices' buffers.
                                let at = first - docs.startIndex
                                let freqAt = first - termFreqs.startIndex
                                for i in 0..<Self.blockSize {
                                    let doc = docs[at + i]
                                    let freq = termFreqs[freqAt + i]
                                    gaps[i] = UInt32(Int64(doc) - previousDoc - 1)
                                    freqs[i] = freq - 1
                                    previousDoc = Int64(doc)
                                    frontier[i] = (norms[Int(doc)], freq)
                                }
                            }
                        }
                    }
                }
            }
            if let termPositions {
                collectPositions(termPositions, &positionIndex, documents: Self.blockSize, stored: true)
                writeChunk(toBlock: true)
            }
            Self.reduceToFrontier(&frontier)
            Self.mergeFrontier(&termPoints, frontier, scratch: &merged)
            packed.removeAll(keepingCapacity: true)
            gaps.withUnsafeBufferPointer { values in
                let bits = BitPacking.requiredBitWidth(values)
                packed.append(UInt8(bits))
                BitPacking.pack(values, bitWidth: bits, into: &packed)
            }
            freqs.withUnsafeBufferPointer { values in
                let bits = BitPacking.requiredBitWidth(values)
                packed.append(UInt8(bits))
                BitPacking.pack(values, bitWidth: bits, into: &packed)
            }
            block.bytes.removeAll(keepingCapacity: true)
            block.writeVarInt(UInt64(previousDoc - previousLast))
            previousLast = previousDoc
            block.writeVarInt(packed.count)
            Self.writeFrontier(frontier, to: &block)
            if termPositions != nil {
                block.writeVarInt(blockPositions.count)
                block.write(CRC32C.checksum(blockPositions.bytes))
            }
            block.write(CRC32C.checksum(packed))
            postings.write(CRC32C.checksum(block.bytes))
            postings.write(bytes: block.bytes)
            postings.write(bytes: packed)
            positions.write(bytes: blockPositions.bytes)
            docIndex += Self.blockSize
        }
        // The tail, behind its checksums.
        let tailPositionsStart = positions.count
        block.bytes.removeAll(keepingCapacity: true)
        let tailDocuments = docs.endIndex - docIndex
        while docIndex < docs.endIndex {
            let doc = docs[docIndex]
            let freq = termFreqs[docIndex]
            let gap = UInt64(Int64(doc) - previousDoc - 1)
            previousDoc = Int64(doc)
            block.writeVarInt(gap << 1 | (freq == 1 ? 1 : 0))
            if freq != 1 { block.writeVarInt(UInt64(freq)) }
            if blockCount > 0 { termPoints.append((norms[Int(doc)], freq)) }
            // For collectPositions (the tail has fewer than a block's documents).
            freqs[tailDocuments - (docs.endIndex - docIndex)] = freq
            docIndex += 1
        }
        if let termPositions, tailDocuments > 0 {
            collectPositions(termPositions, &positionIndex, documents: tailDocuments, stored: false)
            if !chunkValues.isEmpty { writeChunk(toBlock: false) }
        }
        // The tail's head: the checksum of its positions, for terms with positions.
        let tailPositionsCRC =
            termPositions == nil
            ? nil
            : positions.bytes.withUnsafeBytes {
                CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[tailPositionsStart...]))
            }
        var tailCRC = postings.bytes.withUnsafeBytes {
            CRC32C.checksum(
                UnsafeRawBufferPointer(
                    rebasing: $0[postingsStart..<(postingsStart + VarInt.encodedLength(UInt64(blockCount)))]))
        }
        if let tailPositionsCRC {
            tailCRC = withUnsafeBytes(of: tailPositionsCRC.littleEndian) { CRC32C.checksum($0, seed: tailCRC) }
        }
        tailCRC = block.bytes.withUnsafeBytes { CRC32C.checksum($0, seed: tailCRC) }
        postings.write(tailCRC)
        if let tailPositionsCRC { postings.write(tailPositionsCRC) }
        postings.write(bytes: block.bytes)
        if blockCount > 0 {
            Self.reduceToFrontier(&termPoints)
            block.bytes.removeAll(keepingCapacity: true)
            Self.writeFrontier(termPoints, to: &block)
            var head = ByteWriter()
            head.write(CRC32C.checksum(block.bytes))
            head.write(bytes: block.bytes)
            postings.bytes.insert(contentsOf: head.bytes, at: termFrontierAt)
        }
        return (postingsStart, positionsStart)
    }

    /// Replaces `points` with the undominated points of `points` and `other`, both undominated
    /// points by increasing length (as ``reduceToFrontier(_:)`` leaves them before merging any):
    /// one pass over both. (With term frontiers, `tra index` of Corpus/ takes 0.39 % more
    /// instructions; sorting the union of a term's block frontiers once at its end took 0.54 %.)
    private static func mergeFrontier(
        _ points: inout [(norm: UInt32, freq: UInt32)], _ other: [(norm: UInt32, freq: UInt32)],
        scratch: inout [(norm: UInt32, freq: UInt32)]
    ) {
        scratch.removeAll(keepingCapacity: true)
        var i = 0
        var j = 0
        while i < points.count || j < other.count {
            // By length, then by decreasing frequency, as reduceToFrontier sorts them.
            let takePoint =
                j == other.count
                || (i < points.count
                    && (points[i].norm < other[j].norm
                        || (points[i].norm == other[j].norm && points[i].freq >= other[j].freq)))
            let point = takePoint ? points[i] : other[j]
            if takePoint { i += 1 } else { j += 1 }
            if scratch.isEmpty || point.freq > scratch[scratch.count - 1].freq { scratch.append(point) }
        }
        swap(&points, &scratch)
    }

    /// Writes `PointCount` and the points of a frontier as deltas from the previous point.
    private static func writeFrontier(_ points: [(norm: UInt32, freq: UInt32)], to writer: inout ByteWriter) {
        writer.writeVarInt(points.count)
        var previous: (norm: UInt32, freq: UInt32) = (0, 0)
        for point in points {
            writer.writeVarInt(UInt64(point.norm - previous.norm))
            writer.writeVarInt(UInt64(point.freq - previous.freq))
            previous = point
        }
    }

    /// Keeps the (length, frequency) pairs no other pair dominates, by increasing length (and so by
    /// increasing frequency), at most ``maximumFrontier`` of them.
    ///
    /// A pair is kept when its length is the least among the pairs of its frequency and less than
    /// the lengths of all more frequent pairs. Frequencies are mostly small: the least length of
    /// each frequency below ``smallFrequencies`` goes to a table, and only the other pairs are
    /// sorted. (Sorting the 128 pairs of every block took 2 % of the instructions of `tra index`
    /// on Corpus/.)
    static func reduceToFrontier(_ points: inout [(norm: UInt32, freq: UInt32)]) {
        guard points.count > 1 else { return }
        var large: [UInt64] = []
        // UInt64, so that no length is the mark of an empty entry.
        let count = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: smallFrequencies) { least in
            least.initialize(repeating: .max)
            for point in points {
                if point.freq < smallFrequencies {
                    least[Int(point.freq)] = min(least[Int(point.freq)], UInt64(point.norm))
                } else {
                    large.append(UInt64(point.freq) << 32 | UInt64(point.norm))
                }
            }
            // From the most frequent down: each frequency's least length, kept when shorter than
            // every more frequent pair. The kept pairs fill `points` from its start, longest first.
            var kept = 0
            var shortest = UInt64.max
            func keep(_ norm: UInt64, _ freq: UInt32) {
                guard norm < shortest else { return }
                shortest = norm
                points[kept] = (UInt32(truncatingIfNeeded: norm), freq)
                kept += 1
            }
            large.sort()
            var end = large.count
            while end > 0 {
                // The group of the frequency of large[end - 1]; its first key has the least length.
                let freq = large[end - 1] >> 32
                var start = end - 1
                while start > 0 && large[start - 1] >> 32 == freq { start -= 1 }
                keep(large[start] & 0xFFFF_FFFF, UInt32(truncatingIfNeeded: freq))
                end = start
            }
            for freq in stride(from: smallFrequencies - 1, through: 0, by: -1) where least[freq] != .max {
                keep(least[freq], UInt32(freq))
            }
            return kept
        }
        points.removeLast(points.count - count)
        points.reverse()
        // Too many points (rare): merge the pair whose merged point raises the frequency least.
        while points.count > maximumFrontier {
            var best = 0
            for i in 1..<(points.count - 1)
            where points[i + 1].freq - points[i].freq < points[best + 1].freq - points[best].freq {
                best = i
            }
            points[best].freq = points[best + 1].freq
            points.remove(at: best + 1)
        }
    }

    /// Appends to the chunk the position codes of `documents` documents, whose frequencies are the
    /// first `documents` of ``freqs`` (as a block stores them, each less 1, when `stored`) and
    /// whose positions are in `positions` from `index`.
    @inline(__always)
    private mutating func collectPositions(
        _ positions: ArraySlice<UInt32>, _ index: inout Int, documents: Int, stored: Bool
    ) {
        let extra = stored ? 1 : 0
        var total = 0
        for i in 0..<documents { total += Int(freqs[i]) + extra }
        // Grown once and written through pointers: an append per position checked the array
        // each time.
        let start = chunkValues.count
        chunkValues.append(contentsOf: repeatElement(0, count: total))
        let from = index - positions.startIndex
        precondition(from >= 0 && from + total <= positions.count, "fewer positions than frequencies")
        positions.withUnsafeBufferPointer { positions in
            freqs.withUnsafeBufferPointer { freqs in
                chunkValues.withUnsafeMutableBufferPointer { values in
                    var k = from
                    var o = start
                    for i in 0..<documents {
                        let count = Int(freqs[i]) + extra
                        guard count > 0 else { continue }
                        // The first position from -1: position - (-1) - 1.
                        var previous = positions[k]
                        values[o] = previous
                        k += 1
                        o += 1
                        for _ in 1..<count {
                            let position = positions[k]
                            values[o] = position - previous - 1
                            previous = position
                            k += 1
                            o += 1
                        }
                    }
                }
            }
        }
        index += total
    }

    /// Writes the chunk of positions to the block's positions or to the tail's, and empties it.
    private mutating func writeChunk(toBlock: Bool) {
        if toBlock {
            PositionChunk.append(chunkValues, to: &blockPositions.bytes)
        } else {
            PositionChunk.append(chunkValues, to: &positions.bytes)
        }
        chunkValues.removeAll(keepingCapacity: true)
    }
}
