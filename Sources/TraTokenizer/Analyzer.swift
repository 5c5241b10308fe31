/// The Vietnamese analyzer: turns text into syllable tokens with two search keys each.
///
/// For every syllable (or other word: numbers, foreign words, words of other scripts) it yields the
/// position, the UTF-8 byte range in the original text, the canonical accented key and the folded
/// key. The steps, in order:
///
/// 1. Clean-up: zero-width characters (U+200B-U+200D, U+2060, U+FEFF, soft hyphen) are removed;
///    every White_Space character (NBSP, CR, LF, tabs, U+3000, ...) reads as a space.
/// 2. Segmentation by the Unicode word-break rules (UAX #29, as ICU implements them); only
///    segments that ICU tags as words (letters, numbers, kana, ideographs) become tokens, so
///    punctuation, symbols and emoji never do. A segment with letters is then split at the
///    punctuation UAX #29 keeps inside words (`.` `:` `,` `;` `'` `’` `_`), so "Nam's" gives "nam"
///    and "s", "vi.wikipedia.org" gives "vi", "wikipedia", "org", "Việt_Nam" gives "việt", "nam";
///    a number keeps it: "1.000.000", "3,14" and "2.5" are one token each. An e-mail address
///    splits at "@" and at its dots.
/// 3. Keys (``KeyBuilder``): NFC, lower case, Ð/ð read as Đ/đ, doubled marks merged, the tone of a
///    Vietnamese syllable moved to its canonical vowel (``ToneRule``: "hoà" and "hòa" both give
///    "hòa"); the folded key drops letter modifiers and tones and writes đ as d ("đường" gives
///    "duong").
///
/// Latin and Vietnamese text takes a table-driven path that never calls ICU; any space-delimited
/// chunk with something the tables do not model (another script, an emoji, "_", a stray combining
/// mark) is segmented by ICU itself. A differential test checks over whole corpora that both paths
/// give the same tokens.
///
/// Memory follows the tokens, not the length of a word: a run of more than 4,096 scalars with no
/// break (a blob) is one token keyed by its first 4,096 (``AnalyzerCore/appendPastLimit(_:start:end:)``);
/// its keys are longer than any key an index stores either way. Two things still grow with the
/// text, and callers that take untrusted text bound them (``icuRunLimit``, ``wordLimit``): a
/// chunk without white space that goes to ICU, and a word that may still be one token or many.
///
/// An analyzer is not thread-safe (it owns an ICU break iterator and scratch buffers): use one per
/// thread.
///
/// ```swift
/// let analyzer = try Analyzer()
/// for token in try analyzer.tokens("Thuỷ điện Hoà Bình") { print(token.key, token.folded) }
/// // thủy thuy / điện dien / hòa hoa / bình binh
/// ```
public final class Analyzer {
    /// The analyzer's name, recorded by indexes.
    public static let name = "tra-vi"
    /// The analyzer's version, recorded by indexes: any change to the tokens or keys it yields for
    /// some input bumps it. Version 2: ậ, ặ, ệ and ộ are parsed like the other vowels, so a doubled
    /// tone next to them is repaired ("Vịệt" gives `việt`, was `vịệt`). Cutting the keys of a run
    /// of more than 4,096 scalars to those of its start changed no key an index stores (only keys
    /// of more than 120 bytes), so it kept version 2.
    public static let version = 2

    /// The mutable state of the analysis, kept in a struct so that the hot loops touch it without
    /// the dynamic exclusivity checks that class properties need.
    var core: AnalyzerCore

    /// Bytes of input the fast path handed to ICU since the analyzer was made (a health figure:
    /// for Vietnamese text it should be a small fraction of the input).
    package var bytesSegmentedByICU: Int { core.bytesSegmentedByICU }

    public init() throws(ICUError) {
        core = try AnalyzerCore()
    }

