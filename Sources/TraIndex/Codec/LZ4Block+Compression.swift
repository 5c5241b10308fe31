// The compressor behind `LZ4Block.compress(_:into:)`: the sequence writer and the greedy parse.

extension LZ4Block {
    /// Writes tokens, lengths, literals and offsets into a buffer known to be large enough.
    struct SequenceWriter {
        let base: UnsafeMutableRawPointer
        var position = 0

        @inline(__always)
        mutating func byte(_ value: UInt8) {
            base.storeBytes(of: value, toByteOffset: position, as: UInt8.self)
            position += 1
        }

        /// The bytes that extend a length field whose nibble was 15: `length` is the excess.
        @inline(__always)
        mutating func lengthBytes(_ length: Int) {
            var rest = length
            while rest >= 255 {
                byte(255)
                rest -= 255
            }
            byte(UInt8(truncatingIfNeeded: rest))
        }

        /// A sequence: token, literals `literals ..< literals + literalCount`, offset, match length.
        @inline(__always)
        mutating func emitSequence(_ literals: UnsafeRawPointer, _ literalCount: Int, offset: Int, matchLength: Int) {
            let matchCode = matchLength - LZ4Block.minMatch
            let high = UInt8(min(literalCount, 15)) << 4
            byte(high | UInt8(min(matchCode, 15)))
            if literalCount >= 15 { lengthBytes(literalCount - 15) }
            (base + position).copyMemory(from: literals, byteCount: literalCount)
            position += literalCount
            base.storeBytes(
                of: UInt16(truncatingIfNeeded: offset).littleEndian, toByteOffset: position, as: UInt16.self)
            position += 2
            if matchCode >= 15 { lengthBytes(matchCode - 15) }
        }

        /// The final literal-only sequence.
        @inline(__always)
        mutating func emitLastLiterals(_ literals: UnsafeRawPointer, _ literalCount: Int) {
            byte(UInt8(min(literalCount, 15)) << 4)
            if literalCount >= 15 { lengthBytes(literalCount - 15) }
            (base + position).copyMemory(from: literals, byteCount: literalCount)
            position += literalCount
        }
    }

    /// Appends to `output` the block that `body` writes through a ``SequenceWriter`` into room for
    /// `maxCompressedSize(count)` bytes, `count` being the input's size; the room left over is
    /// removed.
    @inline(__always)
    static func appendBlock(of count: Int, to output: inout [UInt8], _ body: (inout SequenceWriter) -> Void) {
        let start = output.count
        let bound = maxCompressedSize(count)
        output.append(contentsOf: repeatElement(0, count: bound))
        let written = output.withUnsafeMutableBytes { raw -> Int in
            guard let destination = raw.baseAddress else { return 0 }
            var writer = SequenceWriter(base: destination + start)
            body(&writer)
            return writer.position
        }
        output.removeLast(bound - written)
    }

    /// log2 of the slots of a match finder's table for an input of `count` bytes: `limit`, fewer
    /// for small inputs (so that clearing the table does not dominate), at least 8.
    @inline(__always)
    static func tableBits(_ count: Int, limit: Int) -> Int {
        min(limit, max(8, Int.bitWidth - count.leadingZeroBitCount))
    }

    /// The memory of the match finders' tables, kept from block to block by a caller that
    /// compresses many, on one thread at a time: tables allocated and freed for each block were
    /// given back to the system by the allocator (a freed block at the top of a heap is) and
    /// faulted in again for the next one.
    package final class Workspace {
        private var positions: UnsafeMutablePointer<Int32>? = nil
        private var capacity = 0

        package init() {}

        deinit { positions?.deallocate() }

        /// `count` positions, each -65,536 (as ``withEmptyPositions(_:_:)`` gives them).
        func emptyPositions(_ count: Int) -> UnsafeMutablePointer<Int32> {
            if count > capacity {
                positions?.deallocate()
                positions = .allocate(capacity: count)
                capacity = count
            }
            let table = positions.unsafelyUnwrapped
            table.initialize(repeating: Int32(-1 - maxOffset), count: count)
            return table
        }
    }

