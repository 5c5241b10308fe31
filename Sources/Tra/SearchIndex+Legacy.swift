import TraIndex

extension SearchIndex {
    /// Live documents of the last commit with at least one field converted from each legacy
    /// encoding, counted from the `F.encoding` fields ``LegacyDocumentConverter`` stores beside
    /// each converted field `F` (no count is kept elsewhere, so merges and deletes need no care).
    ///
    /// - Complexity: one pass over the stored fields (each block decompressed once).
    public static func legacyConversions(directory: String) throws(TraError) -> [LegacyEncoding: Int] {
        let suffix = Array(LegacyDocumentConverter.encodingSuffix.utf8)
        var counts: [LegacyEncoding: Int] = [:]
        do {
            let snapshot = try IndexSnapshot(directory: directory, analyzer: analyzerInfo)
            for segment in snapshot.segments {
                try segment.reader.stored.forEachDocument(fields: { name in
                    name.count > suffix.count && name.suffix(suffix.count).elementsEqual(suffix)
                }) { doc, fields in
                    guard !fields.isEmpty, segment.isLive(UInt32(doc)) else { return }
                    let encodings = Set(fields.compactMap { LegacyEncoding(name: $0.value) })
                    for encoding in encodings { counts[encoding, default: 0] += 1 }
                }
            }
        } catch {
            throw TraError(error)
        }
        return counts
    }
}