    /// The tokens of `text`.
    public func tokens(_ text: String) throws(ICUError) -> [Token] {
        var text = text
        var buffer = TokenBuffer()
        let utf8 = text.withUTF8 { Array($0) }
        try utf8.withUnsafeBufferPointer { (bytes) throws(ICUError) in try analyze(bytes, into: &buffer) }
        return buffer.spans.map { span in
            Token(
                text: String(decoding: utf8[span.start..<span.end], as: UTF8.self),
                start: span.start, end: span.end, position: span.position,
                key: String(decoding: buffer.key(of: span), as: UTF8.self),
                folded: String(decoding: buffer.folded(of: span), as: UTF8.self))
        }
    }

    /// Appends the tokens of the UTF-8 `text` to `buffer`, with positions starting at 0.
    ///
    /// Ill-formed UTF-8 is read as U+FFFD, one byte at a time; it never stops the analysis.
    ///
    /// - Complexity: O(n) in the length of `text`.
    public func analyze(_ text: UnsafeBufferPointer<UInt8>, into buffer: inout TokenBuffer) throws(ICUError) {
        core.begin(after: buffer)
        defer { core.finish(into: &buffer) }
        try core.analyzeFast(text)
    }

    /// Analyzes the UTF-8 `text` (positions from 0) and calls `body` with its tokens and the bytes
    /// of their keys, the spans' key offsets counted from the first of those bytes: what
    /// ``analyze(_:into:)`` appends to an empty buffer, read where the analyzer made it instead of
    /// copied (an indexing thread copied some 50 bytes a token). The pointers are valid during
    /// `body` only, and `body` must not use this analyzer.
    ///
    /// - Complexity: O(n) in the length of `text`, plus `body`.
    public func withTokens<Result>(
        of text: UnsafeBufferPointer<UInt8>,
        _ body: (_ spans: UnsafeBufferPointer<TokenSpan>, _ keyBytes: UnsafeBufferPointer<UInt8>) -> Result
    ) throws(ICUError) -> Result {
        core.begin(keyBase: 0)
        try core.analyzeFast(text)
        return body(core.spans.elements, core.keyBytes.elements)
    }

    /// The longest chunk of text without white space (in bytes) that ICU segments: ICU takes some
    /// 20 to 30 times the size of a chunk to segment it (its UTF-16 copy, the maps back to the
    /// bytes, the break engine's work arrays), so a chunk of a gigabyte of Thai or Chinese
    /// without a space would take tens of gigabytes. A longer chunk that needs ICU (another
    /// script, an emoji, "_") gives no tokens, and ``oversizedRun`` says where it is, for the
    /// caller to refuse the text. No limit by default.
    package var icuRunLimit: Int {
        get { core.icuRunLimit }
        set { core.icuRunLimit = max(newValue, 0) }
    }

    /// The first chunk of the last analysis that was longer than ``icuRunLimit`` and needed ICU
    /// (byte offsets in its text), nil when there was none.
    package var oversizedRun: Range<Int>? { core.oversizedRun }

    /// The most scalars the analyzer keeps of one word while it may still be one token or many: a
    /// number of many parts ("1.2.3..." stays one token unless a letter follows in the same word,
    /// which splits it at its dots) or a letter under a run of combining marks. Such a word is
    /// kept whole until it ends, at 24 bytes a scalar; a longer one is refused: its scalars past
    /// the limit are not kept, its tokens mean nothing, and ``oversizedWord`` says where it is,
    /// for the caller to refuse the text. (Runs of letters or digits are kept to their first
    /// 4,096 scalars whatever their length, and are never refused.) Rounded up to a power of two
    /// of at least 4,096 (a segment is looked at when its room doubles); no limit by default.
    package var wordLimit: Int {
        get { core.segmentScalarLimit }
        set {
            let limit = max(newValue, Self.minimumWordLimit)
            core.segmentScalarLimit =
                limit > Int.max >> 1 ? Int.max : 1 << (Int.bitWidth - (limit - 1).leadingZeroBitCount)
        }
    }

    /// The smallest ``wordLimit``: the scalars a segment holds before it is looked at.
    package static let minimumWordLimit = AnalyzerCore.segmentLimit

    /// Where the first word of the last analysis longer than ``wordLimit`` starts, to where it was
    /// refused (byte offsets in its text); nil when there was none.
    package var oversizedWord: Range<Int>? { core.oversizedWord }

