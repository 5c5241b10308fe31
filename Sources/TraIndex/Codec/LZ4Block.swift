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
/// The compressor is the greedy single-probe matcher of the reference implementation's fast mode: a
/// hash table maps the hash of the next four bytes to their last position; a candidate within 64 KB
/// whose four bytes agree starts a match, which is extended backward over pending literals and forward
/// as far as it goes. When matches are not found the search step grows, so incompressible input is
/// skipped quickly.
///
/// The decompressor reads untrusted bytes from disk. It checks every length and offset against both
/// the input and the expected output size before copying, never reads or writes outside its buffers,
/// consumes at least one input byte per sequence (so it always ends), and reports any inconsistency
/// by returning `false`.
///
///     var compressed: [UInt8] = []
///     text.withUnsafeBytes { LZ4Block.compress($0, into: &compressed) }
///     var restored: [UInt8] = []
///     let ok = compressed.withUnsafeBytes {
///         LZ4Block.decompress($0, decompressedSize: text.count, into: &restored)
///     }
package enum LZ4Block {
    /// The shortest match the format can express.
    static let minMatch = 4
    /// The largest back-reference offset.
    static let maxOffset = 65_535
    /// The last bytes of a block are always literals.
    static let lastLiterals = 5
    /// The last match starts at least this many bytes before the end of the block.
    static let matchFindLimit = 12
    /// log2 of the number of hash table entries (4,096 entries of 4 bytes, as in the reference's
    /// default 16 KB table).
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
    // end, so blocks shorter than 13 bytes are a single literal run. Example: "abcabcabcabcabcab"
    // (17 bytes) is 0x32 "abc" 03 00 0x50 "abcab": 3 literals, a match of 4 + 2 = 6 bytes at
    // offset 3, then 5 final literals... with the match extended as far as the rules allow.

    /// Appends the LZ4 block encoding of `input` to `output`.
    ///
    /// - Parameters:
    ///   - input: The bytes to compress; matches reach back at most 64 KB, so long inputs work but
    ///     compress no better than their 64 KB windows.
    ///   - output: The compressed block is appended; at most `maxCompressedSize(input.count)` bytes.
    /// - Complexity: O(n) in the input size.
    package static func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        let start = output.count
        let bound = maxCompressedSize(input.count)
        output.append(contentsOf: repeatElement(0, count: bound))
        let written = output.withUnsafeMutableBytes { raw -> Int in
            guard let destination = raw.baseAddress else { return 0 }
            return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 1 << hashLog) { table in
                table.initialize(repeating: 0)
                var writer = SequenceWriter(base: destination + start)
                if let source = input.baseAddress {
                    compressBlock(source, input.count, table, &writer)
                } else {
                    writer.emitLastLiterals(UnsafeRawPointer(destination), 0)
                }
                return writer.position
            }
        }
        output.removeLast(bound - written)
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

// MARK: - Compression

extension LZ4Block {
    /// Writes tokens, lengths, literals and offsets into a buffer known to be large enough.
    struct SequenceWriter {
        let base: UnsafeMutableRawPointer
        var position = 0

        @inline(__always)
        mutating func byte(_ value: UInt8) {
            base.storeBytes(of: value, toByteOffset: position, as: UInt8.self)
            position += 1
        }

        /// The bytes that extend a length field whose nibble was 15: `length` is the excess.
        @inline(__always)
        mutating func lengthBytes(_ length: Int) {
            var rest = length
            while rest >= 255 {
                byte(255)
                rest -= 255
            }
            byte(UInt8(truncatingIfNeeded: rest))
        }

        /// A sequence: token, literals `literals ..< literals + literalCount`, offset, match length.
        @inline(__always)
        mutating func emitSequence(_ literals: UnsafeRawPointer, _ literalCount: Int, offset: Int, matchLength: Int) {
            let matchCode = matchLength - LZ4Block.minMatch
            let high = UInt8(min(literalCount, 15)) << 4
            byte(high | UInt8(min(matchCode, 15)))
            if literalCount >= 15 { lengthBytes(literalCount - 15) }
            (base + position).copyMemory(from: literals, byteCount: literalCount)
            position += literalCount
            base.storeBytes(of: UInt16(truncatingIfNeeded: offset).littleEndian, toByteOffset: position, as: UInt16.self)
            position += 2
            if matchCode >= 15 { lengthBytes(matchCode - 15) }
        }

