import Foundation
import Testing
import Tra
import TraRanking

/// The library facade, as README.md shows it.
@Suite("SearchIndex facade")
struct SearchIndexTests {
    @Test func readmeExampleThenAppendDeleteMergeVerify() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tra-facade-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            // A writer holds the index's lock until it is released: the next one comes after.
            let index = try SearchIndex(directory: directory, mode: .create)
            try index.add(id: "hn", fields: [("title", "Hà Nội"), ("body", "Hà Nội là thủ đô của Việt Nam.")])
            try index.commit()
        }
        #expect(try SearchIndex.statistics(directory: directory).documents == 1)

        let appender = try SearchIndex(directory: directory, mode: .append)
        try appender.add(id: "dn", fields: [("title", "Đà Nẵng"), ("body", "Thành phố biển.")])
        try appender.add(id: "hn", fields: [("title", "Hà Nội"), ("body", "Thủ đô nghìn năm văn hiến.")])
        #expect(try appender.delete(id: "dn"))
        #expect(try !appender.delete(id: "nowhere"))
        try appender.commit()
        var stats = try SearchIndex.statistics(directory: directory)
        #expect(stats.documents == 1)
        #expect(stats.deletedDocuments == 2)  // the replaced "hn" and the deleted "dn"
        #expect(stats.analyzer == "tra-vi 2")
        try appender.merge()
        stats = try SearchIndex.statistics(directory: directory)
        #expect(stats.segments == 1)
        #expect(stats.deletedDocuments == 0)
        #expect(try SearchIndex.verify(directory: directory).liveDocuments == 1)
    }

    @Test func secondWriterIsAUserErrorAndAMissingIndexToo() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tra-facade-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try SearchIndex(directory: directory, mode: .create)
        let locked = #expect(throws: TraError.self) { _ = try SearchIndex(directory: directory, mode: .append) }
        #expect(locked?.exitStatus == 1)
        _ = first
        let missing = #expect(throws: TraError.self) { _ = try SearchIndex.statistics(directory: directory + "-none") }
        #expect(missing?.exitStatus == 1)
    }

    /// Phases are timed only when asked for; then there is one duration per phase, none negative,
    /// within the search's own time (another clock, in whole microseconds: a little slack).
    @Test func phasesAreTimedWhenAskedFor() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tra-facade-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let index = try SearchIndex(directory: directory, mode: .create)
            try index.add(id: "hn", fields: [("title", "Hà Nội"), ("body", "Hà Nội là thủ đô của Việt Nam.")])
            try index.add(id: "dn", fields: [("title", "Đà Nẵng"), ("body", "Thành phố biển miền Trung Việt Nam.")])
            try index.commit()
        }
        // The engine's phases, then the searcher's naming of the hits.
        #expect(PhaseTimes.Phase.allCases.map { "\($0)" } + ["hits"] == SearchPhases.names)
        let searcher = try Searcher(directory: directory)
        var options = SearchOptions()
        #expect(try searcher.search("viet nam", options: options).phases == nil)
        options.timePhases = true
        options.explain = true
        for query in ["viet nam", "thủ đô của việt nam là gì?", "\"thành phố\"", "biển", "ha*"] {
            let result = try searcher.search(query, options: options)
            let phases = try #require(result.phases)
            #expect(phases.microseconds.count == SearchPhases.names.count)
            #expect(phases.microseconds.allSatisfy { $0 >= 0 }, "\(query): \(phases)")
            #expect(phases.microseconds.reduce(0, +) <= Double(result.tookMicroseconds) + 2, "\(query): \(phases)")
            #expect(phases["retrieval"] != nil && phases["nothing"] == nil)
            #expect(!result.hits.isEmpty, "\(query)")
        }
    }
}
