import Foundation
import Testing
import TraIndex
import TraTestSupport

@Suite("Pair counts: written while indexing, merged, read back")
struct PairCountsTests {

    /// The count of (`left`, `right`) summed over the snapshot's segments.
    private func count(_ snapshot: IndexSnapshot, _ left: String, _ right: String) throws -> UInt64 {
        try snapshot.segments.reduce(0) { $0 + (try $1.reader.pairCount(Array(left.utf8), Array(right.utf8))) }
    }

    /// The pair key is read from the two keys where they are: it equals the hash of IndexFormat.md
    /// over `left 0x00 right` laid out, for every split of lengths around the 8-byte words.
    @Test func pairHashOfThePartsIsTheHashOfTheLaidOutPair() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt8 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state | 1)
        }
        for leftCount in 0...20 {
            for rightCount in 0...20 {
                let left = (0..<leftCount).map { _ in next() }
                let right = (0..<rightCount).map { _ in next() }
                let laidOut = (left + [0] + right).withUnsafeBytes { PairKey.hash64($0) }
                let fromParts = left.withUnsafeBytes { left in right.withUnsafeBytes { PairKey.hash64(left, $0) } }
                #expect(fromParts == laidOut, "left \(leftCount) bytes, right \(rightCount)")
            }
        }
    }

    @Test func countsConsecutiveTokensOfEveryField() throws {
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        let writer = try IndexWriter(directory: directory, analyzer: IndexTestSupport.analyzer, mode: .create)
        try writer.add(IndexTestSupport.document("a", title: "việt nam", body: ["việt", "nam", "việt", "nam", "viết"]))
        try writer.add(IndexTestSupport.document("b", body: ["viết", "nam", "nam"]))
        try writer.commit()
        let snapshot = try IndexSnapshot(directory: directory, analyzer: IndexTestSupport.analyzer)
        // Title and body pairs add up; pairs never cross documents or fields.
        #expect(try count(snapshot, "việt", "nam") == 3)
        #expect(try count(snapshot, "nam", "việt") == 1)
        #expect(try count(snapshot, "nam", "viết") == 1)
        #expect(try count(snapshot, "viết", "nam") == 1)
        #expect(try count(snapshot, "nam", "nam") == 1)
        #expect(try count(snapshot, "viết", "viết") == 0)
        #expect(try count(snapshot, "nam", "việt") + (try count(snapshot, "việt", "viết")) == 1)
        let reader = try #require(snapshot.segments.first?.reader)
        // Format version 7: under the tokens' own hashes, in TOKEN PAIRS alone.
        #expect(reader.tokenPairs.pairCount == 5)
        #expect(try reader.tokenPairs.entries().map(\.count).reduce(0, +) == 7)
        #expect(!reader.hasOlderPairs && reader.pairs.pairCount == 0)
    }

    @Test(arguments: [1, 31, 32, 33, 64, 65, 1_000])
    func serializedEntriesReadBack(count: Int) throws {
        var generator = SeededGenerator(seed: UInt64(count))
        var entries: [(key: UInt64, count: UInt64)] = []
        for _ in 0..<count {
            entries.append(
                (UInt64.random(in: 0..<(1 << 32), using: &generator), UInt64.random(in: 1...300, using: &generator)))
        }
        entries = PairCountsSerializer.normalize(entries + entries.prefix(3).map { ($0.key, 1) })
        let bytes = PairCountsSerializer.serialize(entries)
        try bytes.withUnsafeBytes { buffer in
            let reader = try PairCountsReader(
                bytes: buffer, path: "test", sectionOffset: 0, version: FormatVersion.current)
            #expect(reader.pairCount == entries.count)
            #expect(try reader.entries().map(\.key) == entries.map(\.key))
            let keys = Set(entries.map(\.key))
            for entry in entries {
                #expect(try reader.count(entry.key) == entry.count)
                if !keys.contains(entry.key + 1) { #expect(try reader.count(entry.key + 1) == 0) }
            }
            #expect(try reader.count(UInt64.max) == 0)
        }
    }

    /// Lookups read most codes a word at a time and hand over to the bit reader near a block's
    /// end or for a code longer than a word: counts of 2^29 and more (gamma codes of 59 bits and
    /// more) in the middle of blocks, and gaps of every size, against the full scan.
    @Test(arguments: [2, 7])
    func lookupsAgreeWithTheScanAcrossLongCodes(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        var entries: [(key: UInt64, count: UInt64)] = []
        for _ in 0..<2_000 {
            let long = Int.random(in: 0..<50, using: &generator) == 0
            let count =
                long
                ? UInt64.random(in: (1 << 29)...(1 << 40), using: &generator)
                : UInt64.random(
                    in: 1...12, using: &generator)
            let key = UInt64.random(in: 0..<(1 << UInt64.random(in: 12...32, using: &generator)), using: &generator)
            entries.append((key, count))
        }
        entries = PairCountsSerializer.normalize(entries)
        let bytes = PairCountsSerializer.serialize(entries)
        try bytes.withUnsafeBytes { buffer in
            let reader = try PairCountsReader(
                bytes: buffer, path: "test", sectionOffset: 0, version: FormatVersion.current)
            let scanned = try reader.entries()
            #expect(scanned.map(\.key) == entries.map(\.key))
            #expect(scanned.map(\.count) == entries.map(\.count))
            let keys = Set(entries.map(\.key))
            for entry in entries {
                #expect(try reader.count(entry.key) == entry.count)
                for absent in [entry.key &- 1, entry.key + 1] where !keys.contains(absent) {
                    #expect(try reader.count(absent) == 0)
                }
            }
        }
    }

    @Test func mergesAddCountsUp() throws {
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        do {
            let writer = try IndexWriter(directory: directory, analyzer: IndexTestSupport.analyzer, mode: .create)
            try writer.add(IndexTestSupport.document("a", body: ["hà", "nội", "mùa", "thu"]))
            try writer.commit()
            try writer.add(IndexTestSupport.document("b", body: ["hà", "nội", "hà", "nội"]))
            try writer.commit()
            try writer.add(IndexTestSupport.document("c", body: ["hà", "nam"]))
            #expect(try writer.delete(id: "a"))
            try writer.commit()
            try writer.forceMerge()
        }
        let snapshot = try IndexSnapshot(directory: directory, analyzer: IndexTestSupport.analyzer)
        #expect(snapshot.segments.count == 1)
        // Counts of deleted documents stay (IndexFormat.md, "PAIRS").
        #expect(try count(snapshot, "hà", "nội") == 3)
        #expect(try count(snapshot, "nội", "hà") == 1)
        #expect(try count(snapshot, "hà", "nam") == 1)
        #expect(try count(snapshot, "mùa", "thu") == 1)
        _ = try IndexVerifier.verify(directory: directory)
    }

    /// The blocks are the codes ``BitWriter`` writes (the reference encoder), bit for bit: gaps
    /// and counts of every size, codes of one put and codes split across several (unary parts
    /// past 55 bits, gamma codes of counts past 2^27), in full blocks and a short last one.
    @Test(arguments: [3, 11])
    func blocksAreTheReferenceCodes(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        var entries: [(key: UInt64, count: UInt64)] = []
        for _ in 0..<1_000 {
            let key = UInt64.random(in: 0..<(1 << UInt64.random(in: 8...32, using: &generator)), using: &generator)
            let count = UInt64.random(in: 1...(1 << UInt64.random(in: 1...63, using: &generator)), using: &generator)
            entries.append((key, count))
        }
        entries = PairCountsSerializer.normalize(entries)
        let bytes = PairCountsSerializer.serialize(entries)
        let blockCount = (entries.count + PairCountsSerializer.blockSize - 1) / PairCountsSerializer.blockSize
        let indexOffset =
            bytes.count - PairCountsSerializer.trailerSize - blockCount * PairCountsSerializer.indexEntrySize
        var expected: [UInt8] = []
        for start in stride(from: 0, to: entries.count, by: PairCountsSerializer.blockSize) {
            let block = entries[start..<min(start + PairCountsSerializer.blockSize, entries.count)]
            let k = Int(bytes[expected.count])
            var writer = BitWriter()
            writer.writeGamma(block.first!.count)
            for (previous, entry) in zip(block.dropLast(), block.dropFirst()) {
                writer.writeRice(entry.key - previous.key - 1, k: k)
                writer.writeGamma(entry.count)
            }
            writer.finish()
            expected.append(UInt8(k))
            expected += writer.bytes
        }
        #expect(Array(bytes[..<indexOffset]) == expected)
    }

    /// The counter's own arrays give the section its entries give.
    @Test func counterAndEntriesGiveTheSameSection() {
        var generator = SeededGenerator(seed: 5)
        var counter = PairCounter(minimumLogLength: 100)
        for _ in 0..<50 {
            counter.add((0..<40).map { _ in UInt32.random(in: 0..<5_000, using: &generator) })
            if counter.isLogFull { counter.compact() }
        }
        let fromCounter = PairCountsSerializer.serialize(counter)
        counter.compact()
        #expect(fromCounter == PairCountsSerializer.serialize(counter.entries))
    }

    @Test func badTrailersAndEntriesAreCorrupt() throws {
        let entries: [(key: UInt64, count: UInt64)] = [(5, 2), (9, 1)]
        var bytes = PairCountsSerializer.serialize(entries)
        _ = bytes.withUnsafeBytes { buffer in
            #expect(throws: IndexError.self) {
                try PairCountsReader(
                    bytes: UnsafeRawBufferPointer(rebasing: buffer.dropLast()), path: "t", sectionOffset: 0,
                    version: FormatVersion.current)
            }
        }
        bytes[1] ^= 0x40  // in the block's codes: its checksum fails
        try bytes.withUnsafeBytes { buffer in
            let reader = try PairCountsReader(
                bytes: buffer, path: "t", sectionOffset: 0, version: FormatVersion.current)
            #expect(throws: IndexError.self) { try reader.entries() }
            #expect(throws: IndexError.self) { try reader.count(5) }
        }
    }

    /// Blocks of 64 entries: one key per gap size class, counts from 1 to the largest, keys at
    /// both ends of the 32-bit range.
    @Test func extremeKeysAndCountsReadBack() throws {
        var entries: [(key: UInt64, count: UInt64)] = [(0, 1), (1, UInt64.max), (2, 1 << 32)]
        var key: UInt64 = 2
        for shift in 0..<31 {
            key += 1 << UInt64(shift)
            entries.append((key, UInt64(shift + 1)))
        }
        entries.append(((1 << 32) - 2, 3))
        entries.append(((1 << 32) - 1, 1))
        let bytes = PairCountsSerializer.serialize(entries)
        try bytes.withUnsafeBytes { buffer in
            let reader = try PairCountsReader(
                bytes: buffer, path: "t", sectionOffset: 0, version: FormatVersion.current)
            #expect(try reader.entries().map(\.key) == entries.map(\.key))
            #expect(try reader.entries().map(\.count) == entries.map(\.count))
            for entry in entries { #expect(try reader.count(entry.key) == entry.count) }
            #expect(try reader.count(1 << 32) == 0)
        }
    }
}

