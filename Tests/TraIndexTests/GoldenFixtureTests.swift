import Foundation
import Testing
import TraIndex
import TraTestSupport

/// The committed index of format version 1 (Tests/Fixtures/index-v1, never regenerated) must stay
/// readable, byte for byte, by every later build that claims to support version 1.
@Suite("Golden fixture: format version 1")
struct GoldenFixtureTests {
    static let directory = TestData.repositoryRoot.appendingPathComponent("Tests/Fixtures/index-v1").path
    static let analyzer = SegmentSerializer.AnalyzerInfo(name: "tra-vi", version: 1)

    private func term(_ field: IndexedField, _ folded: String, _ accented: String? = nil) -> [UInt8] {
        IndexTestSupport.term(field, folded: folded, accented: accented)
    }

    @Test func opensAndVerifies() throws {
        let snapshot = try IndexSnapshot(directory: Self.directory, analyzer: Self.analyzer)
        #expect(snapshot.manifest.generation == 2)
        #expect(snapshot.segments.map(\.info.id) == [1, 2])
        #expect(snapshot.documentCount == 3)
        #expect(snapshot.segments[0].deleted?.contains(1) == true)
        let report = try IndexVerifier.verify(directory: Self.directory)
        #expect(report.liveDocuments == 3)
        #expect(report.documents == 4)
    }

    @Test func storedFieldsAndIDs() throws {
        let snapshot = try IndexSnapshot(directory: Self.directory, analyzer: Self.analyzer)
        let first = snapshot.segments[0].reader
        #expect(try first.allIDs() == ["hn", "hue", "dn"])
        let hanoi = try first.document(0)
        #expect(hanoi.map(\.name) == ["title", "body", "url"])
        #expect(
            hanoi.map(\.value) == [
                "Hà Nội", "Hà Nội là thủ đô của Việt Nam.", "https://vi.wikipedia.org/wiki/H%C3%A0_N%E1%BB%99i",
            ])
        let second = snapshot.segments[1].reader
        #expect(try second.document(withID: "hue") == 0)
        #expect(try second.document(0).map(\.value) == ["Huế", "Huế là cố đô của Việt Nam, bên sông Hương."])
        #expect(second.norm(.body, 0) == 10)
        #expect(second.norm(.title, 0) == 1)
    }

    @Test func postingsAndPositions() throws {
        let snapshot = try IndexSnapshot(directory: Self.directory, analyzer: Self.analyzer)
        let first = snapshot.segments[0].reader
        // "Việt Nam" in the bodies of documents 0 (hn) and 1 (the old hue): position 6 and 7 of hn.
        let viet = try IndexTestSupport.postings(first, term(.body, "viet", "việt"))
        #expect(viet.map(\.0) == [0])
        #expect(viet.map(\.2) == [[6]])
        // "đường" (dn, body position 3) and the folded "duong".
        #expect(try IndexTestSupport.postings(first, term(.body, "duong", "đường")).map(\.2) == [[3]])
        #expect(try IndexTestSupport.postings(first, term(.body, "duong")).map(\.0) == [2])
        // The title "Huế" of the replacement document, as variant and as folded term.
        let second = snapshot.segments[1].reader
        #expect(try IndexTestSupport.postings(second, term(.title, "hue", "huế")).map(\.2) == [[0]])
        #expect(try IndexTestSupport.postings(second, term(.title, "hue")).map(\.0) == [0])
        #expect(second.terms.termCount == 22)
    }
}

/// The committed index of format version 2 (Tests/Fixtures/index-v2, never regenerated): the
/// same documents and commands as version 1, with the PAIRS section.
@Suite("Golden fixture: format version 2")
struct GoldenFixtureV2Tests {
    static let directory = TestData.repositoryRoot.appendingPathComponent("Tests/Fixtures/index-v2").path