    /// The reference analysis: the same as ``analyze(_:into:)`` but with the whole text segmented by
    /// ICU. Exists to prove the fast path equal to ICU (differential tests and benchmarks).
    @_spi(Reference) public func analyzeWithICU(_ text: UnsafeBufferPointer<UInt8>, into buffer: inout TokenBuffer)
        throws(ICUError)
    {
        core.begin(after: buffer)
        defer { core.finish(into: &buffer) }
        try core.segmentWithICU(text, 0..<text.count)
    }
}

/// The analyzer's state: tables, the ICU break iterator, the key builder and scratch buffers.
struct AnalyzerCore {
    let table: CharTable
    let breaker: WordBreaker
    var keys: KeyBuilder
    /// The keys of recent short tokens (``KeyCache``).
    var keyCache = KeyCache()
    /// The current word segment: cleaned scalars and the byte range of each in the input.
    var segment = ScratchBuffer<SegmentChar>()
    /// Whether the current segment went past ``segmentLimit`` (``appendPastLimit(_:start:end:)``).
    var pastLimit = false
    /// Where the current segment ends when it outgrew ``segmentLimit`` as one token (its scalars
    /// past the limit are not stored; ``appendPastLimit(_:start:end:)``).
    var overlongEnd: Int? = nil
    /// Whether the scalars not stored since ``overlongEnd`` was set are all ASCII digits, in a
    /// segment that is a number so far: it may still be one.
    var overlongIsNumber = false
    /// Whether pieces of the current segment were given ahead (``appendPastLimit(_:start:end:)``):
    /// it is split at inner punctuation.
    var segmentIsSplit = false
    /// Scratch for chunks that go through ICU.
    var chunk = ICUChunk()
    /// The longest chunk the fast path hands to ICU (``Analyzer/icuRunLimit``).
    var icuRunLimit = Int.max
    /// The first chunk of the analysis that was not handed to ICU for its length.
    var oversizedRun: Range<Int>? = nil
    /// The most scalars the current segment holds while it may still be one token or many
    /// (``Analyzer/wordLimit``).
    var segmentScalarLimit = Int.max
    /// The first segment of the analysis refused for its length (``Analyzer/oversizedWord``).
    var oversizedWord: Range<Int>? = nil
    /// The current segment went past ``segmentScalarLimit``: it stores no more scalars.
    var refusingSegment = false
    /// The position the next token gets.
    var nextPosition = 0
    var bytesSegmentedByICU = 0
    /// The tokens of the analysis under way, appended to the caller's ``TokenBuffer`` at its end
    /// (``finish(into:)``): appending to the buffer's arrays token by token checked their
    /// uniqueness and room every time, and a key from ``KeyCache`` went through a copy call.
    var spans = ScratchBuffer<TokenSpan>(capacity: 256)
    var keyBytes = ScratchBuffer<UInt8>(capacity: 4096)
    /// How many key bytes the caller's buffer held when the analysis began: where ``keyBytes``
    /// will start in it, which the spans' key offsets count from.
    var keyBase = 0

    init() throws(ICUError) {
        table = try CharTable.shared()
        breaker = try WordBreaker()
        keys = KeyBuilder(table: table)
    }

    /// Starts an analysis whose tokens go after those of `buffer`, positions from 0.
    mutating func begin(after buffer: TokenBuffer) {
        begin(keyBase: buffer.keyBytes.count)
    }

    /// Starts an analysis whose spans count key offsets from `keyBase`, positions from 0.
    mutating func begin(keyBase: Int) {
        nextPosition = 0
        oversizedRun = nil
        oversizedWord = nil
        clearSegment()
        spans.removeAll()
        keyBytes.removeAll()
        self.keyBase = keyBase
    }

    /// Appends the tokens of the analysis to `buffer`.
    mutating func finish(into buffer: inout TokenBuffer) {
        buffer.append(spans: spans.elements, keyBytes: keyBytes.elements)
        spans.removeAll()
        keyBytes.removeAll()
    }
}

/// One scalar of a word segment: its value after clean-up and its byte range in the input.
struct SegmentChar: BitwiseCopyable {
    var scalar: UInt32
    var start: Int
    var end: Int
}
