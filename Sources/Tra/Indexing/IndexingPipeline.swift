import Dispatch
import TraIndex

/// Streams input documents into an index: reads and parses on the calling thread, analyzes on
/// `threads` worker threads, adds to the index in input order, and commits at the end (and every
/// `commitEvery` documents if asked).
///
/// Analysis of one batch overlaps adding the previous batch to the index, which keeps both cores
/// busy on a two-core machine. Each worker has a serial queue of its own and takes the batch's
/// documents one at a time, whichever is free first (not a fixed share, which left a worker idle
/// while the other finished a long article); the next batch is queued behind the current one
/// before the previous is added, so a worker done with its last document goes on to the next
/// batch instead of waiting for the others.
package final class IndexingPipeline {
    package struct Options: Sendable {
        /// Skip bad documents (counted and reported) instead of failing the run.
        package var skipBad = false
        /// Commit after every this many documents (nil: once at the end).
        package var commitEvery: Int? = nil
        /// Analysis threads.
        package var threads = 2
        /// Input bytes per batch handed to the analysis threads.
        package var batchBytes = 2 << 20
        /// Documents per batch at most: an analyzed document holds about 1 KB besides its text
        /// (its arrays and their headers), which for tiny documents dwarfs `batchBytes`.
        package var batchDocuments = 32768
        /// Detect and convert fields written in legacy encodings (TCVN3, VNI-Windows, VIQR).
        package var legacy = true

        package init() {}
    }

    private let index: SearchIndex
    private let options: Options
    private let workers: [AnalyzerBox]
    private let legacy: LegacyDocumentConverter?
    /// One serial queue per worker: a worker's analyzer is never used by two batches at once.
    private let queues: [DispatchQueue]

    package init(index: SearchIndex, options: Options) throws(TraError) {
        self.index = index
        self.options = options
        var workers: [AnalyzerBox] = []
        for _ in 0..<max(1, options.threads) { workers.append(AnalyzerBox(try DocumentAnalyzer())) }
        self.workers = workers
        queues = workers.indices.map { DispatchQueue(label: "tra.analysis.\($0)") }
        legacy = options.legacy ? try LegacyDocumentConverter() : nil
    }

    /// Indexes every document of `source`; throws the first bad document's error unless
    /// `skipBad`, in which case nothing of the run is committed.
    package func run(_ source: IngestSource, progress: (IndexingStatus) -> Void) throws(TraError) -> IndexingSummary {
        let clock = ContinuousClock()
        let start = clock.now
        var summary = IndexingSummary()
        var batch: [IngestDocument] = []
        var batchBytes = 0
        var inFlight: InFlight? = nil
        var lastReport = start
        var sinceCommit = 0
        let replacedBefore = index.writer.replacedDocuments

        /// Adds the analyzed batch `finished`, `pendingAfter` bytes of text read after it.
        func insert(_ finished: InFlight, pendingAfter: Int) throws(TraError) {
            finished.group.wait()
            // What is left to add, for the writer's choice to grow its buffer into one segment:
            // the file bytes not read yet (more than their text) and the batches read.
            let unread = source.totalBytes - summary.bytesRead
            index.writer.remainingInputBytes = unread >= 0 ? unread + pendingAfter + finished.bytes : nil
            for (slot, source) in finished.sources.enumerated() {
                // Taken out of its slot, the document is freed once the index has it.
                switch finished.results.take(slot) {
                case .success(let analyzed)?:
                    try index.add(analyzed)
                    summary.documents += 1
                    summary.countLegacy(finished.results.legacy[slot])
                    sinceCommit += 1
                case .failure(let error)?:
                    try skip(TraError(.user, "\(source): \(error.message)"))
                case nil:
                    throw TraError(.user, "\(source): the document was not analyzed")
                }
                if let every = options.commitEvery, sinceCommit >= every {
                    try index.commit()
                    sinceCommit = 0
                }
            }
        }
        func skip(_ error: TraError) throws(TraError) {
            guard options.skipBad else { throw error }
            summary.skipped += 1
            if summary.skippedErrors.count < 20 { summary.skippedErrors.append(error.message) }
        }
        func submit() throws(TraError) {
            // Queued behind the previous batch on each worker's queue; adding that batch to the
            // index then overlaps the analysis of this one. (In flight before the previous batch
            // is added: an error there waits for it, and so for every batch started.)
            let next = startAnalysis(batch, bytes: batchBytes)
            batch = []
            batchBytes = 0
            let previous = inFlight
            inFlight = next
            if let previous { try insert(previous, pendingAfter: next.bytes) }
        }

        do {
            try source.forEach { result, bytesRead in
                summary.bytesRead = bytesRead
                switch result {
                case .success(let document):
                    batchBytes += document.fields.reduce(0) { $0 + $1.value.utf8.count }
                    batch.append(document)
                    if batchBytes >= options.batchBytes || batch.count >= options.batchDocuments { try submit() }
                case .failure(let error):
                    try skip(TraError(error))
                }
                let now = clock.now
                if now - lastReport > .milliseconds(200) {
                    lastReport = now
                    progress(
                        IndexingStatus(
                            documents: summary.documents, bytesRead: bytesRead, totalBytes: source.totalBytes,
                            seconds: Self.seconds(now - start)))
                }
            }
            try submit()
            if let last = inFlight {
                inFlight = nil
                try insert(last, pendingAfter: 0)
            }
        } catch let error as TraError {
            inFlight?.group.wait()
            throw error
        } catch {
            inFlight?.group.wait()
            throw TraError(.user, "\(error)")
        }
        try index.commit()
        summary.replaced = index.writer.replacedDocuments - replacedBefore
        summary.segments = index.writer.segmentCount
        summary.seconds = Self.seconds(clock.now - start)
        return summary
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    // MARK: Parallel analysis

    private final class AnalyzerBox: @unchecked Sendable {
        let analyzer: DocumentAnalyzer
        init(_ analyzer: DocumentAnalyzer) { self.analyzer = analyzer }
    }

    /// Results written by the workers, each slot by exactly one worker, read after the group wait
    /// (which orders the writes before the reads). Raw storage, so that concurrent writes to
    /// different slots do not touch a shared array header.
    private final class Results: @unchecked Sendable {
        private let slots: UnsafeMutableBufferPointer<Result<AnalyzedDocument, TraError>?>
        /// The legacy encodings each document was converted from (``LegacyDocumentConverter/mask(_:)``).
        let legacy: UnsafeMutableBufferPointer<UInt8>

        init(count: Int) {
            slots = .allocate(capacity: count)
            slots.initialize(repeating: nil)
            legacy = .allocate(capacity: count)
            legacy.initialize(repeating: 0)
        }

        deinit {
            slots.deinitialize()
            slots.deallocate()
            legacy.deallocate()
        }

        func set(_ index: Int, _ value: Result<AnalyzedDocument, TraError>) { slots[index] = value }

        /// The result in slot `index`, leaving the slot empty.
        func take(_ index: Int) -> Result<AnalyzedDocument, TraError>? {
            defer { slots[index] = nil }
            return slots[index]
        }
    }

    /// Hands out the indices of a batch's documents, each once, to the worker that asks first.
    private final class Claims: @unchecked Sendable {
        private let lock = DispatchSemaphore(value: 1)
        private var claimed = 0
        private let count: Int

        init(count: Int) { self.count = count }

        func next() -> Int? {
            lock.wait()
            defer { lock.signal() }
            guard claimed < count else { return nil }
            claimed += 1
            return claimed - 1
        }
    }

    /// A batch being analyzed. Only the workers hold its documents (freed when they are done), and
    /// each analyzed document is freed once added to the index: a huge document is not kept
    /// while its segment is written.
    private struct InFlight {
        var sources: [SourceLocation]
        var results: Results
        var group: DispatchGroup
        /// Bytes of the documents' text.
        var bytes: Int
    }

    private func startAnalysis(_ documents: [IngestDocument], bytes: Int) -> InFlight {
        let results = Results(count: documents.count)
        let group = DispatchGroup()
        let claims = Claims(count: documents.count)
        let legacy = legacy
        for (worker, box) in workers.enumerated() {
            queues[worker].async(group: group) {
                while let index = claims.next() {
                    var document = documents[index]
                    legacy?.convert(&document)
                    results.legacy[index] = LegacyDocumentConverter.mask(document.legacyConversions)
                    results.set(
                        index,
                        Result { () throws(TraError) in
                            try box.analyzer.analyze(id: document.id, fields: document.fields)
                        })
                }
            }
        }
        return InFlight(sources: documents.map(\.source), results: results, group: group, bytes: bytes)
    }
}

/// Where a running indexing job is.
public struct IndexingStatus: Sendable {
    public var documents: Int
    public var bytesRead: Int
    public var totalBytes: Int
    public var seconds: Double

    public var megabytesPerSecond: Double { Double(bytesRead) / 1e6 / max(seconds, 1e-9) }

    /// The estimated time left, once enough is read to tell.
    public var secondsLeft: Double? {
        guard bytesRead > 0, seconds > 0.5, totalBytes > bytesRead else { return nil }
        return Double(totalBytes - bytesRead) / (Double(bytesRead) / seconds)
    }
}

/// What an indexing job did.
public struct IndexingSummary: Sendable {
    public var documents = 0
    public var replaced = 0
    public var bytesRead = 0
    public var skipped = 0
    /// The first few skipped documents' errors, as "FILE:LINE: what is wrong".
    public var skippedErrors: [String] = []
    public var seconds = 0.0
    public var segments = 0
    /// Documents with at least one field converted from each legacy encoding.
    public var legacyConversions: [LegacyEncoding: Int] = [:]

    mutating func countLegacy(_ mask: UInt8) {
        guard mask != 0 else { return }
        for encoding in LegacyEncoding.allCases where mask & 1 << encoding.rawValue != 0 {
            legacyConversions[encoding, default: 0] += 1
        }
    }
}

extension SearchIndex {
    /// Indexes JSONL files or folders of .jsonl and .txt files into `directory`, committing at the
    /// end (and every `commitEvery` documents). Without `skipBad` the first bad document stops the
    /// run with its `FILE:LINE: what is wrong` and nothing of the run is committed. With `legacy`,
    /// fields written in TCVN3, VNI-Windows or VIQR are converted to Unicode first, the original
    /// kept in a stored field (see ``LegacyDocumentConverter``).
    public static func build(
        inputs: [String], directory: String, mode: Mode, skipBad: Bool = false, commitEvery: Int? = nil,
        ramBudget: Int = 256 << 20, threads: Int = 2, legacy: Bool = true,
        progress: (IndexingStatus) -> Void = { _ in }
    ) throws(TraError) -> IndexingSummary {
        var source: IngestSource
        do { source = try IngestSource(inputs: inputs) } catch { throw TraError(error) }
        if legacy { source.legacy = try LegacyDocumentConverter() }
        let index = try SearchIndex(directory: directory, mode: mode, ramBudget: ramBudget)
        var options = IndexingPipeline.Options()
        options.skipBad = skipBad
        options.commitEvery = commitEvery
        options.threads = threads
        options.legacy = legacy
        return try IndexingPipeline(index: index, options: options).run(source, progress: progress)
    }
}