    @Test func opensVerifiesAndCountsPairs() throws {
        let snapshot = try IndexSnapshot(directory: Self.directory, analyzer: GoldenFixtureTests.analyzer)
        #expect(snapshot.manifest.generation == 2)
        #expect(snapshot.documentCount == 3)
        #expect(snapshot.segments.map(\.reader.layout.formatVersion) == [2, 2])
        let report = try IndexVerifier.verify(directory: Self.directory)
        #expect(report.liveDocuments == 3)
        // Segment 1: "Hà Nội" (title) + "Hà Nội là ..." (body) of hn; segment 2: the new "Huế".
        let first = snapshot.segments[0].reader
        let second = snapshot.segments[1].reader
        #expect(try first.pairs.count(PairKey.make(Array("hà".utf8), Array("nội".utf8))) == 2)
        #expect(try first.pairs.count(PairKey.make(Array("việt".utf8), Array("nam".utf8))) == 1)
        #expect(try second.pairs.count(PairKey.make(Array("sông".utf8), Array("hương".utf8))) == 1)
        #expect(try second.pairs.count(PairKey.make(Array("hà".utf8), Array("nội".utf8))) == 0)
        #expect(second.pairs.pairCount == 9)
    }

    @Test func version1SegmentsHaveNoPairs() throws {
        let snapshot = try IndexSnapshot(directory: GoldenFixtureTests.directory, analyzer: GoldenFixtureTests.analyzer)
        #expect(snapshot.segments.allSatisfy { $0.reader.pairs.pairCount == 0 })
    }
}

/// The committed index of format version 3 (Tests/Fixtures/index-v3, never regenerated): the
/// same documents and commands as versions 1 and 2 (analyzer version 2), with block checksums.
@Suite("Golden fixture: format version 3")
struct GoldenFixtureV3Tests {
    static let directory = TestData.repositoryRoot.appendingPathComponent("Tests/Fixtures/index-v3").path
    static let analyzer = SegmentSerializer.AnalyzerInfo(name: "tra-vi", version: 2)

    /// The fixtures of versions 3 to 6 (the sizes of their second segment differ).
    @Test(arguments: [(3, 900), (4, 868), (5, 876), (6, 876)])
    func opensAndVerifies(version: UInt32, secondSegmentBytes: Int) throws {
        let directory = TestData.repositoryRoot.appendingPathComponent("Tests/Fixtures/index-v\(version)").path
        try Self.expectOpensAndVerifies(directory, version: version, secondSegmentBytes: secondSegmentBytes)
    }

    /// A fixture of the commands of version 1 with analyzer version 2 (versions 3 to 6): two
    /// segments, the old "hue" deleted in the first, every file verified.
    static func expectOpensAndVerifies(_ directory: String, version: UInt32, secondSegmentBytes: Int) throws {
        let snapshot = try IndexSnapshot(directory: directory, analyzer: analyzer)
        #expect(snapshot.manifest.generation == 2)
        #expect(snapshot.segments.map(\.info.id) == [1, 2])
        #expect(snapshot.segments.map(\.reader.layout.formatVersion) == [version, version])
        #expect(snapshot.documentCount == 3)
        #expect(snapshot.segments[0].deleted?.contains(1) == true)
        let report = try IndexVerifier.verify(directory: directory)
        #expect(report.liveDocuments == 3)
        #expect(report.documents == 4)
        #expect(FileManager.default.contents(atPath: directory + "/seg-2.tra")?.count == secondSegmentBytes)
    }

    @Test func postingsStoredFieldsAndPairsReadThroughTheirChecksums() throws {
        let snapshot = try IndexSnapshot(directory: Self.directory, analyzer: Self.analyzer)
        let first = snapshot.segments[0].reader
        let second = snapshot.segments[1].reader
        let viet = IndexTestSupport.term(.body, folded: "viet", accented: "việt")
        #expect(try IndexTestSupport.postings(first, viet).map(\.2) == [[6]])
        #expect(try IndexTestSupport.postings(second, IndexTestSupport.term(.title, folded: "hue")).map(\.0) == [0])
        #expect(try first.document(0).map(\.value).first == "Hà Nội")
        #expect(try second.document(0).map(\.value) == ["Huế", "Huế là cố đô của Việt Nam, bên sông Hương."])
        #expect(try first.pairs.count(PairKey.make(Array("hà".utf8), Array("nội".utf8))) == 2)
        #expect(try second.pairs.count(PairKey.make(Array("sông".utf8), Array("hương".utf8))) == 1)
        #expect(second.pairs.pairCount == 9)
    }
}

