/// Re-reads a whole index and checks every checksum and invariant, like SQLite's
/// `PRAGMA integrity_check`: the manifest, every section's CRC32C, term order, every posting
/// (documents ascending and in range, frequencies and positions consistent with the dictionary),
/// every stored document, the id table and the deletes files. Reading every block through the
/// segment's readers also checks every block checksum of format version 3 (IndexFormat.md).
package enum IndexVerifier {
    package struct Report: Sendable {
        package var segments = 0
        package var documents = 0
        package var liveDocuments = 0
        package var terms = 0
        package var postings = 0
        package var positions = 0
        /// Distinct pair keys (PAIRS entries), summed over segments.
        package var pairs = 0
        package var bytes = 0

        package init() {}
    }

    /// Throws the first problem found (an ``IndexError`` naming the file and offset).
    package static func verify(directory: String) throws(IndexError) -> Report {
        let snapshot = try IndexSnapshot(directory: directory, analyzer: nil)
        var report = Report()
        report.bytes += FileIO.size(directory + "/" + Manifest.fileName) ?? 0
        for segment in snapshot.segments {
            try verify(segment.reader, deleted: segment.deleted, into: &report)
            report.liveDocuments += segment.liveDocumentCount
            if let name = segment.info.deletesFileName { report.bytes += FileIO.size(directory + "/" + name) ?? 0 }
        }
        report.segments = snapshot.segments.count
        return report
    }

    /// Checks one segment completely.
    package static func verify(_ reader: SegmentReader, deleted: DeletedDocuments?, into report: inout Report)
        throws(IndexError)
    {
        for section in SegmentFile.Section.allCases {
            try SegmentFile.verify(section, in: reader.layout, of: reader.file)
        }
        try SegmentFile.verifyPadding(in: reader.layout, of: reader.file)
        let documentCount = reader.documentCount
        var cursor = try reader.terms.cursor()
        var previous: [UInt8]? = nil
        var termCount = 0
        while let info = try cursor.next() {
            let term = cursor.term
            if let previous, !previous.lexicographicallyPrecedes(term) {
                throw .corrupt("TERMS: terms out of order", file: reader.path, offset: 0)
            }
            previous = term
            termCount += 1
            var postings = try reader.postings(info)
            var count = 0
            var total = 0
            var last: Int64 = -1
            // Each full block's frontier must be exactly that of its documents' (length, frequency).
            let field = IndexedField(rawValue: term.first ?? 0) ?? .body
            var block: (last: UInt32, frontier: [(norm: UInt32, freq: UInt32)])? = nil
            var blockPoints: [(norm: UInt32, freq: UInt32)] = []
            // The term's frontier (version 6) must be that of its blocks' frontiers and tail documents.
            var termPoints: [(norm: UInt32, freq: UInt32)] = []
            func checkBlock() throws(IndexError) {
                guard let block else { return }
                if reader.layout.formatVersion < PostingsCursor.frontierVersion {
                    // Version 1: the block's largest frequency and shortest length.
                    blockPoints = [(blockPoints.map(\.norm).min() ?? 0, blockPoints.map(\.freq).max() ?? 0)]
                } else {
                    PostingsSerializer.reduceToFrontier(&blockPoints)
                }
                guard blockPoints.elementsEqual(block.frontier, by: { $0 == $1 }) else {
                    throw .corrupt(
                        "POSTINGS: the skip data of the block ending at document \(block.last) of term "
                            + "\(describe(term)) does not match its documents", file: reader.path, offset: 0)
                }
                termPoints.append(contentsOf: blockPoints)
                blockPoints.removeAll()
            }
            while try postings.next() {
                guard Int(postings.doc) < documentCount, Int64(postings.doc) > last else {
                    throw .corrupt(
                        "POSTINGS: document \(postings.doc) out of order or out of range for term \(describe(term))",
                        file: reader.path, offset: 0)
                }
                last = Int64(postings.doc)
                if postings.isInBlock ? postings.blockLastDoc != block?.last : block != nil {
                    try checkBlock()
                    block = postings.isInBlock ? (postings.blockLastDoc, postings.blockFrontierPoints()) : nil
                }
                if block != nil {
                    blockPoints.append((reader.norm(field, postings.doc), postings.freq))
                } else {
                    termPoints.append((reader.norm(field, postings.doc), postings.freq))
                }
                count += 1
                total += Int(postings.freq)
                if info.positionsOffset != nil {
                    let positions = try postings.positions()
                    guard positions.count == Int(postings.freq),
                        zip(positions, positions.dropFirst()).allSatisfy({ $0 < $1 })
                    else {
                        throw .corrupt(
                            "POSITIONS: bad positions for term \(describe(term))", file: reader.path, offset: 0)
                    }
                    report.positions += positions.count
                }
            }
            try checkBlock()
            if let frontier = try postings.termFrontierPoints() {
                PostingsSerializer.reduceToFrontier(&termPoints)
                guard termPoints.elementsEqual(frontier, by: { $0 == $1 }) else {
                    throw .corrupt(
                        "POSTINGS: the frontier of term \(describe(term)) does not match its documents",
                        file: reader.path, offset: 0)
                }
            }
            guard count == info.docFreq, total == info.totalFreq else {
                throw .corrupt(
                    "POSTINGS: term \(describe(term)) has \(count) documents and \(total) occurrences, its dictionary "
                        + "entry says \(info.docFreq) and \(info.totalFreq)", file: reader.path, offset: 0)
            }
            report.postings += count
        }
        guard termCount == reader.terms.termCount else {
            throw .corrupt(
                "TERMS: \(termCount) terms, the trailer says \(reader.terms.termCount)", file: reader.path, offset: 0)
        }
        report.pairs += try reader.pairs.entries().count + reader.tokenPairs.entries().count
        let ids = try reader.allIDs()
        for doc in 0..<documentCount {
            _ = try reader.document(doc)
            guard let id = ids[doc] else {
                guard deleted?.contains(UInt32(doc)) == true else {
                    throw .corrupt("IDS: live document \(doc) has no id", file: reader.path, offset: 0)
                }
                continue
            }
            guard try reader.document(withID: id) == UInt32(doc) else {
                throw .corrupt("IDS: id '\(id)' does not find its document \(doc)", file: reader.path, offset: 0)
            }
        }
        report.terms += termCount
        report.documents += documentCount
        report.bytes += reader.file.bytes.count
    }

    private static func describe(_ term: [UInt8]) -> String {
        String(decoding: term.dropFirst().map { $0 == 0 ? UInt8(ascii: "|") : $0 }, as: UTF8.self).debugDescription
    }
}