        /// The final literal-only sequence.
        @inline(__always)
        mutating func emitLastLiterals(_ literals: UnsafeRawPointer, _ literalCount: Int) {
            byte(UInt8(min(literalCount, 15)) << 4)
            if literalCount >= 15 { lengthBytes(literalCount - 15) }
            (base + position).copyMemory(from: literals, byteCount: literalCount)
            position += literalCount
        }
    }

    @inline(__always)
    static func read32(_ pointer: UnsafeRawPointer, _ offset: Int) -> UInt32 {
        pointer.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
    }

    /// Fibonacci hashing of four bytes (Knuth, TAOCP vol. 3, 6.4) into `hashLog` bits.
    @inline(__always)
    static func hash(_ word: UInt32) -> Int {
        Int((word &* 2_654_435_761) >> UInt32(32 - hashLog))
    }

    /// The number of equal bytes at `a` and `b`, comparing no further than `limit` (an offset of `a`
    /// from `source`). Eight bytes per step; the first difference is found with a bit count.
    @inline(__always)
    static func matchLength(_ source: UnsafeRawPointer, _ a: Int, _ b: Int, limit: Int) -> Int {
        var length = 0
        while a + length + 8 <= limit {
            let x = source.loadUnaligned(fromByteOffset: a + length, as: UInt64.self)
            let y = source.loadUnaligned(fromByteOffset: b + length, as: UInt64.self)
            let difference = UInt64(littleEndian: x ^ y)
            if difference != 0 { return length + difference.trailingZeroBitCount >> 3 }
            length += 8
        }
        while a + length < limit,
            source.load(fromByteOffset: a + length, as: UInt8.self) == source.load(fromByteOffset: b + length, as: UInt8.self)
        {
            length += 1
        }
        return length
    }

    /// Greedy LZ4 parse of `count` bytes at `source`, written through `writer`.
    static func compressBlock(
        _ source: UnsafeRawPointer, _ count: Int, _ table: UnsafeMutableBufferPointer<UInt32>,
        _ writer: inout SequenceWriter
    ) {
        var anchor = 0
        // A match may start no later than `lastMatchStart` and extend no further than `matchLimit`.
        let lastMatchStart = count - matchFindLimit
        let matchLimit = count - lastLiterals
        if count > matchFindLimit {
            table[hash(read32(source, 0))] = 0
            var position = 1
            search: while true {
                // Find a 4-byte match, probing further apart the longer the search goes.
                var next = position
                var probes = 1 << skipStrength
                var candidate = 0
                while true {
                    position = next
                    next += probes >> skipStrength
                    probes += 1
                    if position > lastMatchStart { break search }
                    let word = read32(source, position)
                    let slot = hash(word)
                    candidate = Int(table[slot])
                    table[slot] = UInt32(truncatingIfNeeded: position)
                    if position - candidate <= maxOffset && read32(source, candidate) == word { break }
                }
                // Extend backward over the pending literals.
                while position > anchor && candidate > 0
                    && source.load(fromByteOffset: position - 1, as: UInt8.self)
                        == source.load(fromByteOffset: candidate - 1, as: UInt8.self)
                {
                    position -= 1
                    candidate -= 1
                }
                let length =
                    minMatch
                    + matchLength(source, position + minMatch, candidate + minMatch, limit: matchLimit)
                writer.emitSequence(
                    source + anchor, position - anchor, offset: position - candidate, matchLength: length)
                position += length
                anchor = position
                if position > lastMatchStart { break }
                // Index a position inside the match, so that the next repetition can find it.
                table[hash(read32(source, position - 2))] = UInt32(truncatingIfNeeded: position - 2)
            }
        }
        writer.emitLastLiterals(source + anchor, count - anchor)
    }
}

// MARK: - Decompression

extension LZ4Block {
    /// Reads the extension bytes of a length field whose nibble was 15, adding them to `length`.
    /// Returns `nil` if the input ends first or the length exceeds `limit`.
    @inline(__always)
    static func extendLength(
        _ length: Int, _ source: UnsafeRawPointer, _ inputPosition: inout Int, _ inputEnd: Int, limit: Int
    ) -> Int? {
        var total = length
        while true {
            guard inputPosition < inputEnd else { return nil }
            let byte = source.load(fromByteOffset: inputPosition, as: UInt8.self)
            inputPosition += 1
            total += Int(byte)
            guard total <= limit else { return nil }
            if byte != 255 { return total }
        }
    }

