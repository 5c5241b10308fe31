/// Finds text written in a legacy Vietnamese encoding and converts it to Unicode (NFC), deciding
/// by evidence: how many of the text's words become Vietnamese syllables (``SyllableChecker``)
/// that were not syllables before.
///
/// Three routes are recognized:
/// - TCVN3 or VNI-Windows bytes read as Windows-1252 or Latin-1 (how such text usually reaches
///   JSON): "Céng hßa X· héi chñ nghÜa ViÖt Nam", "Xin chaøo caùc baïn";
/// - the same bytes in a file that is not UTF-8, once read with ``Windows1252/decode(_:)``;
/// - VIQR (RFC 1456): "Vie^.t Nam".
///
/// Ordinary Unicode text is left alone, cheaply: text holding any letter only Vietnamese uses
/// (ă đ ĩ ũ ơ ư, U+1EA0-U+1EF9, combining tone marks) is Unicode Vietnamese and is not examined
/// further, nor is text with no Latin-1 letter and no VIQR modifier after a vowel. Only the rest
/// (foreign text with accents, English with apostrophes) is converted for the test, and kept only
/// when the evidence is strong:
/// - TCVN3 and VNI: at least ``minimumGain`` words that were not syllables become syllables, at
///   most one changed word in five is not a syllable afterwards (or was one before), and at least
///   one word in seven changes (Vietnamese marks most of its syllables; French, German and
///   Spanish few of their words);
/// - VIQR: at least ``minimumVIQRWords`` words that take a mark only VIQR writes (a modifier,
///   the grave, the tilde, dd) become syllables, and at most one such word in four does not.
///   A VIQR word with only `'`, `?` or `.` marks is converted only when every marked letter run
///   becomes a syllable, so "What?", "don't", "e.g." stay as they are; a word with a mark only
///   VIQR writes is converted in a VIQR text even when it is a loan spelling ("Ko^ng", Kông).
///
/// A document's other fields may then be converted with the encoding found in one of them when
/// they do not get worse (no word stops being a syllable, one in five at most fails to become
/// one): see ``convert(_:assuming:)``. Words of one letter ("é") count for nothing either way.
public struct LegacyDetector: Sendable {
    /// Words of a text counted for a decision.
    public struct Evidence: Sendable, Equatable, CustomStringConvertible {
        /// Words looked at.
        public var words = 0
        /// Words the conversion changes.
        public var changed = 0
        /// Changed words that are syllables after and were not before (for VIQR: changed words
        /// with a mark only VIQR writes).
        public var gained = 0
        /// Changed words that are syllables before and after ("thé" in TCVN3 is "thộ").
        public var stayed = 0
        /// Changed words that were syllables before and are not after.
        public var lost = 0
        /// Changed words that are syllables neither before nor after (for VIQR: words with a mark
        /// only VIQR writes that do not become syllables).
        public var failed = 0

        public init() {}

        public var description: String {
            "words \(words), changed \(changed), gained \(gained), stayed \(stayed), lost \(lost), failed \(failed)"
        }
    }

    /// A text converted from a legacy encoding.
    public struct Conversion: Sendable {
        public var encoding: LegacyEncoding
        /// The converted text, NFC.
        public var text: String
        public var evidence: Evidence
    }

    /// Words that must become syllables for TCVN3 or VNI text to be converted on its own evidence.
    public static let minimumGain = 3
    /// VIQR words with strong marks that must become syllables for VIQR text to be converted on
    /// its own evidence.
    public static let minimumVIQRWords = 2

    private let checker: SyllableChecker

    /// Loads the syllable checker's character table (built from ICU once per process).
    public init() throws(ICUError) {
        checker = try SyllableChecker()
    }

