import TraIndex
@_exported import TraRanking
@_exported import TraTokenizer

/// An error of the tra library, with the exit status the command line gives it.
public struct TraError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// Bad input or a bad request: a malformed document, a missing file, a busy index (exit 1).
        case user
        /// The index is corrupt, or was written by an incompatible format or analyzer (exit 2).
        case index
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// The command-line exit status for this error.
    public var exitStatus: Int32 { kind == .index ? 2 : 1 }

    package init(_ error: IndexError) {
        self.init(error.isIndexProblem ? .index : .user, error.description)
    }

    package init(_ error: IngestError) {
        self.init(.user, error.description)
    }

    package init(_ error: RankingError) {
        switch error {
        case .query(let message): self.init(.user, message)
        case .index(let error): self.init(error)
        case .analyzer(let error): self.init(error)
        }
    }

    package init(_ error: ICUError) {
        self.init(.user, error.description)
    }
}
