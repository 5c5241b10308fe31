import Foundation
import Testing
import TraIndex
import TraRanking
import TraTestSupport

@testable import Tra

/// A searcher keeps its term lookups and block tables from query to query (within a budget):
/// what it answers must not depend on the queries it ran before.
@Suite("Term lookups and block tables kept from query to query")
struct TermLookupsTests {
    /// 1,300 documents of 5 to 40 words: "và" in every one, a few other frequent words, and rare
    /// ones. Each half is a segment, in which "và" has five full blocks of postings.
    private static func makeIndex(_ directory: String) throws {
        var random = SeededRandom(seed: 0x6c6f_6f6b)
        let frequent = ["người", "nhà", "sông", "đường", "năm", "việt", "nam", "hà", "nội", "thành", "phố"]
        let rare = (0..<200).map { "từ\($0 % 7 == 0 ? "" : "ng")\($0)" }
        let index = try SearchIndex(directory: directory, mode: .create)
        for n in 0..<1_300 {
            var words = ["và"]
            for _ in 0..<(5 + random.next(below: 36)) {
                let pool = random.next(below: 4) == 0 ? rare : frequent
                words.append(pool[random.next(below: pool.count)])
            }
            let title = words.prefix(3).joined(separator: " ")
            try index.add(id: "d\(n)", fields: [("title", title), ("body", words.joined(separator: " "))])
            if n == 649 { try index.commit() }
        }
        try index.commit()
    }

