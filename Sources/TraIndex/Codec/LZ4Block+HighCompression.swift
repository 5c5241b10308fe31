// The compressor behind `LZ4Block.compress(_:level:into:)` at `.high`: a hash-chain match finder
// and a parse that looks one or two matches ahead. The output is an ordinary LZ4 block, written by
// the same `SequenceWriter` as the fast level, so the decoder cannot tell the levels apart.
//
// Match finder. `head[h]` holds the last position whose four bytes hash to h, and `chain[p mod 2^16]`
// the distance from position p back to the previous position with the same hash (clamped to 65,535,
// which always leaves the window). Walking that chain from `head` visits earlier positions with the
// same hash, nearest first, so the walk stops at the first one out of reach, or after
// `chainSearchDepth` of them. The window is 64 KB, so 2^16 chain slots suffice: a slot is only
// reused by a position 64 KB later, when the one it held is out of reach. Once a match of length L
// is known, any longer one also agrees on the four bytes at each offset k < L − 3, so the walk may
// continue along the chain of whichever of those offsets skips furthest back (the rarer four bytes
// of the match guide the search rather than its first ones).
//
// Parse. Greedy parsing takes the longest match at the current position; but a match starting a
// little later, inside it, may reach further, and the best cover of the text then cuts the first
// match short. So before a match is written, the parse looks near its end (3 bytes before it) for a
// longer match that overlaps it, extended backward at most to the first one's start:
//
//   - none: the first match is written whole;
//   - one starting less than 4 bytes after the first: it replaces the first, whose head becomes
//     literals (this generalizes lazy matching, which only tries the next position);
//   - one starting later: the first match is cut where the second starts, but only once a third
//     match has been looked for near the end of the second. If the third starts before or within
//     2 bytes of the end of the first, the second is not worth its sequence and is dropped.
//
// A dropped first match is remembered: when a later match starts within it, the dropped one is
// restored, cut short, in place of the literals. And where two matches meet, the cut is moved up to
// 18 bytes into the first (the longest length its token holds), which can only shorten the second.
// Matches are also extended backward over pending literals, which catches what a bounded walk
// missed.
//
// Every match found starts at or before the position searched, and positions are searched in
// increasing order, so a search only ever sees positions already linked into the chains.

extension LZ4Block {
    /// log2 of the number of chain heads: 65,536 (fewer for small inputs). Twice as many as the
    /// reference HC compressor keeps: fewer hash collisions for the walk to step over made it both
    /// faster and slightly better here.
    static let chainHashLog = 16
    /// The most chain links compared per search. With ``chainNiceLength``, tuned on the first
    /// 12 MB of Vietnamese Wikipedia titles and bodies in 64 KiB blocks (compressed / raw size, and
    /// release-build speed on a 2-core machine, best of 7 interleaved rounds): 6 links and a
    /// nice length of 64 gave 0.4065 at 56 MB/s, 4 and 16 0.4121 at 62 MB/s, 3 and 16 0.4155 at
    /// 64 MB/s, 3 and 12 0.4179 at 68 MB/s, 2 and 12 0.4240 at 70 MB/s; the fast level gives about
    /// 0.52 at 315 MB/s. Indexing is CPU-bound on both cores and the stored text is about half of an
    /// index, so 2.8 % more stored bytes buy a fifth less of the compressor's time.
    static let chainSearchDepth = 3
    /// A match this long is good enough: the walk stops and no wider match is looked for.
    static let chainNiceLength = 12
    /// How far before the end of a match the search for a wider one starts.
    static let chainProbeBack = 3
    /// The longest match length that fits in a token's nibble (code 14; 15 needs extension bytes).
    static let tokenMatchLength = 18
    /// Positions are kept as `Int32`: longer inputs are compressed at the fast level.
    static let chainInputLimit = Int(Int32.max) - maxOffset - 1

    /// The `.high` level of `compress(_:level:into:)`, for `count` bytes at `source`
    /// (`matchFindLimit < count < chainInputLimit`).
    static func compressHigh(_ source: UnsafeRawPointer, _ count: Int, into output: inout [UInt8]) {
        let hashBits = tableBits(count, limit: chainHashLog)
        // Slot p & 0xFFFF; inputs up to 64 KB need only `count` slots. A slot is written when its
        // position is linked, before any walk can reach it, so the chain needs no initialization.
        let chainCount = min(count, maxOffset + 1)
        let chain = UnsafeMutablePointer<UInt16>.allocate(capacity: chainCount)
        defer { chain.deallocate() }
        // An empty head ends every walk at once.
        withEmptyPositions(hashBits) { head in
            var finder = ChainMatchFinder(
                source: source, head: head, chain: chain, shift: UInt32(32 - hashBits), searchDepth: chainSearchDepth)
            appendBlock(of: count, to: &output) { compressChained(source, count, &finder, &$0) }
        }
    }

