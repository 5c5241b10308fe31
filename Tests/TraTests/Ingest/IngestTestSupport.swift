import Foundation
import Tra

/// A fresh folder under the system's temporary folder, removed with the object.
final class IngestTemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("tra-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The path of `relative` inside the folder.
    func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

    /// Writes `bytes` to `relative` (creating its folders) and returns its path.
    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) throws -> String {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file.path
    }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String { try write(relative, Array(text.utf8)) }
}

/// Everything an `IngestSource` delivers.
struct Ingested {
    var documents: [IngestDocument] = []
    /// Error descriptions, in order.
    var errors: [String] = []
    /// Every result as "id" or "error: description", in order.
    var events: [String] = []
    /// The `bytesRead` of each callback.
    var progress: [Int] = []

    init(_ source: IngestSource) {
        source.forEach { result, bytesRead in
            progress.append(bytesRead)
            switch result {
            case .success(let document):
                documents.append(document)
                events.append(document.id)
            case .failure(let error):
                errors.append(error.description)
                events.append("error: \(error.description)")
            }
        }
    }

    init(_ inputs: [String], bufferSize: Int = 1 << 20) throws {
        self.init(try IngestSource(inputs: inputs, bufferSize: bufferSize))
    }
}

/// Parses one line as a document of `data.jsonl`, line 17.
func parseIngestLine(_ bytes: [UInt8]) -> Result<IngestDocument, IngestError> {
    var parser = JSONLineParser()
    return bytes.withUnsafeBytes { parser.parseDocument($0, source: SourceLocation(file: "data.jsonl", line: 17)) }
}

func parseIngestLine(_ text: String) -> Result<IngestDocument, IngestError> { parseIngestLine(Array(text.utf8)) }

/// The error description of a line that must fail (nil when it parses).
func ingestLineError(_ bytes: [UInt8]) -> String? {
    if case .failure(let error) = parseIngestLine(bytes) { return error.description }
    return nil
}

func ingestLineError(_ text: String) -> String? { ingestLineError(Array(text.utf8)) }

/// The fields of a document as "name=value" strings.
func ingestFieldList(_ document: IngestDocument) -> [String] { document.fields.map { "\($0.name)=\($0.value)" } }
