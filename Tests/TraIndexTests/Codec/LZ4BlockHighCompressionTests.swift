import Testing
import TraIndex
import TraTestSupport

/// The compression levels: their blocks must decode with the one decompressor and obey the
/// format's end-of-block rules; on text, `.medium`'s must be smaller than `.fast`'s and `.high`'s
/// smaller still. The round-trip tests run at every level; LZ4BlockTests keeps the layout example
/// and the decoder's own cases.
@Suite("LZ4Block compression levels")
struct LZ4BlockHighCompressionTests {
    /// Compresses an exactly sized copy of `bytes` (so that an address sanitizer run flags any read
    /// past its end), checking the size bound and the end-of-block rules.
    static func compress(
        _ bytes: [UInt8], level: LZ4Block.Level = .high, sourceLocation: SourceLocation = #_sourceLocation
    ) -> [UInt8] {
        var compressed: [UInt8] = []
        withExactBuffer(bytes) { LZ4Block.compress($0, level: level, into: &compressed) }
        #expect(compressed.count <= LZ4Block.maxCompressedSize(bytes.count), sourceLocation: sourceLocation)
        #expect(followsBlockRules(compressed, size: bytes.count), sourceLocation: sourceLocation)
        return compressed
    }

    /// Decompresses from an exactly sized copy of `compressed`; nil when the block is refused.
    static func decompress(_ compressed: [UInt8], size: Int) -> [UInt8]? {
        var output: [UInt8] = []
        let ok = withExactBuffer(compressed) { LZ4Block.decompress($0, decompressedSize: size, into: &output) }
        #expect(ok ? output.count == size : output.isEmpty)
        return ok ? output : nil
    }

    static func expectRoundTrip(
        _ bytes: [UInt8], level: LZ4Block.Level = .high, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let compressed = compress(bytes, level: level, sourceLocation: sourceLocation)
        #expect(decompress(compressed, size: bytes.count) == bytes, sourceLocation: sourceLocation)
    }

    /// Whether `block` is a well-formed encoding of `size` bytes by the rules of the LZ4 block format
    /// (lz4_Block_format.md), checked independently of the decoder: every match is at least 4 bytes
    /// long, reaches back 1...65535 bytes but not before the block, starts at least 12 bytes before
    /// the end and ends at least 5 bytes before it; the block ends with a literal-only sequence.
    static func followsBlockRules(_ block: [UInt8], size: Int) -> Bool {
        var input = 0
        var output = 0
        /// A length nibble of 15 continues in the following bytes.
        func length(_ nibble: Int) -> Int? {
            var total = nibble
            guard nibble == 15 else { return total }
            while input < block.count {
                let byte = Int(block[input])
                input += 1
                total += byte
                if byte != 255 { return total }
            }
            return nil
        }
        while input < block.count {
            let token = Int(block[input])
            input += 1
            guard let literals = length(token >> 4), literals <= block.count - input else { return false }
            input += literals
            output += literals
            if input == block.count { return output == size }
            guard block.count - input >= 2 else { return false }
            let offset = Int(block[input]) | Int(block[input + 1]) << 8
            input += 2
            guard let code = length(token & 15) else { return false }
            let matchLength = code + 4
            guard offset >= 1, offset <= output, output <= size - 12, output + matchLength <= size - 5 else {
                return false
            }
            output += matchLength
        }
        return false
    }

    /// Bodies of the first `count` articles of the bundled Wikipedia sample.
    static func corpusBodies(_ count: Int) throws -> [[UInt8]] {
        let url = TestData.corpus.appendingPathComponent("viwiki-sample.jsonl")
        return try TestData.jsonlStrings(url, fields: ["body"]).prefix(count).map { Array($0.utf8) }
    }

    @Test("empty input and a single byte encode as one literal run, as at the fast level")
    func tiny() {
        #expect(Self.compress([]) == [0x00])
        #expect(Self.compress([0x41]) == [0x10, 0x41])
        Self.expectRoundTrip([0x41])
        // Up to 12 bytes there is no room for a match.
        let twelve = [UInt8](repeating: 0x61, count: 12)
        #expect(Self.compress(twelve) == [0xC0] + twelve)
    }