    /// `text` converted to Unicode when the evidence says it is in a legacy encoding, else nil.
    ///
    /// - Parameter assuming: an encoding found in another field of the same document: only that
    ///   encoding is tried, and one word of evidence is enough.
    public func convert(_ text: String, assuming: LegacyEncoding? = nil) -> Conversion? {
        let scan = Self.prescan(text)
        guard !scan.vietnamese else { return nil }
        let relaxed = assuming != nil
        var best: Conversion? = nil
        let mojibake: [LegacyEncoding] = assuming.map { $0 == .viqr ? [] : [$0] } ?? [.tcvn3, .vniWindows]
        if scan.latin1 > 0 {
            for encoding in mojibake {
                let candidate = evaluate(text, as: encoding)
                if accepts(candidate, relaxed: relaxed), candidate.evidence.gained >= best?.evidence.gained ?? 0 {
                    best = candidate
                }
            }
        }
        if best == nil, assuming == .viqr || (assuming == nil && scan.viqrStrong >= Self.minimumVIQRWords) {
            let candidate = evaluate(text, as: .viqr)
            if accepts(candidate, relaxed: relaxed) { best = candidate }
        }
        return best
    }

    /// `text` read as `encoding`, and the evidence for it, whatever it says.
    public func evaluate(_ text: String, as encoding: LegacyEncoding) -> Conversion {
        let scalars = Array(text.unicodeScalars)
        var output: [Unicode.Scalar] = []
        output.reserveCapacity(scalars.count)
        var evidence = Evidence()
        switch encoding {
        case .tcvn3, .vniWindows: convertPieces(scalars, encoding, into: &output, &evidence)
        case .viqr: convertWords(scalars, into: &output, &evidence)
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: output)
        return Conversion(encoding: encoding, text: String(view), evidence: evidence)
    }

    private func accepts(_ conversion: Conversion, relaxed: Bool) -> Bool {
        let evidence = conversion.evidence
        switch (conversion.encoding, relaxed) {
        case (.tcvn3, false), (.vniWindows, false):
            return evidence.gained >= Self.minimumGain && (evidence.lost + evidence.failed) * 5 <= evidence.changed
                && evidence.changed * 7 >= evidence.words
        case (.tcvn3, true), (.vniWindows, true):
            // The document's encoding is known: the field must not get worse.
            return evidence.gained + evidence.stayed >= 1 && evidence.lost == 0
                && evidence.failed * 5 <= evidence.changed
        case (.viqr, false):
            return evidence.gained >= Self.minimumVIQRWords && evidence.failed * 4 <= evidence.gained + evidence.failed
        case (.viqr, true):
            return evidence.changed >= 1 && evidence.failed <= evidence.changed
        }
    }

    // MARK: - TCVN3 and VNI-Windows

    /// Whether a scalar can be part of a legacy-encoded word: ASCII letters and U+00A1-U+00FF
    /// (TCVN3 puts letters on ¡ © ® × ÷ and the soft hyphen too).
    @inline(__always)
    private static func isPieceScalar(_ value: UInt32) -> Bool {
        (value >= 0xA1 && value <= 0xFF) || (value < 0x80 && VNIWindows.isASCIILetter(UInt8(value)))
    }

    /// Converts the words of `scalars` (runs of piece scalars; everything else is copied).
    private func convertPieces(
        _ scalars: [Unicode.Scalar], _ encoding: LegacyEncoding, into output: inout [Unicode.Scalar],
        _ evidence: inout Evidence
    ) {
        var i = 0
        while i < scalars.count {
            guard Self.isPieceScalar(scalars[i].value) else {
                output.append(scalars[i])
                i += 1
                continue
            }
            var end = i + 1
            while end < scalars.count && Self.isPieceScalar(scalars[end].value) { end += 1 }
            let piece = scalars[i..<end]
            let start = output.count
            if encoding == .tcvn3 {
                for scalar in piece {
                    output.append(Windows1252.highByte(scalar).flatMap(TCVN3Table.letter) ?? scalar)
                }
            } else {
                VNIWindows.decode(piece, into: &output)
            }
            count(original: piece, converted: output[start...], &evidence)
            i = end
        }
    }