/// The committed index of format version 4 (Tests/Fixtures/index-v4, never regenerated): the
/// same documents and commands as version 3, with PAIRS in Rice and gamma codes under 32-bit keys;
/// its bytes are the worked example of IndexFormat.md.
@Suite("Golden fixture: format version 4")
struct GoldenFixtureV4Tests {
    static let directory = TestData.repositoryRoot.appendingPathComponent("Tests/Fixtures/index-v4").path

    @Test func pairsReadAsInVersion3() throws {
        let snapshot = try IndexSnapshot(directory: Self.directory, analyzer: GoldenFixtureV3Tests.analyzer)
        let v3 = try IndexSnapshot(directory: GoldenFixtureV3Tests.directory, analyzer: GoldenFixtureV3Tests.analyzer)
        let first = snapshot.segments[0].reader
        let second = snapshot.segments[1].reader
        #expect(try first.pairs.count(PairKey.make(Array("hà".utf8), Array("nội".utf8))) == 2)
        #expect(try second.pairs.count(PairKey.make(Array("sông".utf8), Array("hương".utf8))) == 1)
        #expect(try second.pairs.count(PairKey.make(Array("hương".utf8), Array("sông".utf8))) == 0)
        #expect(second.pairs.pairCount == 9)
        // The 40-bit keys of version 3, read as 32-bit keys, give the same entries.
        for (segment, old) in zip(snapshot.segments, v3.segments) {
            let entries = try segment.reader.pairs.entries()
            #expect(entries.map(\.key) == (try old.reader.pairs.entries().map(\.key)))
            #expect(entries.map(\.count) == (try old.reader.pairs.entries().map(\.count)))
            for entry in entries { #expect(try old.reader.pairs.count(entry.key) == entry.count) }
        }
        #expect(try IndexTestSupport.postings(second, IndexTestSupport.term(.title, folded: "hue")).map(\.0) == [0])
        #expect(try second.document(0).map(\.value) == ["Huế", "Huế là cố đô của Việt Nam, bên sông Hương."])
    }
}

/// The committed index of format version 5 (Tests/Fixtures/index-v5, never regenerated): the
/// same documents and commands as version 4, with positions in exponential-Golomb chunks.
@Suite("Golden fixture: format version 5")
struct GoldenFixtureV5Tests {
    static let directory = TestData.repositoryRoot.appendingPathComponent("Tests/Fixtures/index-v5").path

    /// Every term of every segment has the same documents, frequencies and positions as in the
    /// version 4 fixture, whose positions are varints.
    @Test func postingsAndPositionsReadAsInVersion4() throws {
        let analyzer = GoldenFixtureV3Tests.analyzer
        let snapshot = try IndexSnapshot(directory: Self.directory, analyzer: analyzer)
        let v4 = try IndexSnapshot(directory: GoldenFixtureV4Tests.directory, analyzer: analyzer)
        var positions = 0
        try Self.forEachTerm(of: snapshot, and: v4) { reader, info, oldReader, oldInfo, term in
            #expect(info.docFreq == oldInfo.docFreq && info.totalFreq == oldInfo.totalFreq)
            let postings = try IndexTestSupport.postings(reader, term)
            #expect(postings.elementsEqual(try IndexTestSupport.postings(oldReader, term), by: ==))
            positions += postings.reduce(0) { $0 + $1.2.count }
        }
        #expect(positions > 40)
        let viet = IndexTestSupport.term(.body, folded: "viet", accented: "việt")
        #expect(try IndexTestSupport.postings(snapshot.segments[0].reader, viet).map(\.2) == [[6]])
    }

