import ArgumentParser
import Tra

/// `tra stats [--index DIR] [--json]`
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Show the size and contents of an index.")

    @OptionGroup var options: IndexOptions

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    func run() throws {
        try options.requireExisting()
        let stats = try SearchIndex.statistics(directory: options.directory)
        let legacy = try SearchIndex.legacyConversions(directory: options.directory)
        if json {
            var writer = JSONWriter()
            writer.object { writer in
                writer.field("documents", stats.documents)
                writer.field("deleted_documents", stats.deletedDocuments)
                writer.field("segments", stats.segments)
                writer.field("terms", stats.terms)
                writer.field("bytes", stats.bytes)
                writer.field("analyzer", stats.analyzer)
                writer.field("format_version", stats.formatVersion)
                writer.field("format_versions", array: stats.formatVersions) { $0.value($1) }
                writer.field("generation", stats.generation)
                writer.nested("components") { writer in
                    for (name, bytes) in stats.components { writer.field(name, bytes) }
                }
                writer.nested("legacy_conversions") { writer in
                    for encoding in LegacyEncoding.allCases { writer.field(encoding.name, legacy[encoding] ?? 0) }
                }
            }
            print(writer.output)
            return
        }
        print("index       \(options.directory)")
        let deleted = stats.deletedDocuments
        print(
            "documents   \(Format.count(stats.documents))"
                + (deleted > 0 ? " (and \(Format.count(deleted)) deleted, dropped at the next merge)" : ""))
        print("segments    \(stats.segments)")
        print("terms       \(Format.count(stats.terms)) (accented and folded, summed over segments)")
        print("bytes       \(Format.count(stats.bytes)) (\(Format.megabytes(stats.bytes)))")
        for (name, bytes) in stats.components {
            let padded = name + String(repeating: " ", count: max(0, 10 - name.count))
            print("  \(padded)\(Format.count(bytes))")
        }
        print("analyzer    \(stats.analyzer)")
        let versions = stats.formatVersions.map(String.init).joined(separator: " and ")
        print(
            "format      \(versions)"
                + (stats.formatVersions.count > 1 ? " (segments of each; a merge writes the newest)" : ""))
        print("generation  \(stats.generation)")
        if !legacy.isEmpty { print("converted   \(IndexCommand.describe(legacy)) from legacy encodings") }
    }
}

/// `tra verify [--index DIR]`
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-read every file of an index and check every checksum and invariant.",
        discussion: "Exits 0 when the index is sound, 2 naming the file and offset of the first problem.")

    @OptionGroup var options: IndexOptions

    func run() throws {
        try options.requireExisting()
        let report = try SearchIndex.verify(directory: options.directory)
        print(
            "ok: \(options.directory): \(report.segments) segment\(report.segments == 1 ? "" : "s"), "
                + "\(Format.count(report.liveDocuments)) document\(report.liveDocuments == 1 ? "" : "s"), "
                + "\(Format.count(report.terms)) terms, "
                + "\(Format.count(report.postings)) postings, \(Format.count(report.positions)) positions, "
                + "\(Format.megabytes(report.bytes)) checked")
    }
}

/// `tra delete [--index DIR] ID...`
struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete documents by id.")

    @OptionGroup var options: IndexOptions

    @Argument(help: "Ids of the documents to delete.")
    var ids: [String]

    func run() throws {
        try options.requireExisting()
        let index = try SearchIndex(directory: options.directory, mode: .append)
        var deleted = 0
        for id in ids {
            if try index.delete(id: id) {
                deleted += 1
            } else {
                printError("tra: no document with id \(id.debugDescription)")
            }
        }
        try index.commit()
        print("deleted \(deleted) of \(ids.count) document\(ids.count == 1 ? "" : "s")")
    }
}

/// `tra merge [--index DIR]`
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Merge the index into one segment, dropping deleted documents.")

    @OptionGroup var options: IndexOptions

    func run() throws {
        try options.requireExisting()
        let before = try SearchIndex.statistics(directory: options.directory)
        let index = try SearchIndex(directory: options.directory, mode: .append)
        try index.merge()
        let after = try SearchIndex.statistics(directory: options.directory)
        print(
            "merged \(before.segments) segment\(before.segments == 1 ? "" : "s") into \(after.segments): "
                + "\(Format.count(after.documents)) document\(after.documents == 1 ? "" : "s"), "
                + Format.megabytes(after.bytes))
    }
}
