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
