import Foundation
import Testing
import TraIndex
import TraTestSupport

/// Format version 3: a flipped byte inside a postings block, its positions, a tail, a stored
/// block or a pairs block is reported by the reader when a search or a fetch reads it (not only by
/// `tra verify`), naming the file and the block's offset; the rest of the damaged segment reads
/// as before.
@Suite("Block checksums (format version 3 on)")
struct BlockChecksumTests {
    /// One segment of 300 documents: "việt" has two full blocks and a tail of 44, "w3" only a
    /// tail; stored fields fill several blocks; 300 distinct pairs fill several pair blocks.
    final class Segment {
        let file: CommittedSegment
        var path: String { file.path }
        var original: Data { file.original }

        init() throws {
            file = try CommittedSegment(
                (0..<300).map { doc in
                    var document = IndexTestSupport.document(
                        "d\(doc)", title: "t\(doc % 5)", body: ["việt", "nam", "w\(doc % 13)", "p\(doc)"])
                    document.stored.append(("pad", String(repeating: "văn bản \(doc) ", count: 100)))
                    return document
                })
        }

        /// A reader of the segment with the byte at `offset` flipped. The file is rewritten in place:
        /// readers opened before see the damage too.
        func damaged(at offset: Int) throws -> SegmentReader {
            try file.damage(at: offset)
            return try SegmentReader(path: path)
        }

        func clean() throws -> SegmentReader {
            try file.restore()
            return try SegmentReader(path: path)
        }
    }

    static let viet = IndexTestSupport.term(.body, folded: "viet", accented: "việt")
    static let nam = IndexTestSupport.term(.body, folded: "nam", accented: "nam")
    static let w3 = IndexTestSupport.term(.body, folded: "w3", accented: "w3")

