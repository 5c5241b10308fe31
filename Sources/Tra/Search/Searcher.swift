import TraIndex
import TraRanking

/// Searches the last commit of an index. Opening maps the segments once; every search sees that
/// snapshot (open a new `Searcher` to see later commits). Not thread-safe: use one per thread.
public final class Searcher {
    public let directory: String

    /// Opens the index in `directory` for searching.
    public init(directory: String) throws(TraError) {
        self.directory = directory
        throw TraError(.user, "search is not implemented yet")
    }

    /// Runs `query` (the query language of the README) and returns the top `options.limit` hits.
    public func search(_ query: String, options: SearchOptions = SearchOptions()) throws(TraError) -> SearchResult {
        throw TraError(.user, "search is not implemented yet")
    }

    /// Live documents in the snapshot.
    public var documentCount: Int { 0 }
}