    @Test("the fast level is compress(_:into:)")
    func fastLevel() throws {
        let text = Array(try Self.corpusBodies(20).joined())
        var plain: [UInt8] = []
        text.withUnsafeBytes { LZ4Block.compress($0, into: &plain) }
        #expect(Self.compress(text, level: .fast) == plain)
    }

    @Test("every size up to 300, random and repetitive", arguments: LZ4Block.Level.allCases)
    func smallSizes(level: LZ4Block.Level) {
        var random = CodecRandom(seed: 21)
        for size in 0...300 {
            Self.expectRoundTrip(random.bytes(size), level: level)
            Self.expectRoundTrip([UInt8](repeating: 0x61, count: size), level: level)
            Self.expectRoundTrip((0..<size).map { UInt8(truncatingIfNeeded: $0 % 7) }, level: level)
            Self.expectRoundTrip((0..<size).map { UInt8(truncatingIfNeeded: ($0 * $0) % 5 + 0x30) }, level: level)
            Self.expectRoundTrip(
                Array(String(repeating: "Hà Nội ", count: size / 9 + 1).utf8.prefix(size)), level: level)
        }
    }

    @Test("long runs and repeated phrases compress to almost nothing", arguments: LZ4Block.Level.allCases)
    func repetitive(level: LZ4Block.Level) {
        let run = [UInt8](repeating: 0x61, count: 100_000)
        #expect(Self.compress(run, level: level).count < 500)
        Self.expectRoundTrip(run, level: level)
        let phrase = Array(String(repeating: "Hà Nội mùa thu, cây cơm nguội vàng. ", count: 3_000).utf8)
        #expect(Self.compress(phrase, level: level).count < phrase.count / 50)
        Self.expectRoundTrip(phrase, level: level)
        // Runs of every length around the token's nibble and extension-byte limits, between literals.
        var random = CodecRandom(seed: 22)
        var runs: [UInt8] = []
        for length in [1, 2, 3, 4, 5, 14, 15, 16, 18, 19, 20, 254, 255, 256, 270, 274, 275, 529, 530, 1_000] {
            runs += random.bytes(7) + [UInt8](repeating: UInt8(truncatingIfNeeded: length), count: length)
        }
        Self.expectRoundTrip(runs, level: level)
    }

    @Test("random input barely grows", arguments: LZ4Block.Level.allCases)
    func incompressible(level: LZ4Block.Level) {
        var random = CodecRandom(seed: 23)
        let bytes = random.bytes(200_000)
        let compressed = Self.compress(bytes, level: level)
        #expect(compressed.count >= bytes.count)
        #expect(Self.decompress(compressed, size: bytes.count) == bytes)
    }

    @Test("inputs over 64 KB: repeats beyond, at and within the window's edge", arguments: LZ4Block.Level.allCases)
    func longInputs(level: LZ4Block.Level) {
        var random = CodecRandom(seed: 24)
        let chunk = random.bytes(70_000)
        Self.expectRoundTrip(chunk + chunk, level: level)  // too far apart to match
        let near = random.bytes(65_535)
        let edge = near + near + random.bytes(3) + near  // exactly at the window's edge
        Self.expectRoundTrip(edge, level: level)
        #expect(Self.compress(edge, level: level).count < edge.count * 3 / 4)
        let within = random.bytes(65_000)
        Self.expectRoundTrip(within + within + within, level: level)
        Self.expectRoundTrip([UInt8](repeating: 0x20, count: 300_000), level: level)
    }

    @Test(
        "randomized mixtures of literals, runs and back-references of every distance",
        arguments: LZ4Block.Level.allCases)
    func mixtures(level: LZ4Block.Level) {
        var random = CodecRandom(seed: 25)
        for round in 0..<400 {
            let target = round < 300 ? Int.random(in: 0...2_000, using: &random) : 70_000
            var bytes: [UInt8] = []
            while bytes.count < target {
                switch Int.random(in: 0..<10, using: &random) {
                case 0..<4 where bytes.count > 8:
                    // A copy of earlier bytes, possibly overlapping its own end.
                    let distance = Int.random(in: 1...min(bytes.count, 70_000), using: &random)
                    let length = Int.random(in: 1...40, using: &random)
                    for _ in 0..<length { bytes.append(bytes[bytes.count - distance]) }
                case 4:
                    let length = Int.random(in: 1...300, using: &random)
                    bytes += [UInt8](repeating: UInt8.random(in: 0...3, using: &random), count: length)
                case 5..<7:
                    // A small alphabet, so that short matches abound.
                    let length = Int.random(in: 1...20, using: &random)
                    for _ in 0..<length { bytes.append(UInt8.random(in: 0x61...0x64, using: &random)) }
                default:
                    bytes += random.bytes(Int.random(in: 1...12, using: &random))
                }
            }
            Self.expectRoundTrip(bytes, level: level)
        }
    }

