import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The single writer of an index folder: buffers documents in memory, flushes segments when the
/// RAM budget is reached, applies updates and deletes, commits atomically and merges.
///
/// A full buffer is serialized and written on a background thread while the next one fills. The
/// budget covers both: a buffer is flushed when it reaches half the budget, and at most one flush
/// is in flight (the next full buffer waits for it). A buffer's footprint counts what serializing
/// it will need on top (``SegmentWriter/memoryFootprint``).
///
/// When the caller says how much input is left (``remainingInputBytes``) and the buffer, grown as
/// it grew so far, would hold the rest within the whole budget, it is not flushed at half
/// the budget but grows on: an input that fits the budget becomes one segment, which searches
/// faster than two. Should it reach the whole budget after all, it is flushed at once, nothing
/// filling meanwhile, so the budget holds either way.
///
/// A commit writes new segment and deletes files (each fsynced), then the manifest under a
/// temporary name (fsynced), renames it over the old one and fsyncs the folder. A crash at any
/// moment leaves the previous commit readable; files of an unfinished commit are removed the next
/// time a writer opens the folder.
package final class IndexWriter {
    package enum Mode: Sendable {
        /// Start an empty index, replacing whatever the folder held (at commit).
        case create
        /// Add to the existing index (an empty one if the folder holds none).
        case append
    }

    package struct Options: Sendable {
        /// Bytes of buffered documents after which the in-memory segment is flushed.
        package var ramBudget = 256 << 20
        /// Segments of the same size class merged at once (see ``MergePolicy``).
        package var mergeFactor = 10

        package init() {}
    }

    private struct LiveSegment {
        var info: Manifest.Segment
        var reader: SegmentReader
        var deleted: DeletedDocuments
        /// Whether `deleted` changed since the last commit.
        var deletesChanged: Bool
    }

    package let directory: String
    package let analyzer: SegmentSerializer.AnalyzerInfo
    package let options: Options
    private let lock: WriterLock
    private var manifest: Manifest
    private var segments: [LiveSegment] = []
    private var buffer = SegmentWriter()
    /// Bytes of the stored text of the documents added to ``buffer`` (for the growth rate).
    private var bufferInputBytes = 0
    private var pendingFlush: PendingFlush? = nil
    /// Bytes of input text not yet added, when the caller knows it (nil: unknown; every buffer is
    /// flushed at half the budget).
    package var remainingInputBytes: Int? = nil

    /// A segment being serialized and written on a background thread.
    private struct PendingFlush {
        var info: Manifest.Segment
        var documentsByID: [DocumentKey: UInt32]
        var deleted: DeletedDocuments
        var task: FlushTask
    }

    private final class FlushTask: @unchecked Sendable {
        /// Written by the flushing thread before it leaves `group`; read after `group.wait()`.
        var result: Result<SegmentReader, IndexError>? = nil
        let group = DispatchGroup()
        /// The buffer to write, handed over whole: the serializer frees it term by term.
        var segment: SegmentWriter? = nil
    }
    /// Counters since the writer was opened.
    package private(set) var replacedDocuments = 0
    package private(set) var deletedDocuments = 0
    package private(set) var mergedSegments = 0

    package init(directory: String, analyzer: SegmentSerializer.AnalyzerInfo, mode: Mode, options: Options = Options())
        throws(IndexError)
    {
        self.directory = directory
        self.analyzer = analyzer
        self.options = options
        try FileIO.createDirectory(directory)
        lock = try WriterLock(directory: directory)
        var existing: Manifest? = nil
        if FileIO.exists(directory + "/" + Manifest.fileName) {
            do {
                existing = try IndexSnapshot.readManifest(directory)
            } catch  where mode == .create && error.isIndexProblem {
                // Rebuilding replaces a damaged index: start after the highest segment id present,
                // and leave the old files alone until the new commit replaces them.
                existing = nil
            }
        }
        let highestPresent = try FileIO.list(directory).compactMap(Self.segmentID).max() ?? 0
        manifest = Manifest(
            generation: existing?.generation ?? 0, analyzer: analyzer,
            nextSegmentID: max(existing?.nextSegmentID ?? 1, highestPresent + 1), segments: [])
        if mode == .append, let existing {
            let snapshot = try IndexSnapshot(directory: directory, manifest: existing, analyzer: analyzer)
            manifest.segments = existing.segments
            segments = snapshot.segments.map {
                LiveSegment(
                    info: $0.info, reader: $0.reader,
                    deleted: $0.deleted ?? DeletedDocuments(documentCount: $0.reader.documentCount),
                    deletesChanged: false)
            }
        }
        if existing != nil || !FileIO.exists(directory + "/" + Manifest.fileName) {
            try removeUnreferencedFiles(keeping: existing)
        }
    }

    /// The id in a segment or deletes file name ("seg-12.tra", "seg-12.3.del").
    private static func segmentID(_ name: String) -> UInt64? {
        guard name.hasPrefix("seg-") else { return nil }
        return UInt64(name.dropFirst(4).prefix { $0.isNumber })
    }

    /// Live documents, buffered ones included.
    package var documentCount: Int {
        segments.reduce(0) { $0 + $1.reader.documentCount - $1.deleted.count } + buffer.documentCount
            - buffer.deleted.count + (pendingFlush.map { $0.info.documentCount - $0.deleted.count } ?? 0)
    }

    package var segmentCount: Int { segments.count + (pendingFlush == nil ? 0 : 1) }

    /// Adds a document; an existing document with the same id is replaced.
    package func add(_ document: AnalyzedDocument) throws(IndexError) {
        guard !document.id.isEmpty else { throw IndexError(.invalidArgument, "a document id must not be empty") }
        if try deleteInSegments(id: document.id) || buffer.document(withID: document.id) != nil {
            replacedDocuments += 1
        }
        for field in document.stored { bufferInputBytes += field.value.utf8.count }
        buffer.add(document)
        let footprint = buffer.memoryFootprint
        guard footprint >= options.ramBudget / 2 else { return }
        if bufferGrowsPastHalf {
            // Decided once, at half the budget (the footprint grows in steps, as arrays double,
            // and a projection made again later would flip back and forth). A background flush
            // of more than half the budget would leave too little for the next buffer.
            if footprint >= options.ramBudget { try flush() }
        } else if footprint < options.ramBudget && restFits(footprint: footprint) {
            bufferGrowsPastHalf = true
        } else {
            try startFlush()
        }
    }

    /// ``buffer`` went past half the budget because the rest of the input fitted.
    private var bufferGrowsPastHalf = false

    /// Whether the buffer, at `footprint`, would hold the rest of the input within the budget,
    /// projected from what it holds so far: the part that grows with the text at the footprint
    /// per input byte, the part that grows with the vocabulary (terms and pairs repeat) more
    /// slowly (``vocabularyGrowthExponent``). The projection errs on the large side; where the
    /// footprint grows in a step instead (an array doubling), the whole budget still stops it.
    private func restFits(footprint: Int) -> Bool {
        guard let remaining = remainingInputBytes, pendingFlush == nil, bufferInputBytes > 0 else { return false }
        let parts = buffer.memoryFootprintParts
        let growth = Double(bufferInputBytes + remaining) / Double(bufferInputBytes)
        let projected =
            Double(parts.text) * growth + Double(parts.vocabulary) * pow(growth, Self.vocabularyGrowthExponent)
        return projected <= Double(options.ramBudget)
    }

    /// The exponent the vocabulary part of the footprint is projected with: the text grown by a
    /// factor g, it is taken to grow by g^0.8. Heaps' law; on the Wikipedia sample the terms grew
    /// as the documents to the power 0.57 (from its 2,000th to its 4,000th document) and the
    /// distinct pairs as the pairs read to the power 0.67 (from 4.2 to 13.8 million, at the pair
    /// counter's compactions), so 0.8 still errs on the large side.
    static let vocabularyGrowthExponent = 0.8

    /// Deletes the document with `id`; returns whether there was one.
    @discardableResult
    package func delete(id: String) throws(IndexError) -> Bool {
        let found = try deleteInSegments(id: id) || buffer.delete(id: id)
        if found { deletedDocuments += 1 }
        return found
    }

    private func deleteInSegments(id: String) throws(IndexError) -> Bool {
        var found = false
        if let doc = pendingFlush?.documentsByID[DocumentKey(id)], pendingFlush?.deleted.insert(doc) == true {
            found = true
        }
        for index in segments.indices {
            if let doc = try segments[index].reader.document(withID: id), segments[index].deleted.insert(doc) {
                segments[index].deletesChanged = true
                found = true
            }
        }
        return found
    }

    /// Writes the buffered documents as a new segment (not yet committed) and waits for it.
    package func flush() throws(IndexError) {
        try startFlush()
        try finishPendingFlush()
    }

    /// Hands the buffered documents to a background thread that serializes and writes them,
    /// after waiting for the previous such flush.
    private func startFlush() throws(IndexError) {
        try finishPendingFlush()
        guard buffer.documentCount > 0 else { return }
        let segment = buffer
        buffer = SegmentWriter()
        bufferInputBytes = 0
        bufferGrowsPastHalf = false
        let id = manifest.nextSegmentID
        manifest.nextSegmentID += 1
        let info = Manifest.Segment(id: id, documentCount: segment.documentCount, deletesGeneration: 0)
        let path = directory + "/" + info.fileName
        var deleted = DeletedDocuments(documentCount: segment.documentCount)
        for doc in segment.deleted { deleted.insert(doc) }
        let task = FlushTask()
        let analyzer = analyzer
        let documentsByID = segment.documentsByID
        task.segment = consume segment
        DispatchQueue.global().async(group: task.group) {
            task.result = Result { () throws(IndexError) in
                guard var segment = task.segment.take() else {
                    throw IndexError(.io, "segment \(id) was handed to two flushes")
                }
                let pieces = SegmentSerializer.serialize(&segment, id: id, analyzer: analyzer)
                try FileIO.writeDurably(pieces: pieces, to: path)
                return try SegmentReader(path: path)
            }
        }
        pendingFlush = PendingFlush(info: info, documentsByID: documentsByID, deleted: deleted, task: task)
    }

    /// Waits for the background flush, if any, and adds its segment.
    private func finishPendingFlush() throws(IndexError) {
        guard let pending = pendingFlush else { return }
        pendingFlush = nil
        pending.task.group.wait()
        guard let result = pending.task.result else {
            throw IndexError(.io, "writing segment \(pending.info.fileName) did not finish")
        }
        segments.append(
            LiveSegment(
                info: pending.info, reader: try result.get(), deleted: pending.deleted,
                deletesChanged: pending.deleted.count > 0))
    }

    /// Makes everything added and deleted so far durable and visible to new readers, then merges
    /// segments as the merge policy asks (committing again after each merge).
    package func commit() throws(IndexError) {
        try flush()
        try writeCommit()
        while let group = MergePolicy.segmentsToMerge(
            segments.map { $0.reader.documentCount - $0.deleted.count }, factor: options.mergeFactor)
        {
            try merge(group)
        }
    }

    /// Merges all segments into one (dropping deleted documents) and commits.
    package func forceMerge() throws(IndexError) {
        try flush()
        if segments.count > 1 || segments.contains(where: { $0.deleted.count > 0 }) {
            try merge(Array(segments.indices))
        } else {
            try writeCommit()
        }
    }

    private func merge(_ group: [Int]) throws(IndexError) {
        let inputs = group.map { SegmentMerger.Input(reader: segments[$0].reader, deleted: segments[$0].deleted) }
        let id = manifest.nextSegmentID
        manifest.nextSegmentID += 1
        let (pieces, count) = try SegmentMerger.merge(inputs, id: id, analyzer: analyzer)
        let info = Manifest.Segment(id: id, documentCount: count, deletesGeneration: 0)
        let path = directory + "/" + info.fileName
        // A merge of only deleted documents leaves nothing: no segment is written.
        if count > 0 { try FileIO.writeDurably(pieces: pieces, to: path) }
        let first = group.min() ?? 0
        for index in group.sorted(by: >) { segments.remove(at: index) }
        if count > 0 {
            let reader = try SegmentReader(path: path)
            segments.insert(
                LiveSegment(
                    info: info, reader: reader, deleted: DeletedDocuments(documentCount: count), deletesChanged: false),
                at: first)
        }
        mergedSegments += group.count
        try writeCommit()
    }

    private func writeCommit() throws(IndexError) {
        for index in segments.indices where segments[index].deletesChanged {
            var info = segments[index].info
            info.deletesGeneration += 1
            if let name = info.deletesFileName {
                try FileIO.writeDurably(segments[index].deleted.serialized(), to: directory + "/" + name)
            }
            segments[index].info = info
            segments[index].deletesChanged = false
        }
        manifest.generation += 1
        manifest.segments = segments.map(\.info)
        let temporary = directory + "/" + Manifest.temporaryFileName
        try FileIO.writeDurably(manifest.serialized(), to: temporary)
        try FileIO.rename(temporary, to: directory + "/" + Manifest.fileName)
        try FileIO.syncDirectory(directory)
        try removeUnreferencedFiles(keeping: manifest)
    }

    /// Removes segment, deletes and temporary files that `manifest` does not name (left by an
    /// unfinished commit, replaced by a merge or by a newer deletes generation).
    private func removeUnreferencedFiles(keeping manifest: Manifest?) throws(IndexError) {
        var keep: Set<String> = [Manifest.fileName, WriterLock.fileName]
        for segment in manifest?.segments ?? [] {
            keep.insert(segment.fileName)
            if let deletes = segment.deletesFileName { keep.insert(deletes) }
        }
        for segment in segments {
            keep.insert(segment.info.fileName)
            if let deletes = segment.info.deletesFileName { keep.insert(deletes) }
        }
        for name in try FileIO.list(directory) where !keep.contains(name) {
            if name.hasPrefix("seg-") && (name.hasSuffix(".tra") || name.hasSuffix(".del"))
                || name == Manifest.temporaryFileName
            {
                FileIO.remove(directory + "/" + name)
            }
        }
    }
}

/// When to merge: a logarithmic policy. Segments fall in size classes by the base-`factor`
/// logarithm of their live document count; when a class holds `factor` segments, they are merged
/// into one of the next class. The number of segments stays O(factor × log(documents)).
package enum MergePolicy {
    /// Indexes of segments to merge now, or nil.
    package static func segmentsToMerge(_ liveCounts: [Int], factor: Int) -> [Int]? {
        guard factor >= 2 else { return nil }
        var classes: [Int: [Int]] = [:]
        for (index, count) in liveCounts.enumerated() {
            var level = 0
            var size = max(count, 1)
            while size >= factor {
                size /= factor
                level += 1
            }
            classes[level, default: []].append(index)
        }
        return classes.keys.sorted().lazy.compactMap { level in
            classes[level].flatMap { $0.count >= factor ? Array($0.prefix(factor)) : nil }
        }.first
    }
}
