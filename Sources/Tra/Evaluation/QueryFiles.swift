/// One question of an evaluation set: a line `{"qid": ..., "query": ..., "relevant": [ids]}`.
public struct EvaluationQuery: Sendable, Equatable {
    /// The question's id (a JSON string, or a number kept as written).
    public var qid: String
    /// The question as written in the file.
    public var query: String
    /// Ids of the documents that answer it (at least one).
    public var relevant: [String]
    /// The 1-based line of the file it was read from.
    public var line: Int

    public init(qid: String, query: String, relevant: [String], line: Int) {
        self.qid = qid
        self.query = query
        self.relevant = relevant
        self.line = line
    }
}

/// One line of a plain query file (`tra bench --queries`).
public struct BenchmarkQuery: Sendable, Equatable {
    /// The line as written, without its line break.
    public var text: String
    /// The 1-based line number.
    public var line: Int

    public init(text: String, line: Int) {
        self.text = text
        self.line = line
    }
}

/// Readers of the two query-file formats. Errors are user errors (exit status 1) whose one-line
/// message names the file and, for a bad line, its 1-based line number: `FILE:LINE: what is wrong`.
///
/// Both formats are UTF-8 text, one item a line (LF or CRLF); blank lines are skipped, a UTF-8 byte
/// order mark at the start is ignored, and a file without any item is an error.
public enum QueryFiles {
    /// Reads an evaluation set: JSON Lines of `{"qid", "query", "relevant": [ids]}`. Other members
    /// (`answers`, `split`...) are ignored. `qid` is a string or a number, `query` a non-empty string,
    /// `relevant` a non-empty array of strings.
    public static func readEvaluationSet(path: String) throws(TraError) -> [EvaluationQuery] {
        var queries: [EvaluationQuery] = []
        do throws(IngestError) {
            try forEachLine(path) { (line, bytes) throws(IngestError) in
                queries.append(try parseEvaluationLine(bytes, file: path, line: line))
            }
        } catch {
            throw TraError(error)
        }
        if queries.isEmpty { throw TraError(.user, "\(path): no queries (the file has only blank lines)") }
        return queries
    }

    /// Reads a file of one query per line, kept as written (blank lines skipped).
    public static func readQueryList(path: String) throws(TraError) -> [BenchmarkQuery] {
        var queries: [BenchmarkQuery] = []
        do throws(IngestError) {
            try forEachLine(path) { (line, bytes) throws(IngestError) in
                queries.append(BenchmarkQuery(text: try string(bytes, file: path, line: line), line: line))
            }
        } catch {
            throw TraError(error)
        }
        if queries.isEmpty { throw TraError(.user, "\(path): no queries (the file has only blank lines)") }
        return queries
    }

    /// Parses one non-blank line of an evaluation set.
    package static func parseEvaluationLine(_ bytes: [UInt8], file: String, line: Int) throws(IngestError)
        -> EvaluationQuery
    {
        _ = try string(bytes, file: file, line: line)
        func failure(_ message: String) -> IngestError { IngestError(file: file, line: line, message: message) }
        let value: JSONValue
        do throws(JSONLineError) {
            value = try JSONValueParser.parse(bytes)
        } catch {
            throw error.located(at: SourceLocation(file: file, line: line))
        }
        guard case .object = value else {
            throw failure("expected a JSON object {\"qid\", \"query\", \"relevant\"}, found \(value.kind)")
        }
        let qid: String
        switch value.member("qid") {
        case .string(let text), .number(let text): qid = text
        case nil: throw failure("missing required field \"qid\"")
        case let other?: throw failure("field \"qid\" is not a string (found \(other.kind))")
        }
        let query: String
        switch value.member("query") {
        case .string(let text): query = text
        case nil: throw failure("missing required field \"query\"")
        case let other?: throw failure("field \"query\" is not a string (found \(other.kind))")
        }
        if query.allSatisfy({ $0.isWhitespace }) { throw failure("field \"query\" is empty") }
        var relevant: [String] = []
        switch value.member("relevant") {
        case .array(let elements):
            for element in elements {
                guard case .string(let id) = element else {
                    throw failure("field \"relevant\" must hold strings (found \(element.kind))")
                }
                relevant.append(id)
            }
        case nil: throw failure("missing required field \"relevant\"")
        case let other?: throw failure("field \"relevant\" is not an array of ids (found \(other.kind))")
        }
        if relevant.isEmpty { throw failure("field \"relevant\" is empty (each query needs a relevant id)") }
        return EvaluationQuery(qid: qid, query: query, relevant: relevant, line: line)
    }

    /// The line as a string, or the error that names where its UTF-8 is ill-formed.
    private static func string(_ bytes: [UInt8], file: String, line: Int) throws(IngestError) -> String {
        let failure = bytes.withUnsafeBytes { UTF8Validation.firstError(in: $0) }
        if let failure {
            let column = failure.offset + 1
            throw IngestError(
                file: file, line: line, column: column,
                message: "invalid UTF-8 at column \(column): \(failure.reason)")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Calls `body` with the number and bytes (line break removed) of each non-blank line of `path`.
    private static func forEachLine(
        _ path: String, _ body: (Int, [UInt8]) throws(IngestError) -> Void
    ) throws(IngestError) {
        switch IngestPathKind(path: path) {
        case .missing: throw IngestError(file: path, message: "no such file")
        case .folder: throw IngestError(file: path, message: "is a folder, not a file")
        case .failure(let error): throw IngestError(file: path, message: "cannot read: \(error)")
        case .file: break
        }
        let reader: IngestLineReader
        switch IngestLineReader.open(path, bufferSize: 1 << 16) {
        case .success(let opened): reader = opened
        case .failure(let error): throw IngestError(file: path, message: "cannot read: \(error)")
        }
        var number = 0
        while true {
            switch reader.next() {
            case .end: return
            case .failure(let error): throw IngestError(file: path, message: "cannot read: \(error)")
            case .line(var line):
                number += 1
                if number == 1, line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
                    line = UnsafeRawBufferPointer(rebasing: line.dropFirst(3))
                }
                if line.last == IngestByte.carriageReturn { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
                if line.allSatisfy({ $0 == IngestByte.space || $0 == IngestByte.tab }) { continue }
                try body(number, Array(line))
            }
        }
    }
}
