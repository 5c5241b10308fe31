/// An error of the on-disk index: what went wrong, where, and what to do about it.
///
/// Shaped like SwiftNIO's `FileSystemError`: a code that callers switch on, a message that says
/// how to remedy, and a location (file and byte offset) when bytes on disk are at fault.
package struct IndexError: Error, CustomStringConvertible, Sendable {
    package enum Code: Sendable, Equatable {
        /// Bytes on disk do not decode or their checksum does not match.
        case corrupt
        /// The index was written by an older format version this build no longer reads.
        case tooOld
        /// The index was written by a newer format version than this build knows.
        case tooNew
        /// The index was built by a different analyzer (name or version).
        case analyzerMismatch
        /// Another process holds the writer lock.
        case locked
        /// The index folder does not exist or holds no index.
        case notFound
        /// The operating system refused a file operation (permissions, disk full, ...).
        case io
        /// The caller asked for something invalid (an empty id, ...).
        case invalidArgument
    }

    package var code: Code
    package var message: String
    /// The file at fault, when there is one.
    package var file: String?
    /// The byte offset in `file` at fault, when known.
    package var offset: Int?

    package init(_ code: Code, _ message: String, file: String? = nil, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.offset = offset
    }

    /// Whether the error means the index itself is damaged or unreadable by this build (exit 2 in
    /// the CLI), rather than a problem of the request or the environment.
    package var isIndexProblem: Bool {
        switch code {
        case .corrupt, .tooOld, .tooNew, .analyzerMismatch: return true
        default: return false
        }
    }

    package var description: String {
        var location = ""
        if let file {
            location = file
            if let offset { location += " at byte \(offset)" }
            location += ": "
        }
        return location + message
    }

    /// A corrupt-bytes error with the standard remedy.
    package static func corrupt(_ what: String, file: String, offset: Int) -> IndexError {
        IndexError(
            .corrupt, "\(what) (corrupt index: restore it from a backup or rebuild it with 'tra index')", file: file,
            offset: offset)
    }
}