    private func count(
        original: ArraySlice<Unicode.Scalar>, converted: ArraySlice<Unicode.Scalar>, _ evidence: inout Evidence
    ) {
        // A one-letter word ("é", "ù") says nothing either way.
        guard original.count > 1 else { return }
        evidence.words += 1
        guard !original.elementsEqual(converted) else { return }
        evidence.changed += 1
        let before = checker.isValid(Self.string(original))
        let after = checker.isValid(Self.string(converted))
        if after && !before {
            evidence.gained += 1
        } else if before && !after {
            evidence.lost += 1
        } else if before && after {
            evidence.stayed += 1
        } else {
            evidence.failed += 1
        }
    }

    // MARK: - VIQR

    /// Converts the space-separated words of `scalars`: a word whose marked letters all become
    /// syllables, and a word with a mark only VIQR writes (counted as failed when its letters do
    /// not become syllables: "Ko^ng" is "Kông", a loan spelling).
    private func convertWords(
        _ scalars: [Unicode.Scalar], into output: inout [Unicode.Scalar], _ evidence: inout Evidence
    ) {
        // A writer who escapes literal marks ("ddi\\."), and a text of one sentence (a title),
        // are read to the letter; in running text that escapes nothing, a full stop or question
        // mark ending a line is taken to end a sentence ("ddi." is "đi." there, "đị" elsewhere:
        // RFC 1456 asks writers to escape it).
        let strict = scalars.contains("\\") || !Self.hasSentences(scalars)
        var i = 0
        while i < scalars.count {
            guard !Self.isSpace(scalars[i].value) else {
                output.append(scalars[i])
                i += 1
                continue
            }
            var end = i + 1
            while end < scalars.count && !Self.isSpace(scalars[end].value) { end += 1 }
            let word = scalars[i..<end]
            i = end
            evidence.words += 1
            guard !VIQR.isVerbatim(word) else {
                output += word
                continue
            }
            let sentenceEnds = !strict && Self.sentenceEnds(after: end, in: scalars)
            if let reading = readVIQR(word, sentenceEnds: sentenceEnds) {
                output += reading.scalars
                evidence.changed += 1
                if reading.strong { evidence.gained += 1 }
                continue
            }
            let full = VIQR.read(word, lastLiteral: false)
            if full.strong {
                evidence.failed += 1
                evidence.changed += 1
            }
            output += full.strong || (full.marks == 0 && full.escapes > 0) ? full.scalars[...] : word
        }
    }

    /// The reading of a VIQR word when it has marks and all its marked runs are syllables.
    private func readVIQR(_ word: ArraySlice<Unicode.Scalar>, sentenceEnds: Bool) -> VIQR.Reading? {
        let full = VIQR.read(word, lastLiteral: false)
        guard full.marks > 0 else { return nil }
        var readings = [full]
        if full.lastIsMark {
            let literal = VIQR.read(word, lastLiteral: true)
            let last = word.last?.value ?? 0
            if sentenceEnds && (last == 0x2E || last == 0x3F) {
                readings.insert(literal, at: 0)
            } else {
                readings.append(literal)
            }
        }
        for reading in readings {
            // The sentence-ending reading with no mark left: the word stays as it is.
            if reading.markedRuns.isEmpty { return nil }
            if reading.markedRuns.allSatisfy({ checker.isValid(Self.string(reading.scalars[$0])) }) { return reading }
        }
        return nil
    }

    /// Whether the text has a full stop followed by a space: running text, not a title.
    private static func hasSentences(_ scalars: [Unicode.Scalar]) -> Bool {
        zip(scalars, scalars.dropFirst()).contains { $0 == "." && $1 == " " }
    }

    /// Whether the text after index `end` ends a line: only spaces, then a line break or the end.
    private static func sentenceEnds(after end: Int, in scalars: [Unicode.Scalar]) -> Bool {
        var i = end
        while i < scalars.count && isSpace(scalars[i].value) {
            if scalars[i].value == 0x0A || scalars[i].value == 0x0D { return true }
            i += 1
        }
        return i == scalars.count
    }

    @inline(__always)
    private static func isSpace(_ value: UInt32) -> Bool {
        value == 0x20 || (value >= 0x09 && value <= 0x0D) || value == 0xA0 || value == 0x3000
            || (value >= 0x2000 && value <= 0x200B)
    }

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
