import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("tra delete, merge, verify and errors of the index (the built executable)")
struct IndexMaintenanceTests {
    /// An index of `threeDocuments` plus two more appended: two segments, five documents.
    func twoSegmentIndex(in folder: TempFolder) throws -> String {
        let index = folder.path("index")
        try indexSucceeds(index, [try folder.write("docs.jsonl", threeDocuments)], documents: 3)
        let more = try folder.write(
            "more.jsonl",
            #"{"id":"hue","body":"Cố đô Huế"}"# + "\n" + #"{"id":"da-nang","body":"Thành phố Đà Nẵng"}"# + "\n")
        try indexSucceeds(index, [more], extra: ["--append"], documents: 2)
        return index
    }

    @Test("delete reports what it found; merge drops the deleted documents")
    func deleteAndMerge() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = try twoSegmentIndex(in: folder)
        let before = try indexStats(index)
        #expect(before.documents == 5, "\(before)")
        #expect(before.segments == 2, "\(before)")

        let delete = try TraProcess.run("delete", "--index", index, "pho", "nosuch")
        #expect(delete.status == 0, "\(delete)")
        expectBytes(delete.stdout, "deleted 1 of 2 documents\n")
        #expect(delete.stderr.hasPrefix("tra: "), "\(delete)")
        #expect(delete.stderr.contains("nosuch"), "\(delete)")
        #expect(delete.stderr.filter { $0 == "\n" }.count == 1, "\(delete)")

        let deleted = try indexStats(index)
        #expect(deleted.documents == 4, "\(deleted)")
        #expect(deleted.deletedDocuments == 1, "\(deleted)")

        // Deleting it again finds nothing.
        let again = try TraProcess.run("delete", "--index", index, "pho")
        #expect(again.status == 0, "\(again)")
        expectBytes(again.stdout, "deleted 0 of 1 document\n")
        #expect(try indexStats(index).documents == 4)

        let merge = try TraProcess.run("merge", "--index", index)
        #expect(merge.status == 0, "\(merge)")
        #expect(merge.stdout.hasPrefix("merged 2 segments into 1"), "\(merge)")
        expectBytes(merge.stderr, "")
        let merged = try indexStats(index)
        #expect(merged.documents == 4, "\(merged)")
        #expect(merged.segments == 1, "\(merged)")
        #expect(merged.deletedDocuments == 0, "\(merged)")
        #expect(try segmentFiles(in: index).count == 1, "old segment files are removed")

        let verify = try TraProcess.run("verify", "--index", index)
        #expect(verify.status == 0, "\(verify)")
        #expect(verify.stdout.hasPrefix("ok:"), "\(verify)")
    }

    @Test("every command that needs an index says there is none, and creates nothing")
    func missingIndex() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let missing = folder.path("no-index-here")
        let empty = folder.path("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)

        for directory in [missing, empty] {
            let commands: [[String]] = [
                ["stats", "--index", directory],
                ["stats", "--index", directory, "--json"],
                ["verify", "--index", directory],
                ["delete", "--index", directory, "some-id"],
                ["merge", "--index", directory],
            ]
            for arguments in commands {
                let result = try TraProcess.run(arguments)
                expectOneLineError(result, status: 1, prefix: "tra: no index at \(directory)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: missing), "a command created the missing index folder")
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty).isEmpty, "a command wrote into the folder")
    }

    @Test("a flipped byte in a segment: verify exits 2 naming the segment file")
    func corruptSegment() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = folder.path("index")
        try indexSucceeds(index, [try folder.write("docs.jsonl", threeDocuments)], documents: 3)
        let segments = try segmentFiles(in: index)
        #expect(segments.count == 1, "\(segments)")
        let segment = try #require(segments.first)
        let url = URL(fileURLWithPath: index).appendingPathComponent(segment)
        var bytes = [UInt8](try Data(contentsOf: url))
        bytes[bytes.count / 2] ^= 0xFF
        try Data(bytes).write(to: url)

        let verify = try TraProcess.run("verify", "--index", index)
        expectOneLineError(verify, status: 2, prefix: "tra: ", segment)

        // Other commands may not notice (stats need not read every byte), but they never crash, and
        // when they notice they say so in one line with status 2.
        for arguments in [["stats", "--index", index, "--json"], ["merge", "--index", index]] {
            let result = try TraProcess.run(arguments)
            #expect(result.exitedNormally, "\(result)")
            #expect(result.status == 0 || result.status == 2, "\(result)")
            if result.status == 2 {
                expectOneLineError(result, status: 2, prefix: "tra: ", segment)
            }
        }
    }

