import ArgumentParser
import Foundation
import Tra

/// `tra index [--index DIR] [--append] [--skip-bad] INPUT...`
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Index JSONL files or folders of .jsonl and .txt files.",
        discussion: """
            Each JSONL line is an object with "id" and "body" (required strings), "title" and any other \
            string fields (stored for display). A document whose id is already indexed replaces it. In a \
            .txt file the first line is the title, the rest the body, and the id the file's path relative \
            to the folder given. Without --append the index is rebuilt from the inputs; nothing of a run \
            is committed if it fails. Fields written in a legacy Vietnamese encoding (TCVN3 or VNI-Windows \
            bytes read as Windows-1252, such bytes in a .txt file, or VIQR) are converted to Unicode when \
            enough of their words become Vietnamese syllables; the original is stored as FIELD.original.
            """
    )

    @OptionGroup var options: IndexOptions

    @Flag(name: .long, help: "Add to the existing index instead of rebuilding it.")
    var append = false

    @Flag(name: .long, help: "Skip bad documents (reported and counted) instead of failing.")
    var skipBad = false

    @Option(name: .long, parsing: .unconditional, help: "Commit after every N documents (default: once at the end).")
    var commitEvery: Int?

    @Option(
        name: .long,
        parsing: .unconditional,
        help: """
            Memory for buffered documents, in MB: a segment is written at half of it while the next \
            fills. Peak memory stays within it plus about 120 MB, except while segments are merged \
            (about twice their size on top) and for a huge document (about 7 times its size).
            """)
    var ramBudget = 256

    @Option(name: .long, parsing: .unconditional, help: "Threads that analyze text.")
    var threads = 2

    @Flag(name: .long, help: "Do not convert TCVN3, VNI-Windows or VIQR text to Unicode.")
    var noLegacy = false

    @Argument(help: "JSONL files, or folders of .jsonl and .txt files.")
    var inputs: [String]

    func validate() throws {
        if let commitEvery, commitEvery < 1 { throw ValidationError("--commit-every must be at least 1") }
        if ramBudget < 1 { throw ValidationError("--ram-budget must be at least 1 (MB)") }
        if threads < 1 || threads > 64 { throw ValidationError("--threads must be between 1 and 64") }
    }

    func run() throws {
        let summary = try Self.build(
            inputs: inputs, directory: options.directory, append: append, skipBad: skipBad, commitEvery: commitEvery,
            ramBudget: ramBudget, threads: threads, legacy: !noLegacy)
        for message in summary.skippedErrors { printError("tra: skipped \(message)") }
        if summary.skipped > summary.skippedErrors.count {
            printError("tra: ... and \(summary.skipped - summary.skippedErrors.count) more skipped")
        }
        print(Self.describe(summary, directory: options.directory))
    }

    static func build(
        inputs: [String], directory: String, append: Bool, skipBad: Bool, commitEvery: Int?, ramBudget: Int,
        threads: Int = 2, legacy: Bool = true
    ) throws -> IndexingSummary {
        let progress = ProgressLine()
        defer { progress.finish() }
        return try SearchIndex.build(
            inputs: inputs, directory: directory, mode: append ? .append : .create, skipBad: skipBad,
            commitEvery: commitEvery, ramBudget: ramBudget << 20, threads: threads, legacy: legacy
        ) { status in
            progress.show(
                "indexing: \(Format.count(status.documents)) documents, "
                    + "\(Format.megabytes(status.bytesRead)) of \(Format.megabytes(status.totalBytes)), "
                    + String(format: "%.1f MB/s", status.megabytesPerSecond)
                    + (status.secondsLeft.map { ", ETA \(Format.seconds($0))" } ?? ""))
        }
    }

    static func describe(_ summary: IndexingSummary, directory: String) -> String {
        var line =
            "indexed \(Format.count(summary.documents)) document\(summary.documents == 1 ? "" : "s") "
            + "(\(Format.megabytes(summary.bytesRead))) in "
            + "\(Format.seconds(summary.seconds)), "
            + String(format: "%.1f MB/s", Double(summary.bytesRead) / 1e6 / max(summary.seconds, 1e-9))
            + " into \(directory): \(summary.segments) segment\(summary.segments == 1 ? "" : "s")"
        if summary.replaced > 0 { line += ", \(Format.count(summary.replaced)) replaced" }
        if summary.skipped > 0 { line += ", \(Format.count(summary.skipped)) skipped" }
        if !summary.legacyConversions.isEmpty {
            line += ", converted from " + describe(summary.legacyConversions)
        }
        return line
    }
}

extension IndexCommand {
    /// "2 TCVN3, 1 VIQR documents": documents per legacy encoding, in a fixed order.
    static func describe(_ conversions: [LegacyEncoding: Int]) -> String {
        let total = conversions.values.reduce(0, +)
        let parts = LegacyEncoding.allCases.compactMap { encoding in
            conversions[encoding].map { "\(Format.count($0)) \(encoding.name)" }
        }
        return parts.joined(separator: ", ") + " document" + (total == 1 ? "" : "s")
    }
}

/// A one-line progress display on standard error, shown only on a terminal.
final class ProgressLine {
    private let enabled = isatty(2) != 0
    private var shown = false

    func show(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
        shown = true
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