    /// Walks the terms of two fixtures of the same commands side by side, segment by segment,
    /// expecting the same terms in the same order: `body` gets each term's reader and entry in
    /// both, then the term.
    static func forEachTerm(
        of snapshot: IndexSnapshot, and old: IndexSnapshot,
        _ body: (SegmentReader, TermInfo, SegmentReader, TermInfo, [UInt8]) throws -> Void
    ) throws {
        #expect(snapshot.segments.count == old.segments.count)
        for (segment, oldSegment) in zip(snapshot.segments, old.segments) {
            var terms = try segment.reader.terms.cursor()
            var oldTerms = try oldSegment.reader.terms.cursor()
            while let info = try terms.next() {
                let oldInfo = try #require(try oldTerms.next())
                #expect(terms.term == oldTerms.term)
                try body(segment.reader, info, oldSegment.reader, oldInfo, terms.term)
            }
            #expect(try oldTerms.next() == nil)
        }
    }
}

/// The committed index of format version 6 (Tests/Fixtures/index-v6, never regenerated): the
/// same documents and commands as version 5; its bytes are the worked example of IndexFormat.md.
/// No term of it has a full block, so none has a term frontier of its own.
@Suite("Golden fixture: format version 6")
struct GoldenFixtureV6Tests {
    static let directory = TestData.repositoryRoot.appendingPathComponent("Tests/Fixtures/index-v6").path

    @Test func termsReadAsInVersion5WithoutTermFrontiers() throws {
        let (snapshot, _, terms) = try Self.expectSamePostings(
            Self.directory, as: GoldenFixtureV5Tests.directory, versions: [6, 6]
        ) { (reader: SegmentReader, info: TermInfo, oldInfo: TermInfo) throws in
            #expect(info == oldInfo)
            #expect(try reader.postings(info).termMaximum { Double($1) / Double($0) } == nil)
        }
        #expect(terms == snapshot.segments.reduce(0) { $0 + $1.reader.terms.termCount } && terms > 40)
    }

    /// Opens the fixture at `directory` and the older one at `old` (made by the same commands),
    /// expects the segments' `versions`, and checks that every term has the same documents,
    /// frequencies and positions in both; `body` also gets each term's reader and entries in
    /// both. Returns both snapshots and the number of terms.
    static func expectSamePostings(
        _ directory: String, as old: String, versions: [UInt32],
        _ body: (SegmentReader, TermInfo, TermInfo) throws -> Void = { _, _, _ in }
    ) throws -> (snapshot: IndexSnapshot, old: IndexSnapshot, terms: Int) {
        let analyzer = GoldenFixtureV3Tests.analyzer
        let snapshot = try IndexSnapshot(directory: directory, analyzer: analyzer)
        let older = try IndexSnapshot(directory: old, analyzer: analyzer)
        #expect(snapshot.segments.map(\.reader.layout.formatVersion) == versions)
        var terms = 0
        try GoldenFixtureV5Tests.forEachTerm(of: snapshot, and: older) { reader, info, oldReader, oldInfo, term in
            #expect(info.docFreq == oldInfo.docFreq && info.totalFreq == oldInfo.totalFreq)
            try body(reader, info, oldInfo)
            let postings = try IndexTestSupport.postings(reader, term)
            #expect(postings.elementsEqual(try IndexTestSupport.postings(oldReader, term), by: ==))
            terms += 1
        }
        return (snapshot, older, terms)
    }
}

/// The committed index of format version 7 (Tests/Fixtures/index-v7, never regenerated): the
/// same documents and commands as version 6; its bytes are the worked example of IndexFormat.md.
/// Its pair counts are in TOKEN PAIRS, keyed by the tokens' own hashes; it has no PAIRS section.
@Suite("Golden fixture: format version 7")
struct GoldenFixtureV7Tests {
    static let directory = TestData.repositoryRoot.appendingPathComponent("Tests/Fixtures/index-v7").path

