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
    /// The previous term: a slice of the caller's storage, kept rather than copied.
    private var previous: ArraySlice<UInt8> = []
    private var previousPostings = 0
    private var previousPositions: Int? = nil
    private var termCount = 0
    private var blockCount = 0

    package init() {}

    /// Adds the next term, which must sort after the previous one.
    package mutating func add(_ term: ArraySlice<UInt8>, _ info: TermInfo) {
        let startsBlock = termCount % Self.blockSize == 0
        var shared = 0
        if startsBlock {
            index.writeVarInt(term.count)
            index.write(bytes: term)
            index.writeVarInt(blocks.count)
            blockCount += 1
            previousPostings = 0
            previousPositions = nil
        } else {
            shared = Self.sharedPrefix(previous, term)
        }
        blocks.writeVarInt(shared)
        blocks.writeVarInt(term.count - shared)
        term.withUnsafeBufferPointer { bytes in
            blocks.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[shared...]))
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
        previous = term
        termCount += 1
    }

    /// The length of the longest common prefix of `a` and `b`: eight bytes compared at a time,
    /// then the first differing byte found from their XOR.
    private static func sharedPrefix(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
        a.withUnsafeBytes { a in
            b.withUnsafeBytes { b in
                let count = min(a.count, b.count)
                var i = 0
                while i + 8 <= count {
                    let difference =
                        a.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                        ^ b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    if difference != 0 { return i + UInt64(littleEndian: difference).trailingZeroBitCount / 8 }
                    i += 8
                }
                while i < count && a[i] == b[i] { i += 1 }
                return i
            }
        }
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