    /// Runs `body` with a table of 2^`bits` positions, each -65,536: no position is within 64 KB
    /// of it, so an empty slot never gives a candidate. The table is freed after.
    @inline(__always)
    static func withEmptyPositions<Result>(_ bits: Int, _ body: (UnsafeMutablePointer<Int32>) -> Result) -> Result {
        let table = UnsafeMutablePointer<Int32>.allocate(capacity: 1 << bits)
        defer { table.deallocate() }
        table.initialize(repeating: Int32(-1 - maxOffset), count: 1 << bits)
        return body(table)
    }

    @inline(__always)
    static func read32(_ pointer: UnsafeRawPointer, _ offset: Int) -> UInt32 {
        pointer.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
    }

    /// Fibonacci hashing of four bytes (Knuth, TAOCP vol. 3, 6.4) into `hashLog` bits.
    @inline(__always)
    static func hash(_ word: UInt32) -> Int {
        Int((word &* 2_654_435_761) >> UInt32(32 - hashLog))
    }

    /// The number of equal bytes at `a` and `b`, comparing no further than `limit` (an offset of `a`
    /// from `source`). Eight bytes per step; the first difference is found with a bit count.
    @inline(__always)
    static func matchLength(_ source: UnsafeRawPointer, _ a: Int, _ b: Int, limit: Int) -> Int {
        var length = 0
        while a + length + 8 <= limit {
            let x = source.loadUnaligned(fromByteOffset: a + length, as: UInt64.self)
            let y = source.loadUnaligned(fromByteOffset: b + length, as: UInt64.self)
            let difference = UInt64(littleEndian: x ^ y)
            if difference != 0 { return length + difference.trailingZeroBitCount >> 3 }
            length += 8
        }
        while a + length < limit,
            source.load(fromByteOffset: a + length, as: UInt8.self)
                == source.load(fromByteOffset: b + length, as: UInt8.self)
        {
            length += 1
        }
        return length
    }

    /// Greedy LZ4 parse of `count` bytes at `source`, written through `writer`.
    static func compressBlock(
        _ source: UnsafeRawPointer, _ count: Int, _ table: UnsafeMutableBufferPointer<UInt32>,
        _ writer: inout SequenceWriter
    ) {
        var anchor = 0
        // A match may start no later than `lastMatchStart` and extend no further than `matchLimit`.
        let lastMatchStart = count - matchFindLimit
        let matchLimit = count - lastLiterals
        if count > matchFindLimit {
            table[hash(read32(source, 0))] = 0
            var position = 1
            search: while true {
                // Find a 4-byte match, probing further apart the longer the search goes.
                var next = position
                var probes = 1 << skipStrength
                var candidate = 0
                while true {
                    position = next
                    next += probes >> skipStrength
                    probes += 1
                    if position > lastMatchStart { break search }
                    let word = read32(source, position)
                    let slot = hash(word)
                    candidate = Int(table[slot])
                    table[slot] = UInt32(truncatingIfNeeded: position)
                    if position - candidate <= maxOffset && read32(source, candidate) == word { break }
                }
                // Extend backward over the pending literals.
                while position > anchor && candidate > 0
                    && source.load(fromByteOffset: position - 1, as: UInt8.self)
                        == source.load(fromByteOffset: candidate - 1, as: UInt8.self)
                {
                    position -= 1
                    candidate -= 1
                }
                let length =
                    minMatch
                    + matchLength(source, position + minMatch, candidate + minMatch, limit: matchLimit)
                writer.emitSequence(
                    source + anchor, position - anchor, offset: position - candidate, matchLength: length)
                position += length
                anchor = position
                if position > lastMatchStart { break }
                // Index a position inside the match, so that the next repetition can find it.
                table[hash(read32(source, position - 2))] = UInt32(truncatingIfNeeded: position - 2)
            }
        }
        writer.emitLastLiterals(source + anchor, count - anchor)
    }
}