    /// Decodes `inputCount` bytes at `source` into exactly `outputCount` bytes at `target`.
    ///
    /// Every sequence first takes a shortcut when its lengths fit in the token and both buffers have
    /// room to spare: literals and match are then copied in whole words, possibly writing a few
    /// bytes past their end that later sequences overwrite (the reference decoder's "wild copy").
    /// Otherwise each length is checked against the input and the output before anything is copied.
    static func decodeBlock(
        _ source: UnsafeRawPointer, _ inputCount: Int, _ target: UnsafeMutableRawPointer, _ outputCount: Int
    ) -> Bool {
        var input = 0
        var output = 0
        while input < inputCount {
            let token = Int(source.load(fromByteOffset: input, as: UInt8.self))
            input &+= 1

            var literalCount = token &>> 4
            if literalCount < 15 && inputCount &- input >= 18 && outputCount &- output >= 40 {
                // At most 14 literals, and at least 2 bytes of input will remain for the offset.
                copyWords(target + output, source + input, 2)
                input &+= literalCount
                output &+= literalCount
            } else {
                if literalCount == 15 {
                    guard let extended = extendLength(15, source, &input, inputCount, limit: outputCount - output)
                    else { return false }
                    literalCount = extended
                }
                guard literalCount <= inputCount &- input, literalCount <= outputCount &- output else { return false }
                (target + output).copyMemory(from: source + input, byteCount: literalCount)
                input &+= literalCount
                output &+= literalCount
                // The last sequence ends with its literals.
                if input == inputCount { return output == outputCount }
            }

            guard inputCount &- input >= 2 else { return false }
            let offset = Int(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: input, as: UInt16.self)))
            input &+= 2
            guard offset != 0, offset <= output else { return false }

            var length = token & 15
            if length < 15 && offset >= 8 && outputCount &- output >= 24 {
                // At most 18 bytes, copied as three words that each read bytes already written.
                copyWords(target + output, UnsafeRawPointer(target + output - offset), 3)
                output &+= length &+ minMatch
                continue
            }
            if length == 15 {
                guard let extended = extendLength(15, source, &input, inputCount, limit: outputCount - output)
                else { return false }
                length = extended
            }
            length &+= minMatch
            guard length <= outputCount &- output else { return false }
            copyMatch(target, output, offset, length, outputCount)
            output &+= length
        }
        return false
    }

    /// Copies `count` 8-byte words, one after the other, so that a word may read what the one
    /// before it wrote.
    @inline(__always)
    static func copyWords(_ target: UnsafeMutableRawPointer, _ source: UnsafeRawPointer, _ count: Int) {
        for index in 0..<count {
            let word = source.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
            target.storeBytes(of: word, toByteOffset: index * 8, as: UInt64.self)
        }
    }

    /// Copies the `length` bytes that start `offset` bytes before `position` to `position`, writing
    /// nothing at or after `end`; the regions may overlap (offset < length repeats the last `offset`
    /// bytes).
    @inline(__always)
    static func copyMatch(_ base: UnsafeMutableRawPointer, _ position: Int, _ offset: Int, _ length: Int, _ end: Int) {
        var target = position
        let targetEnd = position + length
        var distance = offset
        if offset < 8 {
            // Write the first bytes one at a time until the pattern repeats with a period of at
            // least 8; the output from then on also repeats with that longer period.
            let period = offset * ((8 + offset - 1) / offset)
            let head = min(period, length)
            for _ in 0..<head {
                base.storeBytes(of: base.load(fromByteOffset: target - offset, as: UInt8.self), toByteOffset: target, as: UInt8.self)
                target += 1
            }
            distance = period
        }
        // Whole words, each reading bytes at least 8 before it, so already written; the last word
        // may run past `targetEnd` when there is room before `end`.
        let wordEnd = end - targetEnd >= 8 ? targetEnd : targetEnd - 7
        while target < wordEnd {
            let word = base.loadUnaligned(fromByteOffset: target - distance, as: UInt64.self)
            base.storeBytes(of: word, toByteOffset: target, as: UInt64.self)
            target += 8
        }
        while target < targetEnd {
            base.storeBytes(of: base.load(fromByteOffset: target - distance, as: UInt8.self), toByteOffset: target, as: UInt8.self)
            target += 1
        }
    }
}
