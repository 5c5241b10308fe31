import Foundation
import Testing
import Tra

/// Restoration of missing diacritics with the corpus language model, through `Searcher`, on a
/// small index of real sentences in two segments: the reading, its use in ranking, the switch.
@Suite("Diacritic restoration (corpus language model, through Searcher)")
struct RestorationTests {
    /// The documents: every word the queries use, in more than one accented form.
    static let documents: [[(id: String, body: String)]] = [
        [
            ("vn", "Việt Nam là một quốc gia ở Đông Nam Á. Thủ đô của Việt Nam là Hà Nội."),
            ("people", "Người Việt Nam ăn phở. Hà Nội có nhiều phở ngon."),
            ("letters", "Anh ấy viết năm lá thư cho bạn bè ở xa."),
            ("friends", "Bạn bè của tôi ở Hà Nội. Tôi gặp bạn bè mỗi năm."),
        ],
        [
            ("furniture", "Cái bàn và cái ghế. Bàn ghế bằng gỗ tốt."),
            ("market", "Họ bán hàng ở chợ. Bán hàng rất vui."),
            ("streets", "Đường phố Hà Nội đông. Đường sắt Bắc Nam. Con đường này dài."),
            ("ocean", "Thái Bình Dương là đại dương lớn nhất."),
            ("province", "Hà Nam là một tỉnh."),
        ],
    ]

    /// Builds the index in a temporary folder, one segment per batch; returns it and its folder
    /// (remove it with `defer`).
    private func makeIndex() throws -> (searcher: Searcher, directory: String) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tra-restoration-\(UUID().uuidString)").path
        let index = try SearchIndex(directory: directory, mode: .create)
        for batch in Self.documents {
            for document in batch { try index.add(id: document.id, fields: [("body", document.body)]) }
            try index.commit()
        }
        return (try Searcher(directory: directory), directory)
    }

    private func search(
        _ searcher: Searcher, _ query: String, restore: Bool = true, exhaustive: Bool = false, explain: Bool = false
    ) throws -> SearchResult {
        var options = SearchOptions()
        options.limit = 100
        options.restoreDiacritics = restore
        options.exhaustive = exhaustive
        options.explain = explain
        return try searcher.search(query, options: options)
    }

    @Test("unaccented queries read as the corpus writes them; the context chooses among forms")
    func readings() throws {
        let (searcher, directory) = try makeIndex()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            #expect(try search(searcher, "viet nam").restored == "việt nam")
            #expect(try search(searcher, "Viet Nam").restored == "Việt Nam")
            #expect(try search(searcher, "ha noi").restored == "hà nội")
            #expect(try search(searcher, "ban be").restored == "bạn bè")
            #expect(try search(searcher, "ban ghe").restored == "bàn ghế")
            #expect(try search(searcher, "ban hang").restored == "bán hàng")
            #expect(try search(searcher, "duong pho").restored == "đường phố")
            #expect(try search(searcher, "dai duong").restored == "đại dương")
            // Typed marks are constraints: "đuong" reads among đ-forms only; an accented query
            // has nothing to restore.
            #expect(try search(searcher, "đuong").restored == "đường")
            #expect(try search(searcher, "việt nam").restored == nil)
            // A syllable typed with its marks chooses its neighbour's form: "viết năm" is in the
            // corpus, "viết nam" is not, though nam is the more frequent form.
            #expect(try search(searcher, "viết nam").restored == "viết năm")
            #expect(try search(searcher, "viet năm").restored == "viết năm")
            #expect(try search(searcher, "viet nam", restore: false).restored == nil)
        }
    }

    @Test("context makes a reading sure; a lone ambiguous syllable stays unsure")
    func probabilities() throws {
        let (searcher, directory) = try makeIndex()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let pair = try search(searcher, "ban be")
            let alone = try search(searcher, "ban")
            #expect((pair.restoredProbability ?? 0) > 0.9, "\(pair.restoredProbability ?? 0)")
            #expect(alone.restored == "bạn")
            #expect((alone.restoredProbability ?? 1) < 0.6, "\(alone.restoredProbability ?? 1)")
        }
    }

    @Test("documents with the reading rank above other folded matches, which are still returned")
    func rankingFollowsTheReading() throws {
        let (searcher, directory) = try makeIndex()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let ids = try search(searcher, "viet nam").hits.map(\.id)
            #expect(Set(["vn", "people", "letters", "province"]).isSubset(of: Set(ids)), "\(ids)")
            let letters = try #require(ids.firstIndex(of: "letters"))
            #expect(try #require(ids.firstIndex(of: "vn")) < letters, "\(ids)")
            #expect(try #require(ids.firstIndex(of: "people")) < letters, "\(ids)")
            // "ban": the most frequent form first, the others after it.
            let ban = try search(searcher, "ban").hits.map(\.id)
            #expect(ban.first == "friends", "\(ban)")
            #expect(Set(["furniture", "market", "letters"]).isSubset(of: Set(ban)), "\(ban)")
            // "ban ghe" reads bàn ghế: the furniture first, though "ban" alone prefers bạn.
            #expect(try search(searcher, "ban ghe").hits.first?.id == "furniture")
            #expect(try search(searcher, "duong").hits.map(\.id).prefix(1) == ["streets"])
            #expect(try search(searcher, "duong").hits.map(\.id).contains("ocean"))
        }
    }

    @Test("pruned and exhaustive evaluation agree with restoration on; explain shows the reading's weight")
    func prunedEqualsExhaustiveAndExplain() throws {
        let (searcher, directory) = try makeIndex()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            for query in ["viet nam", "ban", "ban be", "duong", "ha noi", "ha nam", "thu do viet nam", "đuong pho"] {
                for limit in [1, 2, 100] {
                    var options = SearchOptions()
                    options.limit = limit
                    let pruned = try searcher.search(query, options: options).hits
                    options.exhaustive = true
                    let exhaustive = try searcher.search(query, options: options).hits
                    #expect(pruned.map(\.id) == exhaustive.map(\.id), "\(query) limit \(limit)")
                    #expect(pruned.map(\.score) == exhaustive.map(\.score), "\(query) limit \(limit)")
                }
            }
            let explained = try search(searcher, "viet nam", explain: true)
            let details = explained.hits.first?.explanation?.components.map(\.details).joined(separator: " ") ?? ""
            #expect(details.contains("reading=việt p="), "\(details)")
            #expect(details.contains("other forms weigh"), "\(details)")
        }
    }

    @Test("the restoration evaluation compares each stripped question's reading with the question")
    func restorationEvaluation() throws {
        let (searcher, directory) = try makeIndex()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let queries = [
            EvaluationQuery(qid: "1", query: "Bàn ghế ở Việt Nam", relevant: ["furniture"], line: 1),
            EvaluationQuery(qid: "2", query: "bạn bè", relevant: ["friends"], line: 2),
            // "bán bè" reads back as bạn bè: one syllable of two wrong.
            EvaluationQuery(qid: "3", query: "bán bè", relevant: ["market"], line: 3),
        ]
        let report = try RestorationEvaluation.run(queries, searcher: searcher)
        #expect(report.queries == 3)
        #expect(report.skipped == 0)
        #expect(report.syllables == 9)
        #expect(report.correct == 8)
        #expect(report.marked == 8)
        #expect(report.markedCorrect == 7)
    }
}
