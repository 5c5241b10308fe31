// The compressor behind `LZ4Block.compress(_:level:into:)` at `.medium`: two hash tables and a
// one-step lazy parse. The output is an ordinary LZ4 block, written by the same `SequenceWriter`
// as the other levels.
//
// Match finder. Each searched position is entered in two tables of the last position seen per
// hash: one keyed by its next four bytes (the shortest match LZ4 can write), one by its next eight.
// The eight-byte table remembers where a longer context last occurred, which the four-byte table
// has often forgotten by then (a common four bytes, such as a frequent syllable followed by a
// space, is overwritten at every occurrence). Both candidates are compared and the longer match
// wins, so a search costs two probes instead of the `.high` level's walk along a chain that links
// every byte of the input.
//
// Parse. Greedy, with one lazy step: when the match found at p is short, the position after it is
// searched too and wins when it reaches further. The match is extended backward over pending
// literals, then written; every second position inside it is entered in the tables (the last
// one too), which costs half the insertions for about 0.1 % of the output.
//
// Compressed / raw size and speed on the bodies of Vietnamese Wikipedia (viwiki.jsonl, 85 MB in
// 64 KiB blocks; `TRA_LZ4_BENCH=full TRA_LZ4_RUNS=5 swift test -c release --filter
// LZ4BlockBenchmark`, median of 5): `.fast` 0.5224 at 265 MB/s, `.medium` 0.4231 at 137 MB/s,
// `.high` 0.4147 at 79 MB/s. Variants tried while tuning (a scratch harness, titles and bodies
// serialized as stored fields): 2^15 and 2^14 heads gave 0.4255 and 0.4312 where 2^16 gave
// 0.4227; on the first 30 MB, where both tables and the lazy step gave 0.4259, the four-byte
// table alone gave 0.4765 and no lazy step 0.4507.

extension LZ4Block {
    /// log2 of the number of heads in each of the two tables (fewer for small inputs).
    static let pairHashLog = 16
    /// A match at least this long is written without searching the next position.
    static let lazyLimit = 32

    /// The `.medium` level of `compress(_:level:into:)`, for `count` bytes at `source`
    /// (`matchFindLimit < count < chainInputLimit`).
    static func compressMedium(
        _ source: UnsafeRawPointer, _ count: Int, into output: inout [UInt8], workspace: Workspace?
    ) {
        let hashBits = tableBits(count, limit: pairHashLog)
        func compress(short: UnsafeMutablePointer<Int32>, long: UnsafeMutablePointer<Int32>) {
            let finder = PairMatchFinder(
                source: source, short: short, long: long, shift: UInt32(32 - hashBits),
                longShift: UInt64(64 - hashBits), limit: count - lastLiterals)
            appendBlock(of: count, to: &output) { compressPaired(source, count, finder, &$0) }
        }
        if let workspace {
            let tables = workspace.emptyPositions(2 << hashBits)
            compress(short: tables, long: tables + (1 << hashBits))
            return
        }
        withEmptyPositions(hashBits) { short in
            withEmptyPositions(hashBits) { long in compress(short: short, long: long) }
        }
    }

    /// The two tables of one input and the searches over them.
    struct PairMatchFinder {
        let source: UnsafeRawPointer
        /// The last position whose four bytes hash to each slot.
        let short: UnsafeMutablePointer<Int32>
        /// The last position whose eight bytes hash to each slot.
        let long: UnsafeMutablePointer<Int32>
        let shift: UInt32
        let longShift: UInt64
        /// Matches end no later than this.
        let limit: Int

        @inline(__always)
        func shortSlot(_ position: Int) -> Int {
            Int(truncatingIfNeeded: (read32(source, position) &* 2_654_435_761) &>> shift)
        }

        /// Multiplicative hashing of eight bytes by an odd 64-bit constant, top bits kept.
        @inline(__always)
        func longSlot(_ position: Int) -> Int {
            let word = source.loadUnaligned(fromByteOffset: position, as: UInt64.self)
            return Int(truncatingIfNeeded: (word &* 0xCF1B_BCDC_B7A5_6463) &>> longShift)
        }

        /// Enters `position` in both tables; it must have eight readable bytes.
        @inline(__always)
        func insert(_ position: Int) {
            let value = Int32(truncatingIfNeeded: position)
            short[shortSlot(position)] = value
            long[longSlot(position)] = value
        }

        /// The longer of the two candidates' matches at `position` (a length of 0 when neither
        /// agrees on four bytes), then enters `position` in both tables.
        ///
        /// Requires `position + 12 <= count`, so that eight bytes are readable and a match of
        /// four fits before `limit`.
        @inline(__always)
        func find(at position: Int) -> Match {
            let shortSlot = shortSlot(position)
            let longSlot = longSlot(position)
            let shortCandidate = Int(short[shortSlot])
            let longCandidate = Int(long[longSlot])
            let value = Int32(truncatingIfNeeded: position)
            short[shortSlot] = value
            long[longSlot] = value
            let word = read32(source, position)
            var best = Match.none
            if position &- longCandidate <= maxOffset && read32(source, longCandidate) == word {
                let length =
                    minMatch + matchLength(source, position + minMatch, longCandidate + minMatch, limit: limit)
                best = Match(start: position, length: length, reference: longCandidate)
            }
            if shortCandidate != longCandidate && position &- shortCandidate <= maxOffset
                && read32(source, shortCandidate) == word
            {
                let length =
                    minMatch + matchLength(source, position + minMatch, shortCandidate + minMatch, limit: limit)
                if length > best.length {
                    best = Match(start: position, length: length, reference: shortCandidate)
                }
            }
            return best
        }
    }

    /// LZ4 parse of `count` (> `matchFindLimit`) bytes at `source`, written through `writer`.
    static func compressPaired(
        _ source: UnsafeRawPointer, _ count: Int, _ finder: PairMatchFinder, _ writer: inout SequenceWriter
    ) {
        // A match may start no later than `lastMatchStart` and extend no further than `matchLimit`.
        let lastMatchStart = count - matchFindLimit
        var anchor = 0
        var position = 0
        while position <= lastMatchStart {
            var match = finder.find(at: position)
            if match.length == 0 {
                position += 1
                continue
            }
            // The last position entered in the tables.
            var searched = position
            if match.length < lazyLimit && position < lastMatchStart {
                searched = position + 1
                let next = finder.find(at: searched)
                if next.length > match.length { match = next }
            }
            while match.start > anchor && match.reference > 0
                && source.load(fromByteOffset: match.start - 1, as: UInt8.self)
                    == source.load(fromByteOffset: match.reference - 1, as: UInt8.self)
            {
                match = Match(start: match.start - 1, length: match.length + 1, reference: match.reference - 1)
            }
            writer.emitSequence(
                source + anchor, match.start - anchor, offset: match.start - match.reference,
                matchLength: match.length)
            anchor = match.end
            // Positions inside the match, so that later repeats of its text can find them.
            let last = min(match.end - 1, lastMatchStart)
            var inside = searched + 2
            while inside < last {
                finder.insert(inside)
                inside += 2
            }
            if last > searched { finder.insert(last) }
            position = match.end
        }
        writer.emitLastLiterals(source + anchor, count - anchor)
    }
}
