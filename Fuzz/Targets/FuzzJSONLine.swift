// libFuzzer target: one JSONL line through the ingest parser (UTF-8 validation, JSON syntax,
// escapes, required fields). Any outcome is fine except a crash, a hang or a document that breaks
// the parser's promises (valid strings, the line's id).
import Tra

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONLine(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let line = UnsafeRawBufferPointer(start: data, count: size)
    var parser = JSONLineParser()
    switch parser.parseDocument(line, source: SourceLocation(file: "fuzz.jsonl", line: 1)) {
    case .success(let document):
        precondition(!document.id.isEmpty, "a document without an id")
        precondition(document.fields.contains { $0.name == "body" }, "a document without a body")
    case .failure(let error):
        precondition(error.description.hasPrefix("fuzz.jsonl:1"), "error without its location: \(error)")
    }
    return 0
}