@Suite("Pair counts: damaged codes behind valid checksums")
struct PairCountsDamageTests {
    /// Flips bytes inside the blocks of a PAIRS section, then rewrites every block checksum and
    /// the index checksum, so that the damage reaches the Rice and gamma decoders: lookups and
    /// full reads either give counts or throw, never trap or hang.
    @Test func damagedCodesNeverTrap() throws {
        var generator = SeededGenerator(seed: 99)
        var entries: [(key: UInt64, count: UInt64)] = []
        for _ in 0..<500 {
            entries.append(
                (UInt64.random(in: 0..<(1 << 32), using: &generator), UInt64.random(in: 1...5, using: &generator)))
        }
        entries = PairCountsSerializer.normalize(entries)
        let clean = PairCountsSerializer.serialize(entries)
        let trailer = PairCountsSerializer.trailerSize
        let indexOffset = clean.withUnsafeBytes {
            Int($0.loadUnaligned(fromByteOffset: clean.count - trailer + 12, as: UInt64.self))
        }
        let blockCount = (clean.count - trailer - indexOffset) / PairCountsSerializer.indexEntrySize
        var detected = 0
        for _ in 0..<300 {
            var bytes = clean
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<indexOffset, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            // Every block's checksum, then the index's, made to match the damaged bytes.
            for block in 0..<blockCount {
                let entry = indexOffset + block * PairCountsSerializer.indexEntrySize
                let start = bytes.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: entry + 4, as: UInt32.self)) }
                let end =
                    block + 1 < blockCount
                    ? bytes.withUnsafeBytes {
                        Int(
                            $0.loadUnaligned(
                                fromByteOffset: entry + 4 + PairCountsSerializer.indexEntrySize, as: UInt32.self))
                    } : indexOffset
                let crc = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
                withUnsafeBytes(of: crc.littleEndian) { bytes.replaceSubrange((entry + 8)..<(entry + 12), with: $0) }
            }
            let indexCRC = bytes.withUnsafeBytes {
                CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[indexOffset..<(bytes.count - 4)]))
            }
            withUnsafeBytes(of: indexCRC.littleEndian) { bytes.replaceSubrange((bytes.count - 4)..., with: $0) }
            try bytes.withUnsafeBytes { buffer in
                let reader = try PairCountsReader(
                    bytes: buffer, path: "t", sectionOffset: 0, version: FormatVersion.current)
                // Damage shows as an error or as entries that differ; it never traps.
                if let read = try? reader.entries() {
                    if read.map(\.key) != entries.map(\.key) || read.map(\.count) != entries.map(\.count) {
                        detected += 1
                    }
                } else {
                    detected += 1
                }
                for entry in entries.prefix(50) { _ = try? reader.count(entry.key) }
            }
        }
        // The damage reached the decoders (a flipped bit in a count or a gap changes what reads).
        #expect(detected > 250, "\(detected) of 300 damaged sections read differently")
    }
}