    /// ``makeIndex(_:)`` in a new temporary folder (the caller removes it), and its snapshot.
    private static func scratchIndex() throws -> (directory: String, snapshot: IndexSnapshot) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tra-lookups-\(UUID())").path
        do {
            try makeIndex(directory)
            return (directory, try IndexSnapshot(directory: directory, analyzer: SearchIndex.analyzerInfo))
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    @Test("later queries reuse the lookups and tables, and answer as a fresh searcher does")
    func laterQueriesAnswerAsAFreshSearcher() throws {
        let (directory, _) = try Self.scratchIndex()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let queries = [
            "và người", "sông hồng và", "duong pho", "việt nam", "\"hà nội\" và", "thanh pho ha noi", "và",
            "từng12 và nhà", "-và sông", "nam*", "người nhà sông đường năm và", "việt nam", "và người",
            "sông hồng và", "người nhà sông đường năm và", "và người",
        ]
        var options = SearchOptions()
        options.limit = 10
        options.snippets = false
        let searcher = try Searcher(directory: directory)
        var headersSeen = 0
        for (number, query) in queries.enumerated() {
            // Every third query with other length normalizations: the bounds kept for one must
            // not serve the other.
            options.scoring.bodyB = number % 3 == 2 ? 0.3 : ScoringParameters().bodyB
            options.scoring.titleB = number % 3 == 2 ? 0.9 : ScoringParameters().titleB
            let kept = try searcher.search(query, options: options)
            let fresh = try Searcher(directory: directory).search(query, options: options)
            #expect(kept.hits.map(\.id) == fresh.hits.map(\.id), "\(query)")
            #expect(kept.hits.map(\.score) == fresh.hits.map(\.score), "\(query)")
            #expect(kept.total == fresh.total && kept.totalIsLowerBound == fresh.totalIsLowerBound, "\(query)")
            let held = searcher.engine.lookups.held
            #expect(held.terms > 0, "\(query): nothing kept")
            headersSeen = max(headersSeen, held.headers)
        }
        // "và" has five full blocks in each segment: its tables were read and kept.
        #expect(headersSeen >= 4)
    }

    @Test("the language model keeps its answers within its budget, and they are what it reads")
    func languageModelKeepsWhatItReads() throws {
        let (directory, snapshot) = try Self.scratchIndex()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = CorpusLanguageModel(snapshot: snapshot, budget: 6)
        let folded = ["va", "nguoi", "duong", "nha", "khong"].map { Array($0.utf8) }
        for key in folded { _ = try model.variants(of: key) }
        #expect(model.keptCount == 5)
        // Asked again (kept) and asked of a fresh model (read): the same answers.
        for key in folded {
            let again = try model.variants(of: key)
            let fresh = try CorpusLanguageModel(snapshot: snapshot).variants(of: key)
            #expect(again.map(\.key) == fresh.map(\.key) && again.map(\.count) == fresh.map(\.count))
        }
        let duong = try model.variants(of: Array("duong".utf8))
        #expect(duong.first.map { String(decoding: $0.key, as: UTF8.self) } == "đường")
        let (va, nguoi) = (Array("và".utf8), Array("người".utf8))
        let pair = try model.pairCount(va, nguoi)
        #expect(pair > 0)
        #expect(try model.pairCount(va, nguoi) == CorpusLanguageModel(snapshot: snapshot).pairCount(va, nguoi))
        #expect(model.keptCount == 6)
        model.trimToBudget()
        #expect(model.keptCount == 6, "within the budget: kept")
        #expect(try model.count(of: va, folded: Array("va".utf8)) > 0)
        model.trimToBudget()
        #expect(model.keptCount == 0, "7 answers of a budget of 6: forgotten")
        #expect(try model.pairCount(va, nguoi) == pair)
    }

    @Test("past their budget, the lookups and tables are forgotten; within it they are kept")
    func trimmedOnlyPastTheBudget() throws {
        let (directory, snapshot) = try Self.scratchIndex()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Terms of the first segment, most documents first.
        var terms: [(term: [UInt8], info: TermInfo)] = []
        var cursor = try #require(snapshot.segments.first).reader.seek([])
        while let info = try cursor.next() { terms.append((cursor.term, info)) }
        terms.sort { $0.info.docFreq > $1.info.docFreq }
        let long = try #require(terms.first)
        #expect(long.info.docFreq >= TermLookups.skipTableBlocks * PostingsSerializer.blockSize)

        let lookups = TermLookups(snapshot: snapshot, termBudget: 3, headerBudget: 1_000)
        for entry in terms.prefix(3) { _ = try lookups.infos(entry.term) }
        let table = try #require(try lookups.skips(long.info, segment: 0))
        #expect(lookups.held.terms == 3 && lookups.held.headers == table.blockCount)
        lookups.trimToBudget()
        #expect(lookups.held.terms == 3 && lookups.held.headers == table.blockCount, "within the budget: kept")
        _ = try lookups.infos(terms[3].term)
        lookups.trimToBudget()
        #expect(lookups.held.terms == 0 && lookups.held.headers == 0, "4 terms of a budget of 3: forgotten")

        let tables = TermLookups(snapshot: snapshot, termBudget: 100, headerBudget: table.blockCount - 1)
        _ = try tables.skips(long.info, segment: 0)
        tables.trimToBudget()
        #expect(tables.held.headers == 0, "a table longer than the header budget: forgotten")
        // A lookup after a trim reads the term again, and finds what it found before.
        #expect(try tables.infos(long.term) == lookups.infos(long.term))

        // A term's maximum is kept per length normalization (and counted with the terms).
        let maxima = TermLookups(snapshot: snapshot, termBudget: 2)
        let (usual, flatter) = (
            LengthNormalization(averageLength: 20, b: 0.75), LengthNormalization(averageLength: 20, b: 0.3)
        )
        #expect(try maxima.maximum(long.info, segment: 0, normalization: usual) { 1.5 } == 1.5)
        #expect(try maxima.maximum(long.info, segment: 0, normalization: usual) { 9 } == 1.5, "kept")
        #expect(try maxima.maximum(long.info, segment: 0, normalization: flatter) { 2.5 } == 2.5, "another b")
        #expect(try maxima.maximum(long.info, segment: 1, normalization: usual) { 3.5 } == 3.5, "another segment")
        #expect(maxima.held.terms == 3)
        maxima.trimToBudget()
        #expect(maxima.held.terms == 0)
    }
}
