import Testing

@testable import TraIndex

/// The skip data's frontier: every block bounds exactly what its documents can score, for any
/// scoring that grows with the frequency and shrinks with the field length.
@Suite struct BlockFrontierTests {
    /// A deterministic generator (xorshift) so that failures reproduce.
    private struct Random {
        var state: UInt64
        mutating func next(_ bound: UInt32) -> UInt32 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt32(state % UInt64(bound))
        }
    }

    @Test func keepsTheUndominatedPairsShortestFirst() {
        var points: [(norm: UInt32, freq: UInt32)] = [(50, 3), (10, 1), (10, 2), (80, 3), (200, 9), (30, 2), (120, 5)]
        PostingsSerializer.reduceToFrontier(&points)
        #expect(points.map(\.norm) == [10, 50, 120, 200])
        #expect(points.map(\.freq) == [2, 3, 5, 9])
    }

    /// Random pairs, frequencies small and large (the table and the sorted ones), lengths often
    /// equal: the frontier is exactly the pairs no other pair dominates, by the definition.
    @Test(arguments: [3, 11, 29])
    func keepsExactlyTheUndominatedPairs(seed: UInt64) {
        var random = Random(state: seed &* 0x9E37_79B9_7F4A_7C15 | 1)
        for round in 0..<300 {
            let count = 1 + Int(random.next(140))
            let freqCap: UInt32 = round % 3 == 0 ? 200 : 12
            let points = (0..<count).map { _ in (norm: 1 + random.next(40), freq: 1 + random.next(freqCap)) }
            var frontier = points
            PostingsSerializer.reduceToFrontier(&frontier)
            // Undominated: no other pair as short or shorter and as frequent or more, one strictly.
            var expected = points.filter { point in
                !points.contains { other in
                    other.norm <= point.norm && other.freq >= point.freq
                        && (other.norm < point.norm || other.freq > point.freq)
                }
            }
            expected.sort { $0.norm < $1.norm }
            var distinct: [(norm: UInt32, freq: UInt32)] = []
            for point in expected where distinct.last.map({ $0 != point }) ?? true { distinct.append(point) }
            guard distinct.count <= PostingsSerializer.maximumFrontier else { continue }
            #expect(frontier.map(\.norm) == distinct.map(\.norm), "round \(round)")
            #expect(frontier.map(\.freq) == distinct.map(\.freq), "round \(round)")
        }
    }

    @Test func mergesNeighboursIntoADominatingPointBeyondTheLimit() {
        var points = (1...40).map { (norm: UInt32($0 * 10), freq: UInt32($0)) }
        PostingsSerializer.reduceToFrontier(&points)
        #expect(points.count == PostingsSerializer.maximumFrontier)
        // Every original pair is dominated by a kept one: shorter or as long, and as frequent or more.
        for i in 1...40 {
            #expect(points.contains { $0.norm <= UInt32(i * 10) && $0.freq >= UInt32(i) })
        }
    }

    /// Blocks written with random lengths and frequencies: the cursor's block maximum equals the
    /// largest score of the block's documents, for several BM25 length normalizations.
    @Test(arguments: [1, 7, 42])
    func blockMaximumIsTheLargestScoreOfTheBlock(seed: UInt64) throws {
        var random = Random(state: seed &* 0x9E37_79B9_7F4A_7C15 | 1)
        let count = 128 * 3 + 17
        let docs = (0..<UInt32(count)).map { $0 * 2 }
        let norms = (0..<count * 2).map { _ in 1 + random.next(3000) }
        let freqs = docs.map { _ in 1 + random.next(random.next(4) == 0 ? 60 : 4) }
        var serializer = PostingsSerializer()
        _ = serializer.write(docs: docs[...], freqs: freqs[...], positions: nil, norms: norms)
        let bytes = serializer.postings.bytes
        let scorings: [(b: Double, average: Double)] = [(0.75, 500), (0.3, 2000), (1, 50), (0, 1)]
        try bytes.withUnsafeBytes { buffer in
            var cursor = try PostingsCursor(
                path: "test", postings: buffer, postingsSectionOffset: 0, positions: nil, positionsSectionOffset: 0,
                info: TermInfo(
                    docFreq: count, totalFreq: Int(freqs.reduce(0, +)), postingsOffset: 0, positionsOffset: nil),
                checksums: true)
            var index = 0
            while try cursor.next() {
                defer { index += 1 }
                guard cursor.isInBlock, index % 128 == 0 else { continue }
                let block = index..<index + 128
                #expect(cursor.blockLastDoc == docs[block.upperBound - 1])
                for scoring in scorings {
                    let score = { (norm: UInt32, freq: UInt32) in
                        Double(freq) / (1 - scoring.b + scoring.b * Double(norm) / scoring.average)
                    }
                    let expected = block.map { score(norms[Int(docs[$0])], freqs[$0]) }.max() ?? 0
                    #expect(abs(cursor.blockMaximum(score) - expected) <= 1e-12 * expected)
                }
            }
            #expect(index == count)
        }
    }

    /// A block's stored frequencies (`freq - 1`) become frequencies, with their largest and their
    /// sum exact whether the 32-bit lanes could wrap (values of 2^24 and more) or not, and a
    /// stored `UInt32.max` (damaged bytes) shows as the largest.
    @Test func frequenciesFromStoredValues() {
        let cases: [[UInt32]] = [
            (0..<128).map { UInt32($0 % 7) }, (0..<128).map { $0 == 77 ? 1 << 24 : UInt32($0) },
            [UInt32](repeating: UInt32.max - 1, count: 128), (0..<128).map { $0 == 3 ? UInt32.max : 1 },
            [5, 6, 7],
        ]
        for stored in cases {
            var values = stored
            let (largest, sum) = values.withUnsafeMutableBufferPointer { PostingsCursor.frequencies(fromStored: $0) }
            #expect(largest == stored.max())
            #expect(sum == stored.reduce(0) { $0 + UInt64($1) })
            #expect(values == stored.map { $0 &+ 1 })
        }
    }

    /// Version 6: a term with a full block has a frontier of its own, which bounds the score of
    /// every one of its documents (blocks and tail) and is exact while it needs no merging; a term
    /// with only a tail has none (1, 127, 128, 129 and 401 documents).
    @Test(arguments: [(1, 3), (127, 5), (128, 7), (129, 11), (401, 13)])
    func termMaximumBoundsEveryDocument(count: Int, seed: UInt64) throws {
        var random = Random(state: seed &* 0x9E37_79B9_7F4A_7C15 | 1)
        let docs = (0..<UInt32(count)).map { $0 * 3 + 1 }
        let norms = (0..<count * 3 + 1).map { _ in 1 + random.next(3000) }
        let freqs = docs.map { _ in 1 + random.next(random.next(4) == 0 ? 60 : 4) }
        var serializer = PostingsSerializer()
        _ = serializer.write(docs: docs[...], freqs: freqs[...], positions: nil, norms: norms)
        try serializer.postings.bytes.withUnsafeBytes { buffer in
            let info = TermInfo(
                docFreq: count, totalFreq: Int(freqs.reduce(0, +)), postingsOffset: 0, positionsOffset: nil)
            let cursor = try PostingsCursor(
                path: "test", postings: buffer, postingsSectionOffset: 0, positions: nil, positionsSectionOffset: 0,
                info: info, checksums: true)
            guard count >= 128 else {
                #expect(try cursor.termMaximum { Double($1) / Double($0) } == nil)
                return
            }
            let points = try #require(try cursor.termFrontierPoints())
            #expect(points.count <= PostingsSerializer.maximumFrontier)
            for scoring: (b: Double, average: Double) in [(0.75, 500), (0.3, 2000), (1, 50), (0, 1)] {
                let score = { (norm: UInt32, freq: UInt32) in
                    Double(freq) / (1 - scoring.b + scoring.b * Double(norm) / scoring.average)
                }
                let largest = docs.indices.map { score(norms[Int(docs[$0])], freqs[$0]) }.max() ?? 0
                let maximum = try #require(try cursor.termMaximum(score))
                #expect(maximum >= largest * (1 - 1e-12))
                // Every point is a document's (length, frequency) or dominates two such.
                if points.count < PostingsSerializer.maximumFrontier {
                    #expect(abs(maximum - largest) <= 1e-12 * largest)
                }
            }
            // The documents read as written, past the frontier.
            var reading = cursor
            var read: [UInt32] = []
            while try reading.next() { read.append(reading.doc) }
            #expect(read == docs)
        }
    }

    /// The postings of one full block without checksums, positions or term frontier (versions 2
    /// to 5 without checksums; version 1 with `bounds` writing MaxFreq MinNorm): documents 0...127, each
    /// once but document 5, 7 times (134 in all), the block's bounds written by `bounds`.
    private static func oneBlock(bounds: (inout ByteWriter) -> Void) -> [UInt8] {
        let gaps = [UInt32](repeating: 0, count: 128)  // documents 0...127
        var freqs = [UInt32](repeating: 0, count: 128)
        freqs[5] = 6  // frequency 7 at document 5
        var data: [UInt8] = []
        for values in [gaps, freqs] {
            values.withUnsafeBufferPointer { values in
                let bits = BitPacking.requiredBitWidth(values)
                data.append(UInt8(bits))
                BitPacking.pack(values, bitWidth: bits, into: &data)
            }
        }
        var writer = ByteWriter()
        writer.writeVarInt(1)  // BlockCount
        writer.writeVarInt(128)  // LastDoc: 127 - (-1)
        writer.writeVarInt(data.count)  // BlockLength
        bounds(&writer)
        writer.write(bytes: data)
        return writer.bytes
    }

    /// A cursor passes a header's frontier points without checking them (the header's checksum
    /// covers their bytes, and `tra verify` compares each frontier with its block's documents):
    /// points that do not increase, or whose sums pass `UInt32` (or even `UInt64`), read as written
    /// (wrapped and truncated), a wrong bound but never a crash or a refused block.
    @Test func readsAFrontierThatDoesNotIncreaseAsWritten() throws {
        let postings = Self.oneBlock { writer in
            // Four points, as deltas: (12, 7), (+0, +0), (+2^33, +1), (+UInt64.max, +1).
            writer.writeVarInt(4)
            for delta: UInt64 in [12, 7, 0, 0, 1 << 33, 1, .max, 1] { writer.writeVarInt(delta) }
        }
        try postings.withUnsafeBytes { buffer in
            var cursor = try PostingsCursor(
                path: "frontier", postings: buffer, postingsSectionOffset: 0, positions: nil,
                positionsSectionOffset: 0,
                info: TermInfo(docFreq: 128, totalFreq: 134, postingsOffset: 0, positionsOffset: nil),
                termFrontiers: false)
            #expect(try cursor.next())
            #expect(cursor.isInBlock && cursor.blockLastDoc == 127)
            #expect(
                cursor.blockFrontierPoints().map { [$0.norm, $0.freq] } == [[12, 7], [12, 7], [12, 8], [11, 9]])
            #expect(cursor.blockMaximum { Double($1) / Double($0) } == 9.0 / 11.0)
            var total: UInt32 = cursor.freq
            while try cursor.next() { total += cursor.freq }
            #expect(total == 134)
        }
    }

    /// Version 1 block headers (`MaxFreq MinNorm`) still read, as a one-point frontier.
    @Test func readsVersionOneBlockHeaders() throws {
        let postings = Self.oneBlock { writer in
            writer.writeVarInt(7)  // MaxFreq
            writer.writeVarInt(12)  // MinNorm
        }
        try postings.withUnsafeBytes { buffer in
            var cursor = try PostingsCursor(
                path: "v1", postings: buffer, postingsSectionOffset: 0, positions: nil, positionsSectionOffset: 0,
                info: TermInfo(docFreq: 128, totalFreq: 134, postingsOffset: 0, positionsOffset: nil),
                singlePointBlockBounds: true, termFrontiers: false)
            #expect(try cursor.next())
            #expect(cursor.isInBlock && cursor.blockLastDoc == 127)
            #expect(cursor.blockFrontierPoints().map { [$0.norm, $0.freq] } == [[12, 7]])
            #expect(cursor.blockMaximum { Double($1) / Double($0) } == 7.0 / 12.0)
            var total: UInt32 = cursor.freq
            while try cursor.next() { total += cursor.freq }
            #expect(total == 134)
        }
    }
}