    /// A match: the `length` bytes at `start` equal those at `reference`, which is before `start`.
    struct Match {
        var start: Int
        var length: Int
        var reference: Int

        static let none = Match(start: 0, length: 0, reference: 0)

        var end: Int { start + length }

        /// The same match without its bytes before `position` (`start <= position < end`).
        @inline(__always)
        func starting(at position: Int) -> Match {
            Match(start: position, length: end - position, reference: reference + position - start)
        }
    }

    /// The hash chains of one input and the searches over them.
    ///
    /// Positions must be searched in increasing order: a search at `position` first links all
    /// positions before it, and its candidates are those.
    struct ChainMatchFinder {
        let source: UnsafeRawPointer
        let head: UnsafeMutablePointer<Int32>
        let chain: UnsafeMutablePointer<UInt16>
        let shift: UInt32
        let searchDepth: Int
        /// Positions before this one are linked into the chains.
        var linked = 0

        @inline(__always)
        func slot(_ word: UInt32) -> Int {
            Int(truncatingIfNeeded: (word &* 2_654_435_761) &>> shift)
        }

        @inline(__always)
        func previous(_ position: Int) -> Int {
            position &- Int(chain[position & 0xFFFF])
        }

        /// Links the positions `linked ..< end` into their chains; each must have four readable bytes.
        @inline(__always)
        mutating func link(upTo end: Int) {
            var position = linked
            let source = self.source
            let head = self.head
            let chain = self.chain
            while position < end {
                let bucket = slot(read32(source, position))
                let distance = position &- Int(head[bucket])
                chain[position & 0xFFFF] = UInt16(truncatingIfNeeded: min(distance, maxOffset))
                head[bucket] = Int32(truncatingIfNeeded: position)
                position &+= 1
            }
            linked = max(linked, end)
        }

        /// The longest match at `position` that ends no later than `limit`, or a length of 0 when
        /// there is none of at least `minMatch` bytes.
        ///
        /// Requires `position + minMatch <= limit` and `limit + lastLiterals <= count`.
        mutating func find(at position: Int, limit: Int) -> Match {
            link(upTo: position)
            let word = read32(source, position)
            var candidate = Int(head[slot(word)])
            // Following another offset's chain can lead before the input: stop there too.
            let windowStart = max(0, position - maxOffset)
            let available = limit - position
            var best = Match.none
            var bestLength = minMatch - 1
            var steps = searchDepth
            // The offset into the candidates whose chain is followed.
            var follow = 0
            while candidate >= windowStart && candidate < position && steps > 0 && bestLength < available {
                steps &-= 1
                // To beat the best match, the four bytes ending where it ends must agree (they are
                // before `limit + 1` as bestLength < available), and so must the first four, as
                // hashes collide.
                if read32(source, candidate &+ bestLength &- 3) == read32(source, position &+ bestLength &- 3)
                    && read32(source, candidate) == word
                {
                    let length =
                        minMatch + matchLength(source, position + minMatch, candidate + minMatch, limit: limit)
                    if length > bestLength {
                        bestLength = length
                        best = Match(start: position, length: length, reference: candidate)
                        if length >= chainNiceLength { break }
                        // Follow the chain that skips furthest among the offsets a longer match
                        // agrees on, and that are already linked.
                        let last = min(length - minMatch, position - candidate - 1)
                        var furthest = Int(chain[(candidate + follow) & 0xFFFF])
                        var offset = 0
                        while offset <= last {
                            let distance = Int(chain[(candidate + offset) & 0xFFFF])
                            if distance > furthest {
                                furthest = distance
                                follow = offset
                            }
                            offset += 1
                        }
                    }
                }
                candidate = previous(candidate &+ follow) &- follow
            }
            return best
        }

        /// The longest match that covers `position`, starts at or after `lowest`, ends no later
        /// than `limit` and is longer than `minimum`, or a length of 0 when there is none.
        ///
        /// Requires `lowest <= position`, `position + minMatch <= limit`, `lowest + minimum <= limit`
        /// and `limit + lastLiterals <= count`.
        mutating func findWider(at position: Int, lowest: Int, longerThan minimum: Int, limit: Int) -> Match {
            link(upTo: position)
            let word = read32(source, position)
            var candidate = Int(head[slot(word)])
            let windowStart = max(0, position - maxOffset)
            let maxBack = position - lowest
            var best = Match.none
            var bestLength = minimum
            // A longer match starts at or after `lowest`, so it covers the byte at
            // `lowest + bestLength`: the four bytes ending there must agree (when they are after
            // `position`), and they are before `limit + 1`.
            var check = max(0, lowest + bestLength - 3 - position)
            var steps = searchDepth
            while candidate >= windowStart && candidate < position && steps > 0 {
                steps &-= 1
                if read32(source, candidate &+ check) == read32(source, position &+ check)
                    && read32(source, candidate) == word
                {
                    let forward =
                        minMatch + matchLength(source, position + minMatch, candidate + minMatch, limit: limit)
                    if forward + maxBack > bestLength {
                        var back = 0
                        while back < maxBack && candidate &- back > 0
                            && source.load(fromByteOffset: position &- back &- 1, as: UInt8.self)
                                == source.load(fromByteOffset: candidate &- back &- 1, as: UInt8.self)
                        {
                            back &+= 1
                        }
                        if forward + back > bestLength {
                            bestLength = forward + back
                            best = Match(start: position - back, length: bestLength, reference: candidate - back)
                            if forward >= chainNiceLength { break }
                            check = max(0, lowest + bestLength - 3 - position)
                        }
                    }
                }
                candidate = previous(candidate)
            }
            return best
        }
    }

