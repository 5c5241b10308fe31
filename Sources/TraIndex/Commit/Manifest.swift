/// The manifest names the live segments of a commit: the single source of truth of what the
/// index holds. It is a small text file, rewritten whole at every commit through a temporary name,
/// fsync and rename, so a crash leaves either the old or the new one.
///
///     tra-manifest 1                      -- magic and format version
///     generation 7                        -- commit counter
///     analyzer tra-vi 1                   -- analyzer name and version
///     next-segment 12                     -- the next segment id to allocate
///     segment 3 2456 1                    -- id, documents, deletes generation (0: none)
///     segment 11 120 0
///     crc32c 5d1e2f3a                     -- CRC32C of all the bytes above, in hex
package struct Manifest: Equatable, Sendable {
    package struct Segment: Equatable, Sendable {
        package var id: UInt64
        package var documentCount: Int
        package var deletesGeneration: Int

        package init(id: UInt64, documentCount: Int, deletesGeneration: Int) {
            self.id = id
            self.documentCount = documentCount
            self.deletesGeneration = deletesGeneration
        }

        package var fileName: String { "seg-\(id).tra" }
        package var deletesFileName: String? { deletesGeneration == 0 ? nil : "seg-\(id).\(deletesGeneration).del" }
    }

    package static let fileName = "manifest"
    package static let temporaryFileName = "manifest.tmp"

    package var generation: Int
    package var analyzer: SegmentSerializer.AnalyzerInfo
    package var nextSegmentID: UInt64
    package var segments: [Segment]

    package init(generation: Int, analyzer: SegmentSerializer.AnalyzerInfo, nextSegmentID: UInt64, segments: [Segment])
    {
        self.generation = generation
        self.analyzer = analyzer
        self.nextSegmentID = nextSegmentID
        self.segments = segments
    }

    package func serialized() -> [UInt8] {
        var text = "tra-manifest \(FormatVersion.current)\n"
        text += "generation \(generation)\n"
        text += "analyzer \(analyzer.name) \(analyzer.version)\n"
        text += "next-segment \(nextSegmentID)\n"
        for segment in segments {
            text += "segment \(segment.id) \(segment.documentCount) \(segment.deletesGeneration)\n"
        }
        var bytes = Array(text.utf8)
        let crc = bytes.withUnsafeBytes { CRC32C.checksum($0) }
        bytes += Array("crc32c \(String(crc, radix: 16))\n".utf8)
        return bytes
    }

    /// Parses and checks a manifest file.
    package init(path: String) throws(IndexError) {
        let file = try MappedFile(path: path)
        let bytes = Array(file.bytes)
        guard let crcLine = bytes.dropLast().lastIndex(of: UInt8(ascii: "\n")).map({ $0 + 1 }),
            bytes.last == UInt8(ascii: "\n")
        else { throw .corrupt("manifest is truncated or damaged", file: path, offset: bytes.count) }
        let body = bytes[..<crcLine]
        let crcText = String(decoding: bytes[crcLine..<(bytes.count - 1)], as: UTF8.self)
        let actual = body.withUnsafeBytes { CRC32C.checksum($0) }
        guard crcText.hasPrefix("crc32c "), let expected = UInt32(crcText.dropFirst(7), radix: 16) else {
            throw .corrupt("manifest has no checksum line", file: path, offset: crcLine)
        }
        guard expected == actual else {
            throw .corrupt(
                "manifest checksum failed (expected \(SegmentFile.hex(expected)), actual \(SegmentFile.hex(actual)))",
                file: path, offset: crcLine)
        }
        var generation: Int?
        var analyzer: SegmentSerializer.AnalyzerInfo?
        var nextSegment: UInt64?
        var segments: [Segment] = []
        var offset = 0
        for (index, line) in String(decoding: body, as: UTF8.self).split(separator: "\n").enumerated() {
            defer { offset += line.utf8.count + 1 }
            let words = line.split(separator: " ").map(String.init)
            if index == 0 {
                guard words.count == 2, words[0] == "tra-manifest", let version = UInt32(words[1]) else {
                    throw .corrupt("not a tra manifest", file: path, offset: 0)
                }
                try FormatVersion.check(version, file: path, offset: 0)
                continue
            }
            switch (words.first, words.count) {
            case ("generation", 2): generation = Int(words[1])
            case ("analyzer", 3): analyzer = Int(words[2]).map { .init(name: words[1], version: $0) }
            case ("next-segment", 2): nextSegment = UInt64(words[1])
            case ("segment", 4):
                guard let id = UInt64(words[1]), let docs = Int(words[2]), let deletes = Int(words[3]),
                    id < nextSegment ?? 0
                else { throw .corrupt("bad segment line", file: path, offset: offset) }
                segments.append(Segment(id: id, documentCount: docs, deletesGeneration: deletes))
            default:
                throw .corrupt("unexpected manifest line '\(line)'", file: path, offset: offset)
            }
        }
        guard let generation, let analyzer, let nextSegment else {
            throw .corrupt("manifest lacks generation, analyzer or next-segment", file: path, offset: 0)
        }
        self.init(generation: generation, analyzer: analyzer, nextSegmentID: nextSegment, segments: segments)
    }
}
