import Foundation
import Testing

/// A fresh folder under the system's temporary folder, for one test's inputs and index.
///
/// Remove it with `defer { folder.remove() }` right after creating it: the `defer` also keeps the
/// object alive until the end of the test.
final class TempFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("tra-cli-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `relative` inside the folder (which need not exist).
    func path(_ relative: String) -> String {
        url.appendingPathComponent(relative).path
    }

    /// Writes `text` as UTF-8 to `relative` (creating the folders on the way); returns its path.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        try write(relative, bytes: Array(text.utf8))
    }

    /// Writes `bytes` to `relative` (creating the folders on the way); returns its path.
    @discardableResult
    func write(_ relative: String, bytes: [UInt8]) throws -> String {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file.path
    }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: path(relative))
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Three good Vietnamese documents, one JSON object a line.
let threeDocuments = """
    {"id":"hanoi","title":"Hà Nội","body":"Thủ đô của Việt Nam là Hà Nội, một thành phố nghìn năm văn hiến."}
    {"id":"pho","title":"Phở","body":"Phở bò là món ăn nổi tiếng của người Việt, thường ăn vào buổi sáng."}
    {"id":"song-hong","title":"Sông Hồng","body":"Sông Hồng chảy qua nhiều tỉnh miền Bắc.","url":"https://example.org/song-hong"}

    """

/// What `tra stats --json` printed.
struct IndexStats: CustomStringConvertible {
    let documents: Int
    let segments: Int
    let terms: Int
    let bytes: Int
    let analyzer: String
    let formatVersion: Int
    /// Not in the CLI contract's minimum set, so optional here.
    let deletedDocuments: Int?
    /// The whole line, to compare two runs byte for byte.
    let json: String

    var description: String { json }
}

/// Runs `tra stats --index DIR --json`, checks it succeeded cleanly and parses its object.
func indexStats(_ directory: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> IndexStats {
    let result = try TraProcess.run("stats", "--index", directory, "--json")
    #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
    #expect(result.exitedNormally, "\(result)", sourceLocation: sourceLocation)
    expectBytes(result.stderr, "", "stderr", sourceLocation: sourceLocation)
    #expect(result.stdout.hasSuffix("}\n"), "\(result)", sourceLocation: sourceLocation)
    #expect(result.stdout.filter { $0 == "\n" }.count == 1, "one line: \(result)", sourceLocation: sourceLocation)
    let object = try #require(
        try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any],
        "not a JSON object: \(result)", sourceLocation: sourceLocation)
    for key in ["documents", "segments", "terms", "bytes", "analyzer", "format_version"] {
        #expect(
            object[key] != nil, "stats --json lacks \(key.debugDescription): \(result)", sourceLocation: sourceLocation)
    }
    // The components account for every byte (a section missing from them went unnoticed once).
    if let components = object["components"] as? [String: Int] {
        #expect(
            components.values.reduce(0, +) == object["bytes"] as? Int, "components do not add up: \(result)",
            sourceLocation: sourceLocation)
    }
    func integer(_ key: String) throws -> Int {
        try #require(object[key] as? Int, "\(key) is not an integer: \(result)", sourceLocation: sourceLocation)
    }
    return IndexStats(
        documents: try integer("documents"),
        segments: try integer("segments"),
        terms: try integer("terms"),
        bytes: try integer("bytes"),
        analyzer: try #require(
            object["analyzer"] as? String, "analyzer is not a string: \(result)", sourceLocation: sourceLocation),
        formatVersion: try integer("format_version"),
        deletedDocuments: object["deleted_documents"] as? Int,
        json: result.stdout)
}

/// Runs `tra index --index DIR [extra…] INPUT…` and expects success: status 0, nothing on stderr and
/// one summary line starting with "indexed N document".
@discardableResult
func indexSucceeds(
    _ directory: String, _ inputs: [String], extra: [String] = [], documents: Int,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> TraResult {
    let result = try TraProcess.run(["index", "--index", directory] + extra + inputs)
    #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
    #expect(result.exitedNormally, "\(result)", sourceLocation: sourceLocation)
    expectBytes(result.stderr, "", "stderr", sourceLocation: sourceLocation)
    #expect(
        result.stdout.hasPrefix("indexed \(documents) document"), "summary: \(result)", sourceLocation: sourceLocation)
    #expect(result.stdout.filter { $0 == "\n" }.count == 1, "one line: \(result)", sourceLocation: sourceLocation)
    return result
}

/// Expects a failed run: `status`, nothing on stdout, and exactly one line on stderr that starts with
/// `prefix` and contains each of `fragments`.
func expectOneLineError(
    _ result: TraResult, status: Int32, prefix: String, _ fragments: String...,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(result.status == status, "\(result)", sourceLocation: sourceLocation)
    #expect(result.exitedNormally, "\(result)", sourceLocation: sourceLocation)
    expectBytes(result.stdout, "", "stdout", sourceLocation: sourceLocation)
    #expect(result.stderr.hasSuffix("\n"), "\(result)", sourceLocation: sourceLocation)
    #expect(
        result.stderr.filter { $0 == "\n" }.count == 1, "exactly one line: \(result)", sourceLocation: sourceLocation)
    #expect(
        result.stderr.hasPrefix(prefix), "expected prefix \(prefix.debugDescription): \(result)",
        sourceLocation: sourceLocation)
    for fragment in fragments {
        #expect(
            result.stderr.contains(fragment), "expected \(fragment.debugDescription): \(result)",
            sourceLocation: sourceLocation)
    }
}

/// The names in `directory` that start with "seg-" and end with ".tra", sorted.
func segmentFiles(in directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory)
        .filter { $0.hasPrefix("seg-") && $0.hasSuffix(".tra") }
        .sorted()
}