    /// LZ4 parse of `count` (> `matchFindLimit`) bytes at `source`, written through `writer`.
    static func compressChained(
        _ source: UnsafeRawPointer, _ count: Int, _ finder: inout ChainMatchFinder, _ writer: inout SequenceWriter
    ) {
        // A match may start no later than `lastMatchStart` and extend no further than `matchLimit`.
        let lastMatchStart = count - matchFindLimit
        let matchLimit = count - lastLiterals
        var anchor = 0
        var position = 0

        /// Writes the literals from `anchor` to the start of `match`, then `match` cut at `end`.
        func emit(_ match: Match, until end: Int) {
            writer.emitSequence(
                source + anchor, match.start - anchor, offset: match.start - match.reference,
                matchLength: end - match.start)
            anchor = end
        }

        /// A match longer than `match` that covers a byte near its end and starts at or after its
        /// start (so it also ends after it), or a length of 0.
        func wider(than match: Match) -> Match {
            let probe = match.end - chainProbeBack
            guard match.length < chainNiceLength, probe <= lastMatchStart else { return .none }
            return finder.findWider(at: probe, lowest: match.start, longerThan: match.length, limit: matchLimit)
        }

        /// Where `first` hands over to `second` (`first.start + 4 <= second.start <= first.end`):
        /// no earlier than `second.start`, no later than `latest`, and up to `tokenMatchLength` bytes
        /// into `first`, leaving `second` at least 4 bytes.
        func handover(_ first: Match, _ second: Match, latest: Int) -> Int {
            max(second.start, min(first.start + tokenMatchLength, first.end, second.end - minMatch, latest))
        }

        while position <= lastMatchStart {
            var first = finder.find(at: position, limit: matchLimit)
            if first.length == 0 {
                position += 1
                continue
            }
            while first.start > anchor && first.reference > 0
                && source.load(fromByteOffset: first.start - 1, as: UInt8.self)
                    == source.load(fromByteOffset: first.reference - 1, as: UInt8.self)
            {
                first = Match(start: first.start - 1, length: first.length + 1, reference: first.reference - 1)
            }
            // Invariants: anchor <= first.start; when second.length > 0,
            // first.start + 4 <= second.start <= first.end < second.end; when fallback.length > 0,
            // anchor <= fallback.start < first.start. Every match written starts at or before
            // `lastMatchStart` (a fallback is only restored 4 bytes or more before a match that
            // does), ends at or before `matchLimit` and is at least 4 bytes long.
            var second = Match.none
            var fallback = Match.none
            while true {
                if second.length == 0 {
                    second = wider(than: first)
                    if second.length == 0 { break }
                    if fallback.length > 0 && second.start - fallback.start >= minMatch
                        && second.start <= fallback.end
                    {
                        // A match dropped earlier covers the literals before this one.
                        first = fallback
                        fallback = .none
                    } else if second.start - first.start < minMatch {
                        if fallback.length == 0 { fallback = first }
                        first = second
                        second = .none
                        continue
                    }
                }
                let third = wider(than: second)
                if third.length == 0 {
                    let cut = handover(first, second, latest: lastMatchStart)
                    emit(first, until: cut)
                    first = second.starting(at: cut)
                    break
                }
                if third.start < first.end + 3 {
                    // The second match costs a token and an offset (3 bytes) and covers at most
                    // 2 bytes that the first and third do not: drop it.
                    let cut = min(first.end, third.start)
                    emit(first, until: cut)
                    fallback =
                        third.start > cut && second.end - cut >= minMatch ? second.starting(at: cut) : .none
                    first = third
                    second = .none
                } else if third.start - second.start < minMatch {
                    // The third replaces the second, whose head would be too short a match.
                    emit(first, until: first.end)
                    fallback = .none
                    first = third
                    second = .none
                } else {
                    let cut = handover(first, second, latest: min(lastMatchStart, third.start - minMatch))
                    emit(first, until: cut)
                    fallback = .none
                    first = second.starting(at: cut)
                    second = third
                }
            }
            emit(first, until: first.end)
            position = first.end
        }
        writer.emitLastLiterals(source + anchor, count - anchor)
    }
}