    /// Runs `body`, which must throw a corrupt-index error that names a checksum, the file and `offset`.
    func expectChecksumError(
        _ segment: Segment, at offset: Int? = nil, _ body: () throws -> Void,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            try body()
            Issue.record("no error", sourceLocation: sourceLocation)
        } catch let error as IndexError {
            #expect(error.code == .corrupt, sourceLocation: sourceLocation)
            #expect(error.message.contains("checksum failed"), "\(error)", sourceLocation: sourceLocation)
            #expect(error.file == segment.path, sourceLocation: sourceLocation)
            if let offset { #expect(error.offset == offset, "\(error)", sourceLocation: sourceLocation) }
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    func section(_ reader: SegmentReader, _ section: SegmentFile.Section) throws -> Range<Int> {
        try #require(reader.layout.sections[section]?.range)
    }

    @Test func writesTheCurrentVersion() throws {
        let segment = try Segment()
        let reader = try segment.clean()
        #expect(reader.layout.formatVersion == FormatVersion.current)
        #expect(reader.layout.formatVersion >= FormatVersion.blockChecksums)
        #expect(try reader.lookup(Self.viet)?.docFreq == 300)
    }

    @Test func damagedPostingsBlockIsReportedWhenRead() throws {
        let segment = try Segment()
        let clean = try segment.clean()
        let info = try #require(try clean.lookup(Self.viet))
        let expected = try IndexTestSupport.postings(clean, Self.viet)
        let expectedNam = try IndexTestSupport.postings(clean, Self.nam)
        let postings = try section(clean, .postings)
        // BlockCount 2 is one byte, then the term's frontier (version 6, 7 bytes: TermFrontierCRC and
        // the one point (4, 1)); the first block follows: a header of 19 bytes (HeaderCRC,
        // LastDoc 128 in two bytes, BlockLength, a one-point frontier, PositionsLength 17 (the
        // chunk's parameter 0 and 128 one-bit codes), PositionsCRC, DataCRC), then 2 bytes of
        // data, as every document has "việt" once at position 0 (no packed gaps or frequencies).
        let block = postings.lowerBound + info.postingsOffset + 1 + 7
        for offset in [block, block + 4, block + 9, block + 16, block + 19, block + 20] {
            let reader = try segment.damaged(at: offset)
            expectChecksumError(segment, at: block) { _ = try IndexTestSupport.postings(reader, Self.viet) }
            var cursor = try reader.postings(info)
            if offset < block + 19 {
                // Skipping the block reads its header: a damaged LastDoc must not skip documents.
                expectChecksumError(segment, at: block) { _ = try cursor.advance(to: 200) }
                // So does reading the term's block table, which every header goes into.
                expectChecksumError(segment, at: block) { _ = try reader.postings(info).readSkips() }
            } else {
                // Skipping it reads only its header: its damaged data is never read.
                #expect(try cursor.advance(to: 200))
                #expect(cursor.doc == 200)
                #expect(try cursor.positions() == expected[200].2)
                // A cursor going by the block table jumps over it the same way.
                var jumping = try reader.postings(info)
                jumping.useSkips(try reader.postings(info).readSkips())
                #expect(try jumping.advance(to: 200))
                #expect(jumping.doc == 200)
                #expect(try jumping.positions() == expected[200].2)
            }
            #expect(try IndexTestSupport.postings(reader, Self.nam).elementsEqual(expectedNam, by: ==))
        }
    }

    @Test func damagedPositionsAreReportedOnlyWhenRead() throws {
        let segment = try Segment()
        let clean = try segment.clean()
        let info = try #require(try clean.lookup(Self.viet))
        let positions = try section(clean, .positions)
        let expected = try IndexTestSupport.postings(clean, Self.viet)
        let reader = try segment.damaged(at: positions.lowerBound + (info.positionsOffset ?? 0) + 3)
        // Documents and frequencies need no positions: they read as before.
        var cursor = try reader.postings(info)
        var docs: [UInt32] = []
        while try cursor.next() { docs.append(cursor.doc) }
        #expect(docs == expected.map(\.0))
        // The first block's positions are damaged.
        expectChecksumError(segment, at: positions.lowerBound + (info.positionsOffset ?? 0)) {
            var cursor = try reader.postings(info)
            _ = try cursor.next()
            _ = try cursor.positions()
        }
        // The second block's and the tail's are not.
        var skipping = try reader.postings(info)
        for target in [130, 299] as [UInt32] {
            #expect(try skipping.advance(to: target))
            #expect(try skipping.positions() == expected[Int(target)].2)
        }
    }

    /// The fuzzer's reader (`verifyingBlocks: false`) takes a damaged block's bytes to its decoder
    /// instead of refusing them at its checksum; what it reads then is garbage or another error.
    @Test func readerForTheFuzzerSkipsBlockChecksums() throws {
        let segment = try Segment()
        let clean = try segment.clean()
        let info = try #require(try clean.lookup(Self.viet))
        let postings = try section(clean, .postings)
        // The first block's data, after its 19-byte header (see damagedPostingsBlockIsReportedWhenRead).
        let data = postings.lowerBound + info.postingsOffset + 1 + 7 + 19
        _ = try segment.damaged(at: data + 1)
        let verifying = try SegmentReader(path: segment.path)
        expectChecksumError(segment) { _ = try IndexTestSupport.postings(verifying, Self.viet) }
        let fuzzing = try SegmentReader(path: segment.path, verifyingBlocks: false)
        do {
            _ = try IndexTestSupport.postings(fuzzing, Self.viet)
        } catch let error as IndexError {
            #expect(!error.message.contains("checksum"), "\(error)")
        }
    }

    /// Runs `body`, which must throw a corrupt-index error whose message contains `message`.
    func expectCorrupt(_ message: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void)
    {
        do {
            try body()
            Issue.record("no error", sourceLocation: sourceLocation)
        } catch let error as IndexError {
            #expect(error.code == .corrupt, sourceLocation: sourceLocation)
            #expect(error.message.contains(message), "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    /// The ten-byte varint of UInt64.max: a document gap no segment can hold, which added to a
    /// document number would overflow (a trap, where a damaged file must give an error).
    static let hugeVarInt: [UInt8] = Array(repeating: 0xFF, count: 9) + [0x01]

    @Test func blockHeaderWithAGapPastEveryDocumentIsRefused() throws {
        let segment = try Segment()
        let clean = try segment.clean()
        let info = try #require(try clean.lookup(Self.viet))
        let postings = try section(clean, .postings)
        // The first block's header (see damagedPostingsBlockIsReportedWhenRead) with its LastDoc
        // gap written in ten bytes as UInt64.max, the fields after it as they were.
        let block = postings.lowerBound + info.postingsOffset + 1 + 7
        var bytes = segment.original
        let header = Self.hugeVarInt + [0x02, 0x01, 0x04, 0x01, 0x11] + [UInt8](repeating: 0, count: 8)
        bytes.replaceSubrange((block + 4)..<(block + 4 + header.count), with: header)
        try bytes.write(to: URL(fileURLWithPath: segment.path))
        let reader = try SegmentReader(path: segment.path)
        expectCorrupt("bad block header") { _ = try reader.postings(info).readSkips() }
        expectCorrupt("bad block header") {
            var cursor = try reader.postings(info)
            _ = try cursor.advance(to: 200)
        }
        expectCorrupt("bad block header") { _ = try IndexTestSupport.postings(reader, Self.viet) }
    }

    @Test func tailWithAGapPastEveryDocumentIsRefused() throws {
        let segment = try Segment()
        let clean = try segment.clean()
        let info = try #require(try clean.lookup(Self.w3))
        let postings = try section(clean, .postings)
        // BlockCount (one byte, 0), TailCRC, TailPositionsCRC, then the entries: the second one
        // (after document 3's, one byte) replaced by a gap of UInt64.max >> 1 (frequency 1), and
        // TailCRC made to match, so that only the gap is wrong.
        let termStart = postings.lowerBound + info.postingsOffset
        let tail = termStart + 1
        var bytes = segment.original
        #expect(bytes[tail + 8] == 3 << 1 | 1)
        bytes.replaceSubrange((tail + 9)..<(tail + 9 + Self.hugeVarInt.count), with: Self.hugeVarInt)
        // The entries' extent, read as the cursor reads it: the checksum covers BlockCount,
        // TailPositionsCRC and the entries.
        let end = bytes.withUnsafeBytes { raw -> Int in
            var entries = ByteReader(raw, offset: tail + 8)
            for _ in 0..<info.docFreq {
                let value = entries.readVarInt()
                #expect(value != nil)
                if let value, value & 1 == 0 { #expect(entries.readVarInt() != nil) }
            }
            return entries.offset
        }
        var crc = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[termStart..<tail])) }
        crc = bytes.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[(tail + 4)..<end]), seed: crc)
        }
        withUnsafeBytes(of: crc.littleEndian) { bytes.replaceSubrange(tail..<(tail + 4), with: $0) }
        try bytes.write(to: URL(fileURLWithPath: segment.path))
        let reader = try SegmentReader(path: segment.path)
        // Documents only (their positions are not what this damages): document 3, then the gap.
        var cursor = try reader.postings(info)
        #expect(try cursor.next() && cursor.doc == 3)
        expectCorrupt("document number overflow") { _ = try cursor.next() }
    }

    @Test func damagedTailAndTailPositionsAreReported() throws {
        let segment = try Segment()
        let clean = try segment.clean()
        let info = try #require(try clean.lookup(Self.w3))
        #expect(info.docFreq < 128)
        let postings = try section(clean, .postings)
        let positions = try section(clean, .positions)
        let expected = try IndexTestSupport.postings(clean, Self.w3)
        let tail = postings.lowerBound + info.postingsOffset + 1
        // BlockCount is checked against the dictionary's docFreq first.
        #expect(throws: IndexError.self) {
            _ = try IndexTestSupport.postings(try segment.damaged(at: tail - 1), Self.w3)
        }
        // TailCRC, TailPositionsCRC, an entry: covered by TailCRC.
        for offset in [tail, tail + 5, tail + 9] {
            let reader = try segment.damaged(at: offset)
            expectChecksumError(segment, at: tail) { _ = try IndexTestSupport.postings(reader, Self.w3) }
        }
        let reader = try segment.damaged(at: positions.lowerBound + (info.positionsOffset ?? 0) + 1)
        var cursor = try reader.postings(info)
        var docs: [UInt32] = []
        while try cursor.next() { docs.append(cursor.doc) }
        #expect(docs == expected.map(\.0))
        expectChecksumError(segment, at: positions.lowerBound + (info.positionsOffset ?? 0)) {
            _ = try IndexTestSupport.postings(reader, Self.w3)
        }
    }

    /// The stored block index: (offset, compressed length) of each block, from the section's end.
    func storedBlocks(_ reader: SegmentReader) throws -> [(offset: Int, compressed: Int, firstDoc: Int)] {
        let stored = try section(reader, .stored)
        let bytes = UnsafeRawBufferPointer(rebasing: reader.file.bytes[stored])
        var trailer = ByteReader(bytes, offset: bytes.count - 12)
        let indexOffset = trailer.readUInt64()
        var index = ByteReader(bytes, offset: Int(try #require(indexOffset)))
        func varint() throws -> Int {
            let value = index.readVarInt()
            return Int(try #require(value))
        }
        var blocks: [(offset: Int, compressed: Int, firstDoc: Int)] = []
        for _ in 0..<(try varint()) {
            let first = try varint()
            let offset = try varint()
            let compressed = try varint()
            _ = try varint()
            index.offset += 4
            blocks.append((stored.lowerBound + offset, compressed, first))
        }
        return blocks
    }

    @Test func damagedStoredBlockIsReportedWhenFetched() throws {
        let segment = try Segment()
        let clean = try segment.clean()
        let blocks = try storedBlocks(clean)
        try #require(blocks.count >= 3)
        let expected = try clean.document(0).map(\.value)
        let block = blocks[1]
        let reader = try segment.damaged(at: block.offset + block.compressed / 2)
        expectChecksumError(segment, at: block.offset) { _ = try reader.document(block.firstDoc) }
        #expect(try reader.document(0).map(\.value) == expected)
        // The block index is checked when the segment is opened.
        let stored = try section(clean, .stored)
        #expect(throws: IndexError.self) { _ = try segment.damaged(at: stored.upperBound - 14) }
    }

    @Test func damagedPairsBlockIsReportedWhenLookedUp() throws {
        let segment = try Segment()
        let clean = try segment.clean()
        let entries = try clean.tokenPairs.entries()
        try #require(entries.count > 64)
        let pairs = try section(clean, .tokenPairs)
        // Block 0 starts the section.
        let reader = try segment.damaged(at: pairs.lowerBound + 3)
        expectChecksumError(segment, at: pairs.lowerBound) { _ = try reader.tokenPairs.count(entries[0].key) }
        expectChecksumError(segment, at: pairs.lowerBound) { _ = try reader.tokenPairs.entries() }
        let last = try #require(entries.last)
        #expect(try reader.tokenPairs.count(last.key) == last.count)
        // The error names the section it is in (PAIRS and TOKEN PAIRS share a reader).
        let error = #expect(throws: IndexError.self) { _ = try reader.tokenPairs.entries() }
        #expect(error?.message.hasPrefix("TOKEN PAIRS: ") == true, "\(String(describing: error))")
        // The block index and trailer are checked when the segment is opened.
        for offset in [pairs.upperBound - 30, pairs.upperBound - 10] {
            let error = #expect(throws: IndexError.self) { _ = try segment.damaged(at: offset) }
            #expect(error?.message.hasPrefix("TOKEN PAIRS: ") == true, "\(String(describing: error))")
        }
    }

    /// Query restoration looks up pair counts query after query: a reader checks a pairs block of
    /// 64 bytes or more the first time a lookup finds it right, then takes it as checked
    /// (``CheckedRegions``); `entries()` (merges, `tra verify`) and a new reader check it again, and
    /// a block that failed is checked at every lookup.
    @Test func aLookupChecksALongPairsBlockOnce() throws {
        let segment = try Segment()
        let clean = try segment.clean()
        let entries = try clean.tokenPairs.entries()
        // Block 0: 64 entries, each key gap a Rice code of about 24 bits, so well over 64 bytes.
        try #require(entries.count > 64)
        let pairs = try section(clean, .tokenPairs)
        let reader = try SegmentReader(path: segment.path)
        #expect(try reader.tokenPairs.count(entries[0].key) == entries[0].count)
        try segment.file.damage(at: pairs.lowerBound + 3)
        // This reader's lookups take block 0 as checked: no checksum error (what they decode there
        // is not asserted: the damage may change it, or leave a code that does not decode).
        do {
            _ = try reader.tokenPairs.count(entries[1].key)
        } catch {
            #expect(!"\(error)".contains("checksum failed"), "\(error)")
        }
        expectChecksumError(segment, at: pairs.lowerBound) { _ = try reader.tokenPairs.entries() }
        let fresh = try SegmentReader(path: segment.path)
        for _ in 0..<2 {
            expectChecksumError(segment, at: pairs.lowerBound) { _ = try fresh.tokenPairs.count(entries[0].key) }
        }
        // Other blocks still read right.
        let last = try #require(entries.last)
        #expect(try fresh.tokenPairs.count(last.key) == last.count)
    }

    @Test func mergingADamagedSegmentFails() throws {
        let segment = try Segment()
        let clean = try segment.clean()
        let blocks = try storedBlocks(clean)
        let postings = try section(clean, .postings)
        let pairs = try section(clean, .tokenPairs)
        let info = try #require(try clean.lookup(Self.w3))
        for offset in [
            blocks[2].offset + 5, postings.lowerBound + info.postingsOffset + 10, pairs.lowerBound + 40,
        ] {
            let reader = try segment.damaged(at: offset)
            // In one pass, and in two parts on two threads (the error comes back from either).
            for splitAbove in [Int.max, 0] {
                expectChecksumError(segment) {
                    _ = try SegmentMerger.merge(
                        [SegmentMerger.Input(reader: reader, deleted: nil)], id: 99,
                        analyzer: IndexTestSupport.analyzer,
                        splitAbove: splitAbove)
                }
            }
        }
    }

    @Test func everyByteOfTheDamagedSectionsIsCaughtByVerify() throws {
        let segment = try Segment()
        let clean = try segment.clean()
        var report = IndexVerifier.Report()
        try IndexVerifier.verify(clean, deleted: nil, into: &report)
        let info = try #require(try clean.lookup(Self.viet))
        let postings = try section(clean, .postings)
        let reader = try segment.damaged(at: postings.lowerBound + info.postingsOffset + 30)
        #expect(throws: IndexError.self) { try IndexVerifier.verify(reader, deleted: nil, into: &report) }
    }

    /// A frontier whose bytes match their checksums but not the block's documents (what only bytes
    /// tra did not write can hold): a cursor reads it as written, a wrong bound and no error, and
    /// `tra verify`, which compares each block's frontier with its documents', reports it.
    @Test func aFrontierThatMatchesItsChecksumsButNotItsDocumentsIsReportedByVerify() throws {
        let segment = try Segment()
        let clean = try segment.clean()
        let info = try #require(try clean.lookup(Self.viet))
        let expected = try IndexTestSupport.postings(clean, Self.viet)
        let postings = try section(clean, .postings)
        var bytes = Array(segment.original)
        // The first block's header, after BlockCount (one byte), the term's frontier (7 bytes) and
        // HeaderCRC: LastDoc, BlockLength, PointCount, then the first point's LengthDelta and
        // FreqDelta (every document has "việt" once: one point, frequency 1), raised to 2.
        let block = postings.lowerBound + info.postingsOffset + 1 + 7
        var offset = block + 4
        func varint() -> Int {
            var value = 0
            var shift = 0
            while true {
                let byte = bytes[offset]
                offset += 1
                value |= Int(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
        _ = varint()  // LastDoc
        _ = varint()  // BlockLength
        #expect(varint() == 1)  // PointCount
        _ = varint()  // LengthDelta
        let freqAt = offset
        #expect(varint() == 1)
        bytes[freqAt] = 2
        _ = varint()  // PositionsLength
        let dataStart = offset + 8  // PositionsCRC, DataCRC
        // HeaderCRC, then the POSTINGS section's CRC32C in the section table and the table's own.
        let headerCRC = bytes.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[block + 4..<dataStart]))
        }
        for k in 0..<4 { bytes[block + k] = UInt8(truncatingIfNeeded: headerCRC >> (8 * k)) }
        Self.resealPostings(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: segment.path))
        let reader = try SegmentReader(path: segment.path)
        // Read as written: the documents, frequencies and positions are those of the clean file.
        #expect(try IndexTestSupport.postings(reader, Self.viet).elementsEqual(expected, by: ==))
        Self.expectVerifyReports(reader, segment, "the block ending at document 127")
    }

    /// `tra verify` of `reader` reports a frontier (the one `what` names) that does not match its
    /// documents.
    static func expectVerifyReports(
        _ reader: SegmentReader, _ segment: Segment, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var report = IndexVerifier.Report()
        do {
            try IndexVerifier.verify(reader, deleted: nil, into: &report)
            Issue.record("verify found nothing", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == .corrupt, sourceLocation: sourceLocation)
            #expect(error.message.contains(what), "\(error)", sourceLocation: sourceLocation)
            #expect(error.message.contains("does not match its documents"), "\(error)", sourceLocation: sourceLocation)
            #expect(error.file == segment.path, sourceLocation: sourceLocation)
        }
    }

    /// Writes the CRC32C of the POSTINGS section into the section table, then the table's own.
    static func resealPostings(_ bytes: inout [UInt8]) {
        func put(_ value: UInt32, at position: Int) {
            for k in 0..<4 { bytes[position + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
        }
        func crc(_ range: Range<Int>, seed: UInt32 = 0) -> UInt32 {
            bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[range]), seed: seed) }
        }
        func number(at position: Int, _ width: Int) -> Int {
            bytes[position..<position + width].reversed().reduce(0) { $0 << 8 | Int($1) }
        }
        let footer = bytes.count - SegmentFile.footerSize
        let table = number(at: footer, 8)
        let tableLength = number(at: footer + 8, 4)
        // SectionCount(u32), then { Kind(u32) Offset(u64) Length(u64) CRC32C(u32) } per section.
        var found = false
        for entry in stride(from: table + 4, to: table + tableLength, by: 24) where number(at: entry, 4) == 3 {
            let start = number(at: entry + 4, 8)
            put(crc(start..<start + number(at: entry + 12, 8)), at: entry + 20)
            found = true
        }
        precondition(found, "no POSTINGS section")
        put(crc(table..<table + tableLength, seed: crc(0..<SegmentFile.headerSize)), at: footer + 12)
    }

    /// Version 6: a term with a full block has a frontier of its own, the bound of every document
    /// of the term, read for MaxScore's per-term bounds. A damaged byte of it is reported by its
    /// checksum when the bound is read (the documents still read: they do not depend on it).
    @Test func damagedTermFrontierIsReportedWhenItsBoundIsRead() throws {
        let segment = try Segment()
        let clean = try segment.clean()
        let info = try #require(try clean.lookup(Self.viet))
        let expected = try IndexTestSupport.postings(clean, Self.viet)
        let cleanCursor = try clean.postings(info)
        // Every document has "việt" once in a body of 4 tokens: the one point (4, 1).
        #expect(try cleanCursor.termFrontierPoints()?.map { [$0.norm, $0.freq] } == [[4, 1]])
        #expect(try cleanCursor.termMaximum { Double($1) / Double($0) } == 0.25)
        // A term with only a tail has none: its bound comes from the tail.
        let w3 = try #require(try clean.lookup(Self.w3))
        #expect(try clean.postings(w3).termMaximum { Double($1) / Double($0) } == nil)
        let frontier = try section(clean, .postings).lowerBound + info.postingsOffset + 1
        // TermFrontierCRC, then LengthDelta (after PointCount).
        for offset in [frontier, frontier + 6] {
            let reader = try segment.damaged(at: offset)
            let cursor = try reader.postings(info)
            expectChecksumError(segment, at: frontier) { _ = try cursor.termMaximum { Double($1) / Double($0) } }
            #expect(try IndexTestSupport.postings(reader, Self.viet).elementsEqual(expected, by: ==))
            var report = IndexVerifier.Report()
            #expect(throws: IndexError.self) { try IndexVerifier.verify(reader, deleted: nil, into: &report) }
        }
        // A PointCount beyond the 16 points a frontier has is refused when the cursor opens.
        let reader = try segment.damaged(at: frontier + 4)
        #expect(throws: IndexError.self) { _ = try reader.postings(info) }
    }

    /// A term frontier whose bytes match their checksums but not the term's documents: the bound
    /// reads as written (a search would take a wrong bound), and `tra verify` reports it.
    @Test func aTermFrontierThatMatchesItsChecksumsButNotItsDocumentsIsReportedByVerify() throws {
        let segment = try Segment()
        let clean = try segment.clean()
        let info = try #require(try clean.lookup(Self.viet))
        let frontier = try section(clean, .postings).lowerBound + info.postingsOffset + 1
        var bytes = Array(segment.original)
        // TermFrontierCRC, PointCount 1, LengthDelta 4, FreqDelta 1: raised to 2.
        #expect(Array(bytes[frontier + 4..<frontier + 7]) == [1, 4, 1])
        bytes[frontier + 6] = 2
        let crc = bytes.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[frontier + 4..<frontier + 7]))
        }
        for k in 0..<4 { bytes[frontier + k] = UInt8(truncatingIfNeeded: crc >> (8 * k)) }
        Self.resealPostings(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: segment.path))
        let reader = try SegmentReader(path: segment.path)
        #expect(try reader.postings(info).termMaximum { Double($1) / Double($0) } == 0.5)
        Self.expectVerifyReports(reader, segment, "the frontier of term")
    }
}