    @Test("a truncated segment: stats and verify exit 2")
    func truncatedSegment() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = folder.path("index")
        try indexSucceeds(index, [try folder.write("docs.jsonl", threeDocuments)], documents: 3)
        let segment = try #require(try segmentFiles(in: index).first)
        let url = URL(fileURLWithPath: index).appendingPathComponent(segment)
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: url)

        expectOneLineError(try TraProcess.run("stats", "--index", index), status: 2, prefix: "tra: ", segment)
        expectOneLineError(try TraProcess.run("verify", "--index", index), status: 2, prefix: "tra: ", segment)
    }

    @Test("a truncated or garbled manifest: stats, verify and appending exit 2")
    func corruptManifest() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = folder.path("index")
        let docs = try folder.write("docs.jsonl", threeDocuments)
        try indexSucceeds(index, [docs], documents: 3)
        let manifest = URL(fileURLWithPath: index).appendingPathComponent("manifest")
        let original = try Data(contentsOf: manifest)

        let damaged = [
            ("truncated", original.prefix(original.count / 2)),
            ("emptied", Data()),
            ("garbled", Data(repeating: UInt8(ascii: "x"), count: original.count)),
        ]
        for (what, bytes) in damaged {
            try bytes.write(to: manifest)
            for arguments in [
                ["stats", "--index", index], ["stats", "--index", index, "--json"], ["verify", "--index", index],
                ["index", "--append", "--index", index, docs],
            ] {
                let result = try TraProcess.run(arguments)
                expectOneLineError(result, status: 2, prefix: "tra: ", "manifest")
                #expect(result.status == 2, "manifest \(what)")
            }
        }
    }

    @Test("a segment named by the manifest is missing: verify and stats exit 2")
    func missingSegment() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = folder.path("index")
        try indexSucceeds(index, [try folder.write("docs.jsonl", threeDocuments)], documents: 3)
        let segment = try #require(try segmentFiles(in: index).first)
        try FileManager.default.removeItem(atPath: index + "/" + segment)

        // The contract: 2 for a corrupt index. A file the manifest names is gone, so the index is corrupt.
        for arguments in [["verify", "--index", index], ["stats", "--index", index]] {
            expectOneLineError(try TraProcess.run(arguments), status: 2, prefix: "tra: ", segment)
        }
    }

    @Test("rebuilding an index whose manifest is corrupt (the remedy its error message suggests)")
    func rebuildOverCorruptManifest() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = folder.path("index")
        let docs = try folder.write("docs.jsonl", threeDocuments)
        try indexSucceeds(index, [docs], documents: 3)
        let manifest = URL(fileURLWithPath: index).appendingPathComponent("manifest")
        try Data().write(to: manifest)

        let stats = try TraProcess.run("stats", "--index", index)
        expectOneLineError(stats, status: 2, prefix: "tra: ", "rebuild it with 'tra index'")
        let rebuild = try TraProcess.run("index", "--index", index, docs)
        #expect(rebuild.status == 0, "\(rebuild)")
        #expect(try indexStats(index).documents == 3)
        #expect(try TraProcess.run("verify", "--index", index).status == 0)
    }

    @Test("a second writer is refused at once while the lock is held; readers are not blocked")
    func lockedIndex() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = folder.path("index")
        try indexSucceeds(index, [try folder.write("docs.jsonl", threeDocuments)], documents: 3)
        let extra = try folder.write("x.jsonl", #"{"id":"x","body":"Thêm một tài liệu"}"# + "\n")
        let before = try indexStats(index)

        let descriptor = open(index + "/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        try #require(descriptor >= 0, "cannot open the lock file: errno \(errno)")
        var closed = false
        defer { if !closed { close(descriptor) } }
        try #require(flock(descriptor, LOCK_EX | LOCK_NB) == 0, "cannot lock: errno \(errno)")

        for arguments in [
            ["index", "--append", "--index", index, extra],
            ["index", "--index", index, extra],
            ["delete", "--index", index, "pho"],
            ["merge", "--index", index],
        ] {
            let result = try TraProcess.run(arguments)
            expectOneLineError(result, status: 1, prefix: "tra: ", "locked")
        }
        // Readers see the last commit meanwhile.
        expectBytes(try indexStats(index).json, before.json)
        #expect(try TraProcess.run("verify", "--index", index).status == 0)

        #expect(flock(descriptor, LOCK_UN) == 0)
        close(descriptor)
        closed = true

        try indexSucceeds(index, [extra], extra: ["--append"], documents: 1)
        #expect(try indexStats(index).documents == 4)
    }
}
