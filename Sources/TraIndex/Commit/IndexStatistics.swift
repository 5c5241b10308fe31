/// What `tra stats` reports: sizes and counts of one commit.
package struct IndexStatistics: Sendable {
    package var documents = 0
    package var deletedDocuments = 0
    package var segments = 0
    /// Term entries summed over segments (a term in two segments counts twice).
    package var terms = 0
    package var bytes = 0
    /// Bytes per component: the segment sections by name, plus "deletes" and "manifest".
    package var componentBytes: [(name: String, bytes: Int)] = []
    package var analyzer = SegmentSerializer.AnalyzerInfo(name: "", version: 0)
    /// The format versions of the segments, ascending (this build's version for an index
    /// without segments): an index appended to, or merged, by a newer build holds several.
    package var formatVersions: [UInt32] = [FormatVersion.current]
    package var generation = 0

    package init(snapshot: IndexSnapshot) {
        var components: [String: Int] = [:]
        for segment in snapshot.segments {
            documents += segment.liveDocumentCount
            deletedDocuments += segment.deleted?.count ?? 0
            terms += segment.reader.terms.termCount
            bytes += segment.reader.file.bytes.count
            var sectionBytes = 0
            for (section, entry) in segment.reader.layout.sections {
                // Pairs under either key (PAIRS, TOKEN PAIRS) count as one component.
                let name = section == .tokenPairs ? "pairs" : section.name.lowercased()
                components[name, default: 0] += entry.range.count
                sectionBytes += entry.range.count
            }
            components["framing", default: 0] += segment.reader.file.bytes.count - sectionBytes
            if let name = segment.info.deletesFileName {
                let size = FileIO.size(snapshot.directory + "/" + name) ?? 0
                components["deletes", default: 0] += size
                bytes += size
            }
        }
        let manifestSize = FileIO.size(snapshot.directory + "/" + Manifest.fileName) ?? 0
        components["manifest"] = manifestSize
        bytes += manifestSize
        segments = snapshot.segments.count
        if !snapshot.segments.isEmpty {
            formatVersions = Set(snapshot.segments.map(\.reader.layout.formatVersion)).sorted()
        }
        let order = [
            "meta", "terms", "postings", "positions", "norms", "stored", "ids", "pairs", "framing", "deletes",
            "manifest",
        ]
        // Every component, known ones in this order, any other (a newer section kind) after them.
        componentBytes =
            order.compactMap { name in components[name].map { (name, $0) } }
            + components.filter { !order.contains($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        analyzer = snapshot.manifest.analyzer
        generation = snapshot.manifest.generation
    }
}
