import Foundation
import TraIndex

// libFuzzer target: the segment reader on arbitrary files. The input is a segment file; before
// reading it, the harness recomputes every section checksum and the table checksum (when the
// footer and table can be located), so that mutations reach the decoders behind the checksums
// instead of stopping at them. Then it reads the segment as a search does (terms, postings with
// next and advance, positions, block tables and bounds, stored fields, ids) and as `tra verify`
// does, first with a reader that does not compare the postings' and positions' block checksums
// (which the harness does not recompute), so that mutated blocks reach their decoders. Any
// IndexError is a good outcome; a crash or a hang is a bug. Seeds: the golden fixtures of every
// format version, and Seeds/FuzzSegment: a current segment whose terms have full blocks (the
// fixtures' have none).
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

private let path = FileManager.default.temporaryDirectory.appendingPathComponent("tra-fuzz-segment-\(getpid()).tra")
    .path

/// Rewrites the checksums of `bytes` (a segment file) to match its contents, when its footer and
/// section table are where they say.
private func fixChecksums(_ bytes: inout [UInt8]) {
    let footer = bytes.count - SegmentFile.footerSize
    guard footer >= SegmentFile.headerSize else { return }
    func u32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
    func u64(_ at: Int) -> Int { (0..<7).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
    func put(_ value: UInt32, _ at: Int) {
        for k in 0..<4 { bytes[at + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
    }
    let tableOffset = u64(footer)
    let tableLength = u32(footer + 8)
    guard tableOffset >= SegmentFile.headerSize, tableOffset + tableLength == footer, tableLength >= 4 else { return }
    let count = u32(tableOffset)
    guard count <= (tableLength - 4) / 24 else { return }
    for entry in 0..<count {
        let at = tableOffset + 4 + entry * 24
        let offset = u64(at + 4)
        let length = u64(at + 12)
        guard offset >= 0, length >= 0, offset <= tableOffset, length <= tableOffset - offset else { continue }
        let crc = bytes.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[offset..<offset + length]))
        }
        put(crc, at + 20)
    }
    var crc = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[..<SegmentFile.headerSize])) }
    crc = bytes.withUnsafeBytes {
        CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[tableOffset..<footer]), seed: crc)
    }
    put(crc, footer + 12)
}

/// A score as the ranking's bounds use one: growing with the frequency, shrinking with the length.
private func score(_ norm: UInt32, _ freq: UInt32) -> Double { Double(freq) / (1 + Double(norm)) }

private func readLikeASearch(_ reader: SegmentReader) throws(IndexError) {
    var cursor = try reader.terms.cursor()
    var terms = 0
    while let info = try cursor.next(), terms < 10_000 {
        terms += 1
        let term = cursor.term
        _ = try reader.lookup(term)
        var postings = try reader.postings(info)
        var steps = 0
        while try postings.next(), steps < 100_000 {
            steps += 1
            if info.positionsOffset != nil { _ = try postings.positions() }
        }
        var jumping = try reader.postings(info)
        var target: UInt32 = 0
        while try jumping.advance(to: target), steps < 200_000 {
            steps += 1
            target = jumping.doc &+ 37
        }
        // As a query with bounds reads it: the term's frontier, its block table (every block
        // header), a cursor jumping by that table with the blocks' frontiers, and the bounds scan.
        _ = try reader.postings(info).termMaximum(score)
        let skips = try reader.postings(info).readSkips()
        var bounded = try reader.postings(info)
        bounded.useSkips(skips)
        target = 0
        while try bounded.advance(to: target), steps < 300_000 {
            steps += 1
            _ = bounded.blockBound(score)
            target = bounded.doc &+ 129
        }
        var scanning = try reader.postings(info)
        scanning.useSkips(skips)
        try scanning.scanBounds(block: score, blockMaximum: { _ in }, tail: { _, _ in })
    }
    _ = try reader.allIDs()
    for doc in 0..<min(reader.documentCount, 1_000) { _ = try reader.document(doc) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSegment(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    fixChecksums(&bytes)
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { fatalError("cannot write \(path)") }
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    do {
        // Once without comparing the blocks' checksums (which the harness does not recompute), so
        // that damaged postings and positions reach their decoders, then as a search reads it.
        try readLikeASearch(try SegmentReader(path: path, verifyingBlocks: false))
    } catch {
        _ = error.description
    }
    do {
        let reader = try SegmentReader(path: path)
        try readLikeASearch(reader)
        var report = IndexVerifier.Report()
        try IndexVerifier.verify(reader, deleted: nil, into: &report)
    } catch {
        _ = error.description
    }
    return 0
}
