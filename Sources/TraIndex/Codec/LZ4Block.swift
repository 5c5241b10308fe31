/// The LZ4 block format: a fast LZ77 compressor and a bounds-checked decompressor, for stored
/// documents.
///
/// LZ4 (Yann Collet, "LZ4 Block Format Description", lz4/doc/lz4_Block_format.md) encodes a block as
/// a series of sequences, each a run of literal bytes followed by a back-reference (offset, length)
/// into the 64 KB of output before it. It trades ratio for speed: there is no entropy coding, so
/// decoding is little more than `memcpy`. Only the block format is implemented; the frame format
/// (magic number, checksums, block sizes) is not, because segment files carry their own framing, the
/// uncompressed size and a CRC32C.
///
/// The compressor has three levels, which write the same format (the decompressor does not know or
/// care which one wrote a block):
///
/// - `.fast` is the greedy single-probe matcher of the reference implementation's fast mode: a hash
///   table maps the hash of the next four bytes to their last position; a candidate within 64 KB
///   whose four bytes agree starts a match, which is extended backward over pending literals and
///   forward as far as it goes. When matches are not found the search step grows, so incompressible
///   input is skipped quickly.
/// - `.medium` looks up each position outside the matches it writes in two tables, of the last
///   position per hash of the next four bytes and of the next eight, keeps the longer of the two
///   candidates' matches, and tries the next position when that match is short (one lazy step).
///   About twice as slow as `.fast`, its blocks are within 2 % of `.high`'s on Vietnamese text, at
///   about 1.7 times `.high`'s speed; stored fields use it (see `LZ4Block+MediumCompression.swift`).
/// - `.high` is a hash-chain matcher with a look-ahead parse, the approach of the reference "HC"
///   compressor: every position is linked to the previous one with the same 4-byte hash, a bounded
///   walk down that chain finds the longest match within 64 KB, and before a match is written the
///   parse looks for longer ones starting inside it (lazy matching, generalized), cutting it short
///   or dropping it when that covers the text with fewer bytes. About 5 times slower than `.fast`,
///   it writes blocks about a fifth smaller on Vietnamese text (see
///   `LZ4Block+HighCompression.swift`).
///
/// The decompressor reads untrusted bytes from disk. It checks every length and offset against both
/// the input and the expected output size before copying, never reads or writes outside its buffers,
/// consumes at least one input byte per sequence (so it always ends), and reports any inconsistency
/// by returning `false`.
///
///     var compressed: [UInt8] = []
///     text.withUnsafeBytes { LZ4Block.compress($0, level: .high, into: &compressed) }
///     var restored: [UInt8] = []
///     let ok = compressed.withUnsafeBytes {
///         LZ4Block.decompress($0, decompressedSize: text.count, into: &restored)
///     }
package enum LZ4Block {
    /// How hard the compressor looks for matches. All levels write the same block format.
    package enum Level: Sendable, Hashable, CaseIterable {
        /// The greedy single-probe matcher: fastest, larger output.
        case fast
        /// Two hash tables and a lazy step: about twice as slow as `.fast`, within 2 % of `.high`'s
        /// output on text.
        case medium
        /// Hash chains and a look-ahead parse: about 5 times slower, about a fifth smaller on text.
        case high
    }

    /// The shortest match the format can express.
    static let minMatch = 4
    /// The largest back-reference offset.
    static let maxOffset = 65_535
    /// The last bytes of a block are always literals.
    static let lastLiterals = 5
    /// The last match starts at least this many bytes before the end of the block.
    static let matchFindLimit = 12
    /// log2 of the number of hash table entries: 8,192 positions, as many as the reference
    /// compressor keeps for blocks under 64 KB (32 KB on the stack, as 32-bit positions).
    static let hashLog = 13
    /// The search step grows by one every 2^skipStrength failed probes.
    static let skipStrength = 6

    /// The largest compressed size of `inputSize` bytes: the input as literals plus one length byte
    /// per 255 of them and a token.
    ///
    /// - Complexity: O(1).
    package static func maxCompressedSize(_ inputSize: Int) -> Int {
        inputSize + inputSize / 255 + 16
    }

    // Layout of a block: sequences, back to back, with no header or end marker.
    //
    //   sequence := token [literal-length bytes] literals [offset match-length bytes]
    //
    //   token (1 byte)       : high nibble L = literal length (15 means "more bytes follow"),
    //                          low nibble M = match length − 4 (15 means "more bytes follow")
    //   literal-length bytes : if L = 15, bytes b₁ b₂ … added to 15, continuing while bᵢ = 255
    //   literals             : the literal bytes, copied verbatim
    //   offset (UInt16 LE)   : distance back from the current output position, 1...65535
    //   match-length bytes   : if M = 15, bytes added to 15 + 4, continuing while bᵢ = 255
    //
    // The last sequence has literals only (no offset, no match), and ends the block. End-of-block
    // rules: the last 5 bytes are literals, and the last match starts at least 12 bytes before the
    // end, so blocks shorter than 13 bytes are a single literal run.
    //
    // Example: "abcabcabcabcabcab" (17 bytes) compresses to 12 bytes,
    //
    //   35 61 62 63 03 00 50 61 62 63 61 62
    //   token 0x35: 3 literals "abc", then a match of 4 + 5 = 9 bytes at offset 3 (bytes 3 ..< 12);
    //   token 0x50: 5 final literals "abcab" (the match stopped 5 bytes before the end).

    /// Appends the LZ4 block encoding of `input` to `output`.
    ///
    /// - Parameters:
    ///   - input: The bytes to compress; matches reach back at most 64 KB, so long inputs work but
    ///     compress no better than their 64 KB windows.
    ///   - output: The compressed block is appended; at most `maxCompressedSize(input.count)` bytes.
    /// - Complexity: O(n) in the input size.
    package static func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 1 << hashLog) { table in
            table.initialize(repeating: 0)
            appendBlock(of: input.count, to: &output) { writer in
                if let source = input.baseAddress {
                    compressBlock(source, input.count, table, &writer)
                } else {
                    // An empty input: a token of no literals.
                    writer.byte(0)
                }
            }
        }
    }

    /// Appends the LZ4 block encoding of `input` to `output`, searching for matches as hard as
    /// `level` says.
    ///
    /// - Parameters:
    ///   - input: The bytes to compress; matches reach back at most 64 KB. At `.medium` and
    ///     `.high`, inputs of 2 GB or more are compressed at `.fast` (positions are kept in 32 bits).
    ///   - level: `.fast` is `compress(_:into:)`; `.medium` and `.high` trade speed for a smaller
    ///     block.
    ///   - output: The compressed block is appended; at most `maxCompressedSize(input.count)` bytes.
    ///   - workspace: Memory for `.medium`'s tables, kept from call to call (the same bytes
    ///     either way).
    /// - Complexity: O(n) in the input size at every level (`.medium` compares two earlier
    ///   positions per search, `.high` at most `chainSearchDepth`).
    package static func compress(
        _ input: UnsafeRawBufferPointer, level: Level, into output: inout [UInt8], workspace: Workspace? = nil
    ) {
        switch level {
        case .fast:
            compress(input, into: &output)
        case .medium, .high:
            // Blocks of up to 12 bytes are a single literal run whatever the level; the match
            // finders keep positions as `Int32`.
            guard let source = input.baseAddress, input.count > matchFindLimit, input.count < chainInputLimit else {
                compress(input, into: &output)
                return
            }
            if level == .medium {
                compressMedium(source, input.count, into: &output, workspace: workspace)
            } else {
                compressHigh(source, input.count, into: &output)
            }
        }
    }

    /// Decodes the LZ4 block `input`, which must expand to exactly `decompressedSize` bytes, and
    /// appends those bytes to `output`.
    ///
    /// - Parameters:
    ///   - input: Exactly one compressed block.
    ///   - decompressedSize: The expected size of the decoded block, recorded by the writer.
    ///   - output: Receives the decoded bytes; unchanged when decoding fails.
    /// - Returns: `false` if the block is corrupt: truncated, an offset of 0 or before the start of
    ///   the block, a length running past the input or past `decompressedSize`, bytes after the last
    ///   sequence, or a decoded size other than `decompressedSize`.
    /// - Complexity: O(n + m) for n input and m output bytes.
    package static func decompress(
        _ input: UnsafeRawBufferPointer, decompressedSize: Int, into output: inout [UInt8]
    ) -> Bool {
        // Each input byte expands to at most 255 output bytes, so a larger size is corrupt (and is
        // refused before it is allocated).
        guard decompressedSize >= 0, let source = input.baseAddress, !input.isEmpty,
            decompressedSize / 255 <= input.count
        else { return false }
        // An empty block is a single token with no literals (its match nibble is ignored).
        guard decompressedSize > 0 else { return input.count == 1 && input[0] < 0x10 }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: decompressedSize))
        let ok = output.withUnsafeMutableBytes { raw -> Bool in
            guard let destination = raw.baseAddress else { return false }
            return decodeBlock(source, input.count, destination + start, decompressedSize)
        }
        if !ok { output.removeLast(decompressedSize) }
        return ok
    }
}
