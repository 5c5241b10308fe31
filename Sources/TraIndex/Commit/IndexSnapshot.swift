/// A consistent, read-only view of one commit of an index: its manifest, its segments (mapped)
/// and their deleted documents. A writer committing meanwhile never changes what a snapshot sees:
/// segment files are immutable and a replaced file stays readable while it is mapped.
package final class IndexSnapshot: Sendable {
    package struct Segment: Sendable {
        package var info: Manifest.Segment
        package var reader: SegmentReader
        package var deleted: DeletedDocuments?

        package var liveDocumentCount: Int { reader.documentCount - (deleted?.count ?? 0) }

        @inline(__always)
        package func isLive(_ doc: UInt32) -> Bool { !(deleted?.contains(doc) ?? false) }
    }

    package let directory: String
    package let manifest: Manifest
    package let segments: [Segment]

    /// Opens the latest commit of the index in `directory`.
    ///
    /// A writer may replace the manifest and remove the files of the previous commit between the
    /// moment the manifest is read and the moment the segments are opened; opening then retries
    /// with the new manifest.
    package convenience init(directory: String, analyzer: SegmentSerializer.AnalyzerInfo?) throws(IndexError) {
        var attempt = 0
        while true {
            let manifest = try Self.readManifest(directory)
            do {
                try self.init(directory: directory, manifest: manifest, analyzer: analyzer)
                return
            } catch {
                // Retry only when a writer committed meanwhile; otherwise the error is real.
                attempt += 1
                guard attempt < 5, let current = try? Self.readManifest(directory),
                    current.generation != manifest.generation
                else { throw error }
            }
        }
    }

    package init(directory: String, manifest: Manifest, analyzer: SegmentSerializer.AnalyzerInfo?) throws(IndexError) {
        if let analyzer, analyzer != manifest.analyzer {
            throw IndexError(
                .analyzerMismatch,
                "index was built with analyzer \(manifest.analyzer.name) \(manifest.analyzer.version), "
                    + "this tra uses \(analyzer.name) \(analyzer.version); rebuild the index with 'tra index' "
                    + "(without --append)", file: directory + "/" + Manifest.fileName)
        }
        self.directory = directory
        self.manifest = manifest
        var segments: [Segment] = []
        for info in manifest.segments {
            let path = directory + "/" + info.fileName
            guard FileIO.exists(path) else {
                throw .corrupt(
                    "the manifest names \(info.fileName), which is missing", file: directory + "/" + Manifest.fileName,
                    offset: 0)
            }
            if let name = info.deletesFileName, !FileIO.exists(directory + "/" + name) {
                throw .corrupt(
                    "the manifest names \(name), which is missing", file: directory + "/" + Manifest.fileName, offset: 0
                )
            }
            let reader = try SegmentReader(path: path)
            guard reader.documentCount == info.documentCount, reader.layout.segmentID == info.id else {
                throw .corrupt(
                    "segment does not match the manifest (\(reader.documentCount) documents, id "
                        + "\(reader.layout.segmentID))", file: reader.path, offset: 0)
            }
            guard reader.analyzer == manifest.analyzer else {
                throw .corrupt(
                    "segment was written by another analyzer than its manifest says", file: reader.path, offset: 0)
            }
            var deleted: DeletedDocuments? = nil
            if let name = info.deletesFileName {
                deleted = try DeletedDocuments(path: directory + "/" + name, documentCount: info.documentCount)
            }
            segments.append(Segment(info: info, reader: reader, deleted: deleted))
        }
        self.segments = segments
    }

    /// The manifest of the latest commit, or `.notFound` when the folder holds no index.
    package static func readManifest(_ directory: String) throws(IndexError) -> Manifest {
        let path = directory + "/" + Manifest.fileName
        guard FileIO.exists(path) else {
            if !FileIO.exists(directory) {
                throw IndexError(
                    .notFound, "no index at \(directory): the folder does not exist; create one with 'tra index'")
            }
            throw IndexError(.notFound, "no index at \(directory): it has no manifest; create one with 'tra index'")
        }
        return try Manifest(path: path)
    }

    /// Live documents (deletes excluded).
    package var documentCount: Int { segments.reduce(0) { $0 + $1.liveDocumentCount } }
}
