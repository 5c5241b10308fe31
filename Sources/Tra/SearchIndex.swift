import TraIndex

/// A tra index on disk: the library's entry point for writing and inspecting one.
///
/// ```swift
/// let index = try SearchIndex(directory: ".tra-index", mode: .create)
/// try index.add(id: "1", fields: [("title", "Hà Nội"), ("body", "Thủ đô của Việt Nam")])
/// try index.commit()
/// ```
///
/// One writer at a time may write an index (a second writer gets an error at once); any number
/// may read it meanwhile, each seeing the last commit. A writer holds the index's lock until the
/// `SearchIndex` is released; what it did not commit by then is dropped.
public final class SearchIndex {
    /// How a writer treats an existing index.
    public enum Mode: Sendable {
        /// Replace it (at the first commit; until then readers see the old one).
        case create
        /// Add to it.
        case append
    }

    /// The analyzer this build indexes and searches with.
    public static var analyzer: (name: String, version: Int) { (Analyzer.name, Analyzer.version) }

    static var analyzerInfo: SegmentSerializer.AnalyzerInfo { .init(name: Analyzer.name, version: Analyzer.version) }

    /// The default index folder: `$TRA_INDEX`, else `.tra-index` in the current folder.
    public static func defaultDirectory(environment: [String: String]) -> String {
        environment["TRA_INDEX"].flatMap { $0.isEmpty ? nil : $0 } ?? ".tra-index"
    }

    public let directory: String
    package let writer: IndexWriter
    private let analyzer: DocumentAnalyzer

    /// Opens `directory` for writing (creating the folder if needed). On glibc it also sets the
    /// process's allocator for a writer (see `MemoryReturn`).
    ///
    /// - Parameter ramBudget: bytes of buffered documents after which a segment is written.
    public init(directory: String, mode: Mode, ramBudget: Int = 256 << 20) throws(TraError) {
        MemoryReturn.configure(ramBudget: ramBudget)
        self.directory = directory
        var options = IndexWriter.Options()
        options.ramBudget = ramBudget
        do {
            writer = try IndexWriter(
                directory: directory, analyzer: Self.analyzerInfo, mode: mode == .create ? .create : .append,
                options: options)
        } catch {
            throw TraError(error)
        }
        analyzer = try DocumentAnalyzer()
    }

    /// Adds a document (replacing one with the same id). `fields` must include "body"; "title" is
    /// indexed too, every field is stored for display.
    public func add(id: String, fields: [(name: String, value: String)]) throws(TraError) {
        try add(analyzer.analyze(id: id, fields: fields))
    }

    package func add(_ document: AnalyzedDocument) throws(TraError) {
        do { try writer.add(document) } catch { throw TraError(error) }
    }

    /// Deletes the document with `id`; returns whether it existed.
    @discardableResult
    public func delete(id: String) throws(TraError) -> Bool {
        do { return try writer.delete(id: id) } catch { throw TraError(error) }
    }

    /// Makes all changes durable and visible to readers.
    public func commit() throws(TraError) {
        do { try writer.commit() } catch { throw TraError(error) }
    }

    /// Merges the index into one segment, dropping deleted documents, and commits.
    public func merge() throws(TraError) {
        do { try writer.forceMerge() } catch { throw TraError(error) }
    }

    /// Live documents, uncommitted ones included.
    public var documentCount: Int { writer.documentCount }
}

extension SearchIndex {
    /// Sizes and counts of the last commit of the index in `directory`.
    public struct Statistics: Sendable {
        public var documents: Int
        public var deletedDocuments: Int
        public var segments: Int
        public var terms: Int
        public var bytes: Int
        /// Bytes per component (segment sections by name, deletes, manifest).
        public var components: [(name: String, bytes: Int)]
        public var analyzer: String
        /// The oldest format version among the segments (the one readers must support).
        public var formatVersion: Int
        /// Every format version of the segments, ascending (one unless an older index was
        /// appended to by a newer build; merges write the newest).
        public var formatVersions: [Int]
        public var generation: Int
    }

    public static func statistics(directory: String) throws(TraError) -> Statistics {
        do {
            let snapshot = try IndexSnapshot(directory: directory, analyzer: analyzerInfo)
            let stats = IndexStatistics(snapshot: snapshot)
            return Statistics(
                documents: stats.documents, deletedDocuments: stats.deletedDocuments, segments: stats.segments,
                terms: stats.terms, bytes: stats.bytes, components: stats.componentBytes,
                analyzer: "\(stats.analyzer.name) \(stats.analyzer.version)",
                formatVersion: Int(stats.formatVersions.first ?? 0),
                formatVersions: stats.formatVersions.map { Int($0) },
                generation: stats.generation)
        } catch {
            throw TraError(error)
        }
    }

    /// What ``verify(directory:)`` checked.
    public struct VerificationReport: Sendable {
        public var segments: Int
        public var documents: Int
        public var liveDocuments: Int
        public var terms: Int
        public var postings: Int
        public var positions: Int
        public var bytes: Int
    }

    /// Re-reads every file of the index and checks every checksum and invariant; throws the first
    /// problem (as a `.index` error naming the file and offset).
    public static func verify(directory: String) throws(TraError) -> VerificationReport {
        do {
            let report = try IndexVerifier.verify(directory: directory)
            return VerificationReport(
                segments: report.segments, documents: report.documents, liveDocuments: report.liveDocuments,
                terms: report.terms, postings: report.postings, positions: report.positions, bytes: report.bytes)
        } catch {
            throw TraError(error)
        }
    }
}
