import Testing
import TraIndex
import TraTestSupport

/// Format version 5's chunks of positions: exponential-Golomb codes, unary parts first.
@Suite("Position chunks (format version 5)")
struct PositionChunkTests {
    /// Documents' positions as a chunk's values: each position minus the previous one minus 1,
    /// the first from -1.
    static func values(_ documents: [[UInt32]]) -> [UInt32] {
        documents.flatMap { positions in
            positions.indices.map { i in i == 0 ? positions[0] : positions[i] - positions[i - 1] - 1 }
        }
    }

    static func chunk(_ documents: [[UInt32]]) -> [UInt8] {
        var bytes: [UInt8] = []
        PositionChunk.append(values(documents), to: &bytes)
        return bytes
    }

    /// The exact bits of `values`' codes with parameter `k`.
    static func bits(_ values: [UInt32], k: Int) -> Int {
        values.reduce(0) { total, value in
            total + 2 * (63 - (UInt64(value >> UInt32(k)) + 1).leadingZeroBitCount) + 1 + k
        }
    }

    /// Random documents: frequencies from 1 to a few hundred, gaps from dense to sparse, a few
    /// positions near the top of the 32-bit range.
    static func randomDocuments(_ random: inout SeededRandom, count: Int) -> [[UInt32]] {
        let spread = [1, 4, 40, 3_000, 1 << 20][random.next(below: 5)]
        return (0..<count).map { _ in
            let frequency = 1 + random.next(below: random.next(below: 4) == 0 ? 300 : 5)
            var position = UInt64(random.next(below: spread))
            if random.next(below: 50) == 0 { position = UInt64(UInt32.max) - UInt64(frequency) * 2 }
            var positions: [UInt32] = []
            for _ in 0..<frequency {
                guard position <= UInt64(UInt32.max) else { break }
                positions.append(UInt32(position))
                position += 1 + UInt64(random.next(below: random.next(below: 3) == 0 ? spread : 8))
            }
            return positions
        }
    }

    /// The two worked bytes of IndexFormat.md: one position 0, one position 7.
    @Test func smallestChunks() {
        #expect(Self.chunk([[0]]) == [0xe0, 0x01])  // K 0, P 7; the one bit of n = 0
        #expect(Self.chunk([[7]]) == [0x83, 0x0f])  // K 3, P 4; the one bit, then 7 in 3 bits
        // 0, 1, 2 (values 0, 0, 0) with K 0: three one bits.
        #expect(Self.chunk([[0, 1, 2]]) == [0xa0, 0x07])
    }

    /// Every document's positions read back, after skipping any number of documents, whether the
    /// chunk's end is known (a block's) or found by counting (a tail's).
    @Test func roundTripWithSkips() throws {
        var random = SeededRandom(seed: 5)
        for round in 0..<300 {
            let documents = Self.randomDocuments(&random, count: 1 + random.next(below: round % 3 == 0 ? 128 : 12))
            let bytes = [0x5a, 0x5a] + Self.chunk(documents) + [0xff, 0xa5]  // bytes around it
            let count = documents.reduce(0) { $0 + $1.count }
            try bytes.withUnsafeBytes { buffer in
                let known = try #require(PositionChunkReader(buffer, start: 2, end: buffer.count - 2, count: count))
                let found = try #require(PositionChunkReader(buffer, start: 2, limit: buffer.count, count: count))
                #expect(known.end == buffer.count - 2)
                #expect(found.end == buffer.count - 2)
                for var reader in [known, found] {
                    var skipped = 0
                    for positions in documents {
                        if random.next(below: 3) == 0 {
                            skipped += positions.count
                            continue
                        }
                        let skippedOK = reader.skip(skipped)
                        skipped = 0
                        var read: [UInt32] = []
                        let readOK = reader.read(positions.count, into: &read)
                        #expect(skippedOK && readOK)
                        #expect(read == positions)
                    }
                    let lastOK = reader.skip(skipped)
                    #expect(lastOK)
                    // Past the last code: nothing more to read.
                    var extra: [UInt32] = []
                    let extraOK = reader.read(1, into: &extra)
                    #expect(!extraOK)
                }
            }
        }
    }

    /// The writer's parameter makes the chunk as short as the best of all 25, or nearly, and the
    /// bits it reports are its codes'.
    @Test func parameterIsNearlyTheShortest() {
        var random = SeededRandom(seed: 11)
        var chosenBits = 0
        var bestBits = 0
        for _ in 0..<400 {
            let values = Self.values(Self.randomDocuments(&random, count: 1 + random.next(below: 128)))
            let (k, bits) = PositionChunk.parameter(values)
            #expect(bits == Self.bits(values, k: k))
            let best = (0...PositionChunk.maximumParameter).map { Self.bits(values, k: $0) }.min() ?? 0
            #expect(Double(bits) <= Double(best) * 1.05 + 2, "k \(k): \(bits) bits, best \(best)")
            chosenBits += bits
            bestBits += best
        }
        #expect(Double(chosenBits) <= Double(bestBits) * 1.005)
    }

