/// Writes the TERMS section: sorted terms, front-coded in blocks, with an index of each block's
/// first term.
///
///     TERMS      := TermBlock* BlockIndex Trailer
///     TermBlock  := { Shared(varint) SuffixLength(varint) Suffix
///                     DocFreqFlag(varint) ExtraFreq(varint) PostingsOffset(varint)
///                     [PositionsOffset(varint), terms with positions only] }^(up to 32)
///     BlockIndex := { FirstTermLength(varint) FirstTerm BlockOffset(varint) }^BlockCount
///     Trailer    := TermCount(u64) BlockCount(u32) BlockIndexOffset(u64)
///
/// `Shared` is the length of the prefix a term shares with the previous term of its block (0 for
/// the first). `DocFreqFlag` is `docFreq << 1 | hasPositions`; `ExtraFreq` is `totalFreq - docFreq`.
/// The first term of a block has absolute offsets (into POSTINGS and POSITIONS); the others store
/// the difference from the previous term's offset in the block (from the previous term with
/// positions, for PositionsOffset). Offsets never decrease in term order.
package struct TermDictionaryWriter {
    package static let blockSize = 32

    private var blocks = ByteWriter()
    private var index = ByteWriter()
    private var previous: [UInt8] = []
    private var previousPostings = 0
    private var previousPositions: Int? = nil
    private var termCount = 0
    private var blockCount = 0

    package init() {}

    /// Adds the next term, which must sort after the previous one.
    package mutating func add(_ term: ArraySlice<UInt8>, _ info: TermInfo) {
        var shared = 0
        if termCount % Self.blockSize == 0 {
            index.writeVarInt(term.count)
            index.write(bytes: term)
            index.writeVarInt(blocks.count)
            blockCount += 1
        } else {
            for (a, b) in zip(previous, term) {
                if a != b { break }
                shared += 1
            }
        }
        blocks.writeVarInt(shared)
        blocks.writeVarInt(term.count - shared)
        blocks.write(bytes: term.dropFirst(shared))
        let startsBlock = termCount % Self.blockSize == 0
        if startsBlock {
            previousPostings = 0
            previousPositions = nil
        }
        precondition(info.postingsOffset >= previousPostings, "postings offsets must not decrease in term order")
        blocks.writeVarInt(info.docFreq << 1 | (info.positionsOffset == nil ? 0 : 1))
        blocks.writeVarInt(info.totalFreq - info.docFreq)
        blocks.writeVarInt(info.postingsOffset - previousPostings)
        previousPostings = info.postingsOffset
        if let positions = info.positionsOffset {
            precondition(positions >= (previousPositions ?? 0), "positions offsets must not decrease in term order")
            blocks.writeVarInt(positions - (previousPositions ?? 0))
            previousPositions = positions
        }
        previous.removeAll(keepingCapacity: true)
        previous.append(contentsOf: term)
        termCount += 1
    }

    /// The finished section.
    package func finish() -> [UInt8] {
        var writer = ByteWriter()
        writer.write(bytes: blocks.bytes)
        let indexOffset = writer.count
        writer.write(bytes: index.bytes)
        writer.write(UInt64(termCount))
        writer.write(UInt32(blockCount))
        writer.write(UInt64(indexOffset))
        return writer.bytes
    }
}
