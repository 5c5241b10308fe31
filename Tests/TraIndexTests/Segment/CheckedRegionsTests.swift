import Foundation
import Testing
import TraIndex

/// A search checks a block of 64 bytes or more against its checksum once per reader
/// (``CheckedRegions``); verification and merges check every block every time, shorter blocks are
/// always checked, and a block that failed is never taken as checked.
@Suite("Checked regions")
struct CheckedRegionsTests {
    @Test func remembersTheGranuleWhereARegionStarts() {
        let regions = CheckedRegions(fileSize: 10_000)
        #expect(!regions.contains(0))
        regions.insert(0)
        regions.insert(640)
        regions.insert(4_096 + 63)
        #expect(regions.contains(0))
        #expect(regions.contains(640))
        #expect(regions.contains(4_096 + 63))
        // Regions of 64 bytes or more start in distinct granules: the neighbours are not taken.
        #expect(!regions.contains(64))
        #expect(!regions.contains(576))
        #expect(!regions.contains(704))
        #expect(!regions.contains(4_096 + 64))
        // Offsets outside the file are never remembered.
        regions.insert(-64)
        regions.insert(1 << 40)
        #expect(!regions.contains(-64))
        #expect(!regions.contains(1 << 40))
        let empty = CheckedRegions(fileSize: 0)
        empty.insert(0)
        #expect(empty.contains(0))
        #expect(!empty.contains(1 << 20))
    }

    /// One segment of 700 documents: "x" is in 280 of them (gaps of 2 and 3 documents, 1 to 7
    /// times at spread positions), so its blocks' data and positions are over 64 bytes each; "v"
    /// opens every document, so its first block's positions are 17 bytes.
    static func segment() throws -> CommittedSegment {
        try CommittedSegment(
            (0..<700).map { doc in
                var words = ["v"]
                if doc % 5 == 0 || doc % 5 == 2 {
                    for k in 0...(doc % 7) { words += Array(repeating: "w", count: (doc + k) % 4) + ["x"] }
                }
                return IndexTestSupport.document("d\(doc)", body: words + ["w"])
            })
    }

    static let x = IndexTestSupport.term(.body, folded: "x", accented: "x")
    static let v = IndexTestSupport.term(.body, folded: "v", accented: "v")

    static func readAll(_ cursor: PostingsCursor) throws -> [(UInt32, UInt32, [UInt32])] {
        var cursor = cursor
        var result: [(UInt32, UInt32, [UInt32])] = []
        while try cursor.next() { result.append((cursor.doc, cursor.freq, try cursor.positions())) }
        return result
    }

    /// Whether `body` throws a checksum error (any other outcome is false).
    static func failsItsChecksum(_ body: () throws -> Void) -> Bool {
        do {
            try body()
            return false
        } catch let error as IndexError {
            return error.code == .corrupt && error.message.contains("checksum failed")
        } catch {
            return false
        }
    }

    /// The file offset where the term's first block's positions start.
    static func firstPositions(_ reader: SegmentReader, _ info: TermInfo) throws -> Int {
        let section = try #require(reader.layout.sections[.positions]?.range)
        return section.lowerBound + (try #require(info.positionsOffset))
    }

    @Test func aSearchChecksALongBlockOnce() throws {
        let segment = try Self.segment()
        let reader = try SegmentReader(path: segment.path)
        let info = try #require(try reader.lookup(Self.x))
        #expect(info.docFreq == 280)
        let expected = try Self.readAll(reader.postings(info))
        #expect(expected.count == 280 && expected.allSatisfy { !$0.2.isEmpty })
        // A search reads every block, all found right.
        #expect(try Self.readAll(reader.searchPostings(info)).elementsEqual(expected, by: ==))
        try segment.damage(at: Self.firstPositions(reader, info) + 3)
        // Searches of this reader take the first block's positions as checked.
        #expect(!Self.failsItsChecksum { _ = try Self.readAll(reader.searchPostings(info)) })
        // Verification and merges read every checksum again.
        #expect(Self.failsItsChecksum { _ = try Self.readAll(reader.postings(info)) })
        // So does a search of a new reader.
        let fresh = try SegmentReader(path: segment.path)
        #expect(Self.failsItsChecksum { _ = try Self.readAll(fresh.searchPostings(info)) })
    }

    @Test func aBlockThatFailedIsCheckedAgain() throws {
        let segment = try Self.segment()
        let clean = try SegmentReader(path: segment.path)
        let info = try #require(try clean.lookup(Self.x))
        try segment.damage(at: Self.firstPositions(clean, info) + 3)
        let reader = try SegmentReader(path: segment.path)
        for _ in 0..<3 {
            #expect(Self.failsItsChecksum { _ = try Self.readAll(reader.searchPostings(info)) })
        }
    }

    @Test func aShortBlockIsAlwaysChecked() throws {
        let segment = try Self.segment()
        let reader = try SegmentReader(path: segment.path)
        let info = try #require(try reader.lookup(Self.v))
        #expect(info.docFreq == 700)
        #expect(try Self.readAll(reader.searchPostings(info)).count == 700)
        try segment.damage(at: Self.firstPositions(reader, info) + 3)
        #expect(Self.failsItsChecksum { _ = try Self.readAll(reader.searchPostings(info)) })
    }
}