    /// A chunk of one value (a term that occurs once) gets the shortest code of all 25
    /// parameters, and reads back.
    @Test func singleValueTakesTheShortestCode() {
        var values: [UInt32] = [0, 1, 2, 3, 4, 5, 6, 7, 100, 1 << 23, 1 << 24 - 1, 1 << 24, 1 << 25 + 7, UInt32.max]
        var random = SeededRandom(seed: 5)
        for _ in 0..<300 { values.append(UInt32(truncatingIfNeeded: random.next(below: 1 << 20))) }
        for value in values {
            let (k, bits) = PositionChunk.parameter([value])
            let best = (0...PositionChunk.maximumParameter).map { Self.bits([value], k: $0) }.min() ?? 0
            #expect(bits == Self.bits([value], k: k), "value \(value)")
            #expect(bits == best, "value \(value): k \(k), \(bits) bits, best \(best)")
            var bytes: [UInt8] = []
            PositionChunk.append([value], to: &bytes)
            withExactBuffer(bytes) { buffer in
                var reader = PositionChunkReader(buffer, start: 0, end: buffer.count, count: 1)
                var read: [UInt32] = []
                #expect(reader?.read(1, into: &read) == true)
                #expect(read == [value], "value \(value)")
            }
        }
    }

    /// Damaged chunks (a flipped byte, a wrong head, a short end) open as nil or read as false or
    /// as some positions: never a trap, never a read outside the bytes.
    @Test func damagedChunksNeverTrap() {
        var random = SeededRandom(seed: 3)
        var refused = 0
        for round in 0..<2_000 {
            let documents = Self.randomDocuments(&random, count: 1 + random.next(below: 40))
            var bytes = Self.chunk(documents)
            let count = documents.reduce(0) { $0 + $1.count }
            switch round % 3 {
            case 0: bytes[random.next(below: bytes.count)] ^= UInt8(1 + random.next(below: 255))
            case 1: bytes.removeLast(1 + random.next(below: bytes.count))
            default: bytes[0] = UInt8(random.next(below: 256))
            }
            withExactBuffer(bytes) { buffer in
                for candidate in [
                    PositionChunkReader(buffer, start: 0, end: buffer.count, count: count),
                    PositionChunkReader(buffer, start: 0, limit: buffer.count, count: count),
                ] {
                    guard var reader = candidate else {
                        refused += 1
                        continue
                    }
                    var read: [UInt32] = []
                    let skip = random.next(below: count + 1)
                    if reader.skip(skip) && reader.read(count - skip, into: &read) {
                        #expect(read.count == count - skip)
                    } else {
                        refused += 1
                    }
                }
            }
        }
        // Most damage is seen (3,144 of the 4,000 reads when written); the checksums before the
        // reader catch the rest.
        #expect(refused > 2_500)
    }

    /// A cursor whose POSITIONS section is cut short (a block's chunk past the end, or a tail's
    /// chunk without all its codes) throws a corrupt-index error when the positions are read.
    @Test func cursorOverTruncatedPositionsThrows() throws {
        var random = SeededRandom(seed: 9)
        let documents = Self.randomDocuments(&random, count: 300)
        let docs = (0..<UInt32(documents.count)).map { $0 * 3 }
        var serializer = PostingsSerializer()
        _ = serializer.write(
            docs: docs[...], freqs: documents.map { UInt32($0.count) }[...], positions: documents.flatMap { $0 }[...],
            norms: [UInt32](repeating: 1 << 20, count: docs.count * 3))
        let postings = serializer.postings.bytes
        let info = TermInfo(
            docFreq: docs.count, totalFreq: documents.reduce(0) { $0 + $1.count }, postingsOffset: 0, positionsOffset: 0
        )
        func read(_ positions: [UInt8]) throws -> [[UInt32]] {
            try postings.withUnsafeBytes { postingsBuffer in
                try withExactBuffer(positions) { positionsBuffer in
                    var cursor = try PostingsCursor(
                        path: "test", postings: postingsBuffer, postingsSectionOffset: 0, positions: positionsBuffer,
                        positionsSectionOffset: 0, info: info, checksums: true)
                    var read: [[UInt32]] = []
                    while try cursor.next() { read.append(try cursor.positions()) }
                    return read
                }
            }
        }
        let bytes = serializer.positions.bytes
        #expect(try read(bytes) == documents)
        for cut in [1, 2, 5, bytes.count / 3, bytes.count / 2, bytes.count - 1] {
            #expect(throws: IndexError.self, "cut to \(cut) bytes") { try read(Array(bytes.prefix(cut))) }
        }
    }
}
