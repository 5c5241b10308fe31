import Foundation
import Testing
import TraTestSupport

/// Searches in other processes while a writer commits and merges: each sees one whole commit.
///
/// Every input document contains the syllable "chung", so `tra search chung` lists every document
/// of the snapshot it opened. Commit `k` of `tra index --commit-every N` holds the first `k × N`
/// documents, so a consistent snapshot lists exactly the first `D` documents for a `D` at a commit
/// boundary, and says it matched `D`. Then the same while `tra delete` and `tra merge` run. A
/// second writer meanwhile is refused at once (the lock itself is tested in
/// `IndexMaintenanceTests`).
@Suite("Concurrent searches and writers (the built executable)")
struct ConcurrentSearchTests {
    static let every = 3

    /// `count` documents: "chung" and a number, then a corpus body for some bulk.
    func input(_ folder: TempFolder, count: Int) throws -> (path: String, ids: [String]) {
        let (_, documents) = try corpusDocuments(count)
        var lines: [String] = []
        var ids: [String] = []
        for (number, document) in documents.enumerated() {
            let body = "chung số \(number). " + (document.fields["body"] ?? "")
            let data = try JSONEncoder().encode(["id": document.id, "body": body])
            lines.append(String(decoding: data, as: UTF8.self))
            ids.append(document.id)
        }
        return (try folder.write("input.jsonl", lines.joined(separator: "\n") + "\n"), ids)
    }

    /// The ids a search for "chung" listed and the total it reported, or nil when it failed.
    func searchAll(_ index: String, _ folder: TempFolder) throws -> (ids: Set<String>, total: Int)? {
        let run = try runBounded(
            ["search", "--index", index, "--json", "--limit", "10000", "chung"], timeout: 120, scratch: folder.url)
        let result = try #require(run.result, "search hung")
        #expect(result.status == 0 && result.exitedNormally, "\(result.description.prefix(1_000))")
        guard result.status == 0,
            let object = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any],
            let hits = object["hits"] as? [[String: Any]], let total = object["total"] as? Int
        else { return nil }
        return (Set(hits.compactMap { $0["id"] as? String }), total)
    }

    @Test("searches during indexing, deletes and merges each see one whole commit")
    func searchesSeeWholeCommits() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let (path, ids) = try input(folder, count: 60)
        let index = folder.path("index")
        let writer = try TraChild(
            ["index", "--index", index, "--commit-every", String(Self.every), "--ram-budget", "1", path],
            scratch: folder.url)
        var searches = 0
        var secondWriterChecked = false
        var seenTotals = Set<Int>()
        while writer.isRunning {
            guard FileManager.default.fileExists(atPath: index + "/manifest") else {
                usleep(10_000)
                continue
            }
            if !secondWriterChecked, searches == 2 {
                secondWriterChecked = true
                let start = Date()
                let second = try TraProcess.run(["index", "--index", index, "--append", path])
                if writer.isRunning {
                    expectOneLineError(second, status: 1, prefix: "tra: ", "locked")
                    #expect(Date().timeIntervalSince(start) < 10, "the second writer waited")
                }
            }
            guard let (found, total) = try searchAll(index, folder) else { continue }
            searches += 1
            seenTotals.insert(total)
            #expect(total == found.count, "total \(total), \(found.count) hits")
            #expect(total % Self.every == 0 || total == ids.count, "\(total) is not a commit boundary")
            #expect(found == Set(ids.prefix(found.count)), "\(found.count) hits are not the first documents")
        }
        try #require(writer.wait(seconds: 10))
        let result = writer.result()
        #expect(result.status == 0, "\(result)")
        #expect(searches >= 2, "only \(searches) searches ran during indexing")

        // Deletes and merges: each search sees the documents before or after a whole step.
        let deleted = Array(ids.prefix(10))
        let maintenance = try TraChild(
            ["delete", "--index", index] + deleted, scratch: folder.url)
        var states: [Set<String>] = [Set(ids), Set(ids.dropFirst(10))]
        var during = 0
        repeat {
            if let (found, total) = try searchAll(index, folder) {
                during += 1
                #expect(total == found.count)
                #expect(states.contains(found), "a search saw \(found.count) documents, in no commit")
            }
        } while maintenance.isRunning
        try #require(maintenance.wait(seconds: 10))
        #expect(maintenance.result().status == 0)
        states = [Set(ids.dropFirst(10))]
        let merge = try TraChild(["merge", "--index", index], scratch: folder.url)
        repeat {
            if let (found, _) = try searchAll(index, folder) {
                during += 1
                #expect(states.contains(found), "a search during the merge saw \(found.count) documents")
            }
        } while merge.isRunning
        try #require(merge.wait(seconds: 60))
        #expect(merge.result().status == 0)
        #expect(try TraProcess.run("verify", "--index", index).status == 0)
        print(
            "concurrency: \(searches) searches during indexing saw totals \(seenTotals.sorted()); \(during) more during delete and merge"
        )
    }
}