    @Test func termsReadAsInVersion6AndPairsCountTheSameUnderTheirOwnKeys() throws {
        let (snapshot, v6, terms) = try GoldenFixtureV6Tests.expectSamePostings(
            Self.directory, as: GoldenFixtureV6Tests.directory, versions: [7, 7])
        #expect(terms > 40)
        #expect(try IndexVerifier.verify(directory: Self.directory).liveDocuments == 3)
        for (segment, old) in zip(snapshot.segments, v6.segments) {
            #expect(!segment.reader.hasOlderPairs && segment.reader.pairs.pairCount == 0)
            #expect(segment.reader.tokenPairs.pairCount == old.reader.pairs.pairCount)
            #expect(
                try segment.reader.tokenPairs.entries().map(\.count).sorted()
                    == old.reader.pairs.entries().map(\.count).sorted())
        }
        let first = snapshot.segments[0].reader
        let second = snapshot.segments[1].reader
        #expect(try first.pairCount(Array("hà".utf8), Array("nội".utf8)) == 2)
        #expect(try first.pairCount(Array("việt".utf8), Array("nam".utf8)) == 1)
        #expect(try second.pairCount(Array("sông".utf8), Array("hương".utf8)) == 1)
        #expect(try second.pairCount(Array("hà".utf8), Array("nội".utf8)) == 0)
        // The same pairs as the version 6 fixture counts under the keys of ``PairKey/make(_:_:)``.
        #expect(try v6.segments[0].reader.pairCount(Array("hà".utf8), Array("nội".utf8)) == 2)
    }

    /// A version 6 index appended to and merged by this build: the older segments' counts, whose
    /// keys cannot be made anew, keep their PAIRS section in the merged segment, beside TOKEN
    /// PAIRS; a lookup adds up both.
    @Test func mergingAnOlderSegmentKeepsItsPairsBesideTheNewOnes() throws {
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        try FileManager.default.copyItem(atPath: GoldenFixtureV6Tests.directory, toPath: directory)
        let analyzer = GoldenFixtureV3Tests.analyzer
        let writer = try IndexWriter(directory: directory, analyzer: analyzer, mode: .append)
        func counts(in directory: String) throws -> [UInt64] {
            let snapshot = try IndexSnapshot(directory: directory, analyzer: analyzer)
            return try [("hà", "nội"), ("sông", "hương"), ("việt", "nam"), ("hương", "hà")].map { pair in
                try snapshot.segments.reduce(0) {
                    $0 + (try $1.reader.pairCount(Array(pair.0.utf8), Array(pair.1.utf8)))
                }
            }
        }
        let fixture = try counts(in: GoldenFixtureV6Tests.directory)
        #expect(fixture[0] >= 2 && fixture[2] >= 1)
        // Title "hà nội"; body "sông hương hà nội": two of (hà, nội), one of (sông, hương), one
        // of (hương, hà).
        try writer.add(IndexTestSupport.document("hn2", title: "hà nội", body: ["sông", "hương", "hà", "nội"]))
        try writer.commit()
        let before = try counts(in: directory)
        #expect(before == zip(fixture, [2, 1, 0, 1]).map { $0 + $1 })
        try writer.forceMerge()
        let merged = try IndexSnapshot(directory: directory, analyzer: analyzer)
        let reader = try #require(merged.segments.first?.reader)
        #expect(merged.segments.count == 1 && reader.layout.formatVersion == FormatVersion.current)
        #expect(reader.hasOlderPairs)
        #expect(try counts(in: directory) == before)
        // Each section holds its own segments' pairs: the new document's four, the fixture's others.
        #expect(try reader.tokenPairs.entries().map(\.count).reduce(0, +) == 4)
        #expect(try IndexVerifier.verify(directory: directory).liveDocuments == 4)
        // Merged again, the PAIRS section stays.
        try writer.add(IndexTestSupport.document("x", body: ["mùa", "thu"]))
        try writer.commit()
        try writer.forceMerge()
        let again = try IndexSnapshot(directory: directory, analyzer: analyzer)
        #expect(again.segments.count == 1 && again.segments[0].reader.hasOlderPairs)
        #expect(try counts(in: directory) == before)
        #expect(try again.segments[0].reader.pairCount(Array("mùa".utf8), Array("thu".utf8)) == 1)
        #expect(try again.segments[0].reader.tokenPairs.entries().map(\.count).reduce(0, +) == 5)
    }
}

