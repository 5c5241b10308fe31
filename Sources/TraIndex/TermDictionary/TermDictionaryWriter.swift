/// Writes the TERMS section: sorted terms, front-coded in blocks, with an index of each block's
/// first term.
///
///     TERMS      := TermBlock* BlockIndex Trailer
///     TermBlock  := { Shared(varint) SuffixLength(varint) Suffix
///                     DocFreq(varint) TotalFreq(varint) PostingsOffset(varint)
///                     [PositionsOffset(varint), variant terms only] }^(up to 32)
///     BlockIndex := { FirstTermLength(varint) FirstTerm BlockOffset(varint) }^BlockCount
///     Trailer    := TermCount(u64) BlockCount(u32) BlockIndexOffset(u64)
///
/// `Shared` is the length of the prefix a term shares with the previous term of its block (0 for
/// the first). Offsets are relative to the section start.
package struct TermDictionaryWriter {
    package static let blockSize = 32

    private var blocks = ByteWriter()
    private var index = ByteWriter()
    private var previous: [UInt8] = []
    private var termCount = 0
    private var blockCount = 0

    package init() {}

    /// Adds the next term, which must sort after the previous one.
    package mutating func add<C: Collection>(_ term: C, _ info: TermInfo) where C.Element == UInt8 {
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
        blocks.writeVarInt(info.docFreq)
        blocks.writeVarInt(info.totalFreq)
        blocks.writeVarInt(info.postingsOffset)
        if let positions = info.positionsOffset { blocks.writeVarInt(positions) }
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