    @Test(
        "short texts over small alphabets: overlapping matches up to the end of the block",
        arguments: LZ4Block.Level.allCases)
    func endOfBlock(level: LZ4Block.Level) {
        var random = CodecRandom(seed: 26)
        for _ in 0..<3_000 {
            let size = Int.random(in: 13...120, using: &random)
            let letters = UInt8.random(in: 2...4, using: &random)
            var bytes = (0..<size).map { _ in 0x61 + UInt8.random(in: 0..<letters, using: &random) }
            // Half of them end with a copy of earlier text, so that matches reach the end.
            if Bool.random(using: &random) {
                let length = Int.random(in: 4...size / 2, using: &random)
                let from = Int.random(in: 0...(size - 2 * length), using: &random)
                bytes.replaceSubrange((size - length)..<size, with: bytes[from..<(from + length)])
            }
            Self.expectRoundTrip(bytes, level: level)
        }
    }

    @Test("compression appends after existing output")
    func appends() {
        let text = Array(String(repeating: "mùa thu ", count: 50).utf8)
        var output: [UInt8] = [9, 9]
        text.withUnsafeBytes { LZ4Block.compress($0, level: .high, into: &output) }
        #expect(output.prefix(2) == [9, 9])
        #expect(Self.decompress(Array(output.dropFirst(2)), size: text.count) == text)
    }

    @Test("Vietnamese Wikipedia bodies: one by one, as one long input, and in 64 KiB blocks")
    func vietnameseText() throws {
        let bodies = try Self.corpusBodies(300)
        #expect(bodies.count == 300)
        for body in bodies.prefix(100) { Self.expectRoundTrip(body) }
        let all = Array(bodies.joined())
        Self.expectRoundTrip(all)
        var fastTotal = 0
        var mediumTotal = 0
        var highTotal = 0
        for start in stride(from: 0, to: all.count, by: 65_536) {
            let block = Array(all[start..<min(start + 65_536, all.count)])
            let fast = Self.compress(block, level: .fast)
            let medium = Self.compress(block, level: .medium)
            let high = Self.compress(block)
            fastTotal += fast.count
            mediumTotal += medium.count
            highTotal += high.count
            #expect(Self.decompress(medium, size: block.count) == block)
            #expect(Self.decompress(high, size: block.count) == block)
        }
        // Not a benchmark (see LZ4BlockBenchmarkTests); loose bounds that catch a matcher that
        // stopped looking ahead or stopped matching.
        #expect(highTotal < mediumTotal && mediumTotal < fastTotal)
        #expect(Double(mediumTotal) < 0.9 * Double(fastTotal))
        #expect(Double(highTotal) < 0.9 * Double(fastTotal))
        #expect(Double(highTotal) < 0.5 * Double(all.count))
    }

    @Test("a workspace kept from block to block gives the bytes fresh tables give")
    func workspaceIsReset() throws {
        let all = Array(try Self.corpusBodies(60).joined())
        var generator = SystemRandomNumberGenerator()
        var inputs: [[UInt8]] = []
        for start in stride(from: 0, to: min(all.count, 4 * 65_536), by: 65_536) {
            let block = Array(all[start..<min(start + 65_536, all.count)])
            // The same block twice: a table left from the first would offer its positions.
            inputs += [block, block, Array(block.prefix(300)), Array(block.prefix(5_000))]
        }
        inputs.append((0..<40_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        inputs.append(Array(all.prefix(65_536)))
        let workspace = LZ4Block.Workspace()
        for input in inputs {
            var kept: [UInt8] = []
            withExactBuffer(input) { LZ4Block.compress($0, level: .medium, into: &kept, workspace: workspace) }
            #expect(kept == Self.compress(input, level: .medium))
            #expect(Self.decompress(kept, size: input.count) == input)
        }
    }
}