@Suite("Golden fixtures: appending with a newer build")
struct GoldenFixtureAppendTests {
    /// A version 3 index appended to by this build holds segments of both versions, which
    /// `tra stats` reports; a merge leaves only the current version.
    @Test func statisticsReportEveryFormatVersion() throws {
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        try FileManager.default.copyItem(atPath: GoldenFixtureV3Tests.directory, toPath: directory)
        let analyzer = GoldenFixtureV3Tests.analyzer
        #expect(
            IndexStatistics(snapshot: try IndexSnapshot(directory: directory, analyzer: analyzer)).formatVersions == [3]
        )
        let writer = try IndexWriter(directory: directory, analyzer: analyzer, mode: .append)
        try writer.add(IndexTestSupport.document("dl", title: "Đà Lạt", body: ["sương", "mù"]))
        try writer.commit()
        let mixed = IndexStatistics(snapshot: try IndexSnapshot(directory: directory, analyzer: analyzer))
        #expect(mixed.formatVersions == [3, FormatVersion.current])
        try writer.forceMerge()
        let merged = IndexStatistics(snapshot: try IndexSnapshot(directory: directory, analyzer: analyzer))
        #expect(merged.formatVersions == [FormatVersion.current])
        #expect(merged.documents == 4)
    }
}

@Suite("Golden fixtures: merging keeps the live documents")
struct GoldenFixtureMergeTests {
    /// Each fixture (a deleted document in its first segment) merged into one segment: the live
    /// documents keep their ids and stored fields, in order, whether the merger copies the
    /// serialized documents of checked blocks (version 3) or reads every field (versions 1, 2).
    @Test(arguments: [(1, 1), (2, 1), (3, 2), (4, 2), (5, 2), (6, 2), (7, 2)])
    func mergeKeepsStoredFields(version: Int, analyzerVersion: Int) throws {
        let source = TestData.repositoryRoot.appendingPathComponent("Tests/Fixtures/index-v\(version)").path
        let directory = IndexTestSupport.temporaryDirectory()
        defer { IndexTestSupport.remove(directory) }
        try FileManager.default.copyItem(atPath: source, toPath: directory)
        let analyzer = SegmentSerializer.AnalyzerInfo(name: "tra-vi", version: analyzerVersion)

        func liveDocuments() throws -> [[String]] {
            let snapshot = try IndexSnapshot(directory: directory, analyzer: analyzer)
            var documents: [[String]] = []
            for segment in snapshot.segments {
                let ids = try segment.reader.allIDs()
                for doc in 0..<segment.reader.documentCount where segment.deleted?.contains(UInt32(doc)) != true {
                    let fields = try segment.reader.document(doc).flatMap { [$0.name, $0.value] }
                    documents.append([ids[doc] ?? "?"] + fields)
                }
            }
            return documents
        }
        let before = try liveDocuments()
        #expect(before.count == 3)
        let writer = try IndexWriter(directory: directory, analyzer: analyzer, mode: .append)
        try writer.forceMerge()
        let snapshot = try IndexSnapshot(directory: directory, analyzer: analyzer)
        #expect(snapshot.segments.count == 1)
        #expect(try liveDocuments() == before)
        #expect(try IndexVerifier.verify(directory: directory).liveDocuments == 3)
    }
}
