import Foundation
import Testing
import TraIndex
import TraTestSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `tra` child process that can be killed at any moment or given a deadline.
///
/// Its output goes to files rather than pipes, so a killed or hung child never leaves a reader
/// blocked, and nothing has to drain the pipes while the test sleeps.
final class TraChild {
    let arguments: [String]
    private let process = Process()
    private let outputURL: URL
    private let errorURL: URL

    /// Starts `tra arguments…` (or `executable arguments…`); `scratch` is a folder for its output
    /// files.
    init(_ arguments: [String], scratch: URL, executable: URL? = nil) throws {
        self.arguments = arguments
        let name = UUID().uuidString
        outputURL = scratch.appendingPathComponent("child-\(name).out")
        errorURL = scratch.appendingPathComponent("child-\(name).err")
        try Data().write(to: outputURL)
        try Data().write(to: errorURL)
        let output = try FileHandle(forWritingTo: outputURL)
        let error = try FileHandle(forWritingTo: errorURL)
        // The child has its own copies; closing ours keeps a long loop from running out of them.
        defer {
            try? output.close()
            try? error.close()
        }
        process.executableURL = try executable ?? TraProcess.executable.get()
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = error
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    /// Sends SIGKILL (nothing happens if the child has already exited).
    func kill() {
        if process.isRunning { _ = Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits until the child exits or `seconds` pass; returns whether it exited.
    @discardableResult
    func wait(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            if Date() > deadline { return false }
            usleep(2_000)
        }
        process.waitUntilExit()
        return true
    }

    /// What the child wrote and how it ended; call after it exited.
    func result() -> TraResult {
        let stdout = (try? Data(contentsOf: outputURL)) ?? Data()
        let stderr = (try? Data(contentsOf: errorURL)) ?? Data()
        try? FileManager.default.removeItem(at: outputURL)
        try? FileManager.default.removeItem(at: errorURL)
        return TraResult(
            arguments: arguments, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self), stdoutData: stdout, status: process.terminationStatus,
            exitedNormally: process.terminationReason == .exit)
    }
}

/// A run of `tra` that had to finish within a deadline.
struct BoundedRun {
    /// Nil when the run did not finish in time (it was killed).
    var result: TraResult?
    var seconds: Double
}

/// Runs `tra arguments…` (or `executable arguments…`) and kills it if it takes longer than
/// `timeout` seconds.
func runBounded(_ arguments: [String], timeout: Double, scratch: URL, executable: URL? = nil) throws -> BoundedRun {
    let start = Date()
    let child = try TraChild(arguments, scratch: scratch, executable: executable)
    guard child.wait(seconds: timeout) else {
        child.kill()
        child.wait(seconds: 10)
        _ = child.result()
        return BoundedRun(result: nil, seconds: Date().timeIntervalSince(start))
    }
    return BoundedRun(result: child.result(), seconds: Date().timeIntervalSince(start))
}

/// Reliability settings read from the environment, so that the scripts in `scripts/reliability/`
/// can run the same tests much longer than CI does.
enum ReliabilitySettings {
    /// The integer in `variable`, or `fallback` when it is unset or not a positive number.
    static func integer(_ variable: String, default fallback: Int) -> Int {
        guard let text = ProcessInfo.processInfo.environment[variable], let value = Int(text), value > 0 else {
            return fallback
        }
        return value
    }

    /// The seed in `variable`, or `fallback`.
    static func seed(_ variable: String, default fallback: UInt64) -> UInt64 {
        ProcessInfo.processInfo.environment[variable].flatMap { UInt64($0) } ?? fallback
    }
}

/// One JSONL input document, as the test wrote it.
struct InputDocument {
    var id: String
    /// Every field but `id`.
    var fields: [String: String]
}

/// The first `count` documents of the bundled corpus (XQuAD first, then Wikipedia), as JSONL lines
/// and parsed.
func corpusDocuments(_ count: Int) throws -> (lines: [Data], documents: [InputDocument]) {
    var lines: [Data] = []
    var documents: [InputDocument] = []
    for name in ["xquad-vi-docs.jsonl", "viwiki-sample.jsonl"] {
        let data = try Data(contentsOf: TestData.corpus.appendingPathComponent(name))
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            guard lines.count < count else { break }
            // JSONDecoder, not JSONSerialization: the latter drops a BOM that starts a string value
            // (one body of the corpus starts with U+FEFF).
            let object = try JSONDecoder().decode([String: String].self, from: Data(line))
            let id = try #require(object["id"])
            documents.append(InputDocument(id: id, fields: object.filter { $0.key != "id" }))
            lines.append(Data(line))
        }
    }
    return (lines, documents)
}

/// The live documents of the last commit of the index in `directory`, by id, with their stored
/// fields (without `id`), read straight from the segments.
func committedDocuments(_ directory: String) throws -> [String: [String: String]] {
    let snapshot = try IndexSnapshot(directory: directory, analyzer: nil)
    var documents: [String: [String: String]] = [:]
    for segment in snapshot.segments {
        let ids = try segment.reader.allIDs()
        for doc in 0..<segment.reader.documentCount where segment.isLive(UInt32(doc)) {
            let id = try #require(ids[doc], "\(segment.info.fileName): document \(doc) has no id")
            var fields: [String: String] = [:]
            for field in try segment.reader.document(doc) where field.name != "id" { fields[field.name] = field.value }
            #expect(documents[id] == nil, "\(id) is live twice")
            documents[id] = fields
        }
    }
    return documents
}
