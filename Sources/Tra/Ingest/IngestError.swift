/// Bad input: a bad line, a bad file or a bad path, with where it is and what is wrong.
///
/// `description` is one line, `FILE:LINE: message`, or `FILE: message` when the problem is not on a line
/// (an empty file, a missing path, a read error).
package struct IngestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file (or input path) as the user gave it.
    package var file: String
    /// The 1-based line, when the problem is on a line.
    package var line: Int?
    /// The 1-based byte column within the line, when it helps (it is also in `message`).
    package var column: Int?
    /// What is wrong, without the location prefix.
    package var message: String

    package init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    package var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

/// What is wrong with one JSONL line, without the file and line (`JSONLineParser` does not know them).
package struct JSONLineError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 1-based byte column of the problem, when there is one.
    package var column: Int?
    /// The message, which repeats the column where there is one.
    package var message: String

    package init(column: Int?, message: String) {
        self.column = column
        self.message = message
    }

    package var description: String { message }

    /// The same error placed at `location`.
    package func located(at location: SourceLocation) -> IngestError {
        IngestError(file: location.file, line: location.line, column: column, message: message)
    }
}
