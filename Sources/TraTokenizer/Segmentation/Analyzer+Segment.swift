extension AnalyzerCore {
    /// Punctuation that UAX #29 keeps inside a word (MidLetter, MidNum, MidNumLet, Single_Quote,
    /// ExtendNumLet, and "@" which ICU joins letters across) and at which the analyzer splits segments that contain letters.
    @inline(__always)
    static func isInnerPunctuation(_ scalar: UInt32) -> Bool {
        // Most scalars are letters: answer those without the switch.
        if scalar >= 0x61 && scalar <= 0x7A || scalar >= 0xC0 && scalar < 0x2018 { return false }
        switch scalar {
        case 0x27, 0x2C, 0x2E, 0x3A, 0x3B, 0x40, 0x5F, 0xB7, 0x2018, 0x2019, 0x2024, 0x2027, 0x202F, 0x203F, 0x2040,
            0x2054, 0xFE13, 0xFE33, 0xFE34, 0xFE4D, 0xFE4E, 0xFE4F, 0xFE50, 0xFE52, 0xFE54, 0xFE55, 0xFF07, 0xFF0C,
            0xFF0E, 0xFF1A, 0xFF1B, 0xFF20, 0xFF3F:
            return true
        default:
            return false
        }
    }

    /// Turns the current word segment into tokens and clears it.
    ///
    /// A segment made only of ASCII digits and inner punctuation other than "@" is a number and
    /// stays whole; any other segment is split at inner punctuation, and pieces without a letter or
    /// digit are dropped.
    mutating func emitSegment() {
        // (A segment that went past ``segmentLimit`` has its own way, out of the hot path.)
        if pastLimit { return emitPastLimit() }
        emitPieces(split: false)
        segment.removeAll()
    }

    /// ``emitSegment()`` for a segment that went past ``segmentLimit``.
    @inline(never)
    private mutating func emitPastLimit() {
        defer { clearSegment() }
        let count = segment.count
        guard count > 0 else { return }
        if let end = overlongEnd {
            // The long piece ends with the segment: its last stored scalar ends where it does
            // (``appendPastLimit(_:start:end:)``). A piece that was not a number (nor is a piece
            // of a split segment) splits the segment.
            let last = segment[count - 1]
            segment[count - 1] = SegmentChar(scalar: last.scalar, start: last.start, end: end)
            return emitPieces(split: !overlongIsNumber)
        }
        emitPieces(split: segmentIsSplit)
    }

    /// The tokens of the current segment; `split` when pieces of it were given ahead (then it is
    /// not a number).
    @inline(__always)
    private mutating func emitPieces(split: Bool) {
        let chars = segment.elements
        let count = chars.count
        guard count > 0 else { return }
        var hasInner = false
        var isNumber = !split
        var hasDigit = false
        for char in chars {
            let scalar = char.scalar
            if scalar >= 0x30 && scalar <= 0x39 {
                hasDigit = true
            } else if Self.isInnerPunctuation(scalar) {
                hasInner = true
                if scalar == 0x40 || scalar == 0xFF20 { isNumber = false }
            } else {
                isNumber = false
            }
        }
        if !hasInner {
            emitToken(chars)
        } else if isNumber {
            if hasDigit { emitToken(chars) }
        } else {
            var pieceStart = 0
            for index in 0...count where index == count || Self.isInnerPunctuation(chars[index].scalar) {
                if index > pieceStart {
                    emitToken(UnsafeBufferPointer(rebasing: chars[pieceStart..<index]))
                }
                pieceStart = index + 1
            }
        }
    }

    /// Empties the current segment.
    mutating func clearSegment() {
        segment.removeAll()
        pastLimit = false
        overlongEnd = nil
        overlongIsNumber = false
        segmentIsSplit = false
        refusingSegment = false
        // Back to the room of the limit, which the next segment fills before it is looked at.
        segment.shrink(to: Self.segmentLimit)
    }

    /// Appends one token made of `chars`, unless it holds only combining marks.
    @inline(__always)
    private mutating func emitToken(_ chars: UnsafeBufferPointer<SegmentChar>) {
        guard let first = chars.first, let last = chars.last else { return }
        if table.info(first.scalar).charClass == .mark {
            guard chars.contains(where: { table.info($0.scalar).charClass != .mark }) else { return }
        }
        let keyStart = keyBytes.count
        let keyEnd = keyCache.build(chars, into: &keyBytes, with: &keys)
        spans.append(
            TokenSpan(
                start: first.start, end: last.end, position: nextPosition, keyStart: keyBase + keyStart,
                keyEnd: keyBase + keyEnd, foldedEnd: keyBase + keyBytes.count))
        nextPosition += 1
    }

    @inline(__always)
    mutating func appendToSegment(_ scalar: UInt32, start: Int, end: Int) {
        // Only a full segment is looked at: its room doubles from 64 scalars, so it is first full
        // past the limit at the limit, then each time it has doubled.
        if !segment.append(SegmentChar(scalar: scalar, start: start, end: end), unlessFullFrom: Self.segmentLimit) {
            appendPastLimit(scalar, start: start, end: end)
        }
    }

    /// The scalars a segment holds before ``appendPastLimit(_:start:end:)`` keeps it from growing
    /// with its text: a segment costs 24 bytes a scalar, and a run of 20 MB of letters without a
    /// break (a blob) took 830 MB to analyze.
    static let segmentLimit = 4_096

    /// Appends a scalar to a segment of ``segmentLimit`` scalars or more, without letting it grow
    /// where the tokens it will give are known:
    /// - a segment that will be split at inner punctuation (it has some, and is not a number)
    ///   gives its pieces before the last inner punctuation now, the way ``emitSegment()`` would,
    ///   and keeps the rest;
    /// - when the segment's last piece (what follows its last inner punctuation, or all of it)
    ///   holds more than `SegmentWriter.maximumKeyLength` (120) scalars that are not combining
    ///   marks (each gives a byte or more to both keys), every token it can end up in, the piece
    ///   or the whole segment, has keys longer than any index key: the segment stops storing
    ///   scalars (``overlongEnd``) until inner punctuation ends the piece, whose last stored
    ///   scalar then ends where the piece does. A piece of letters then gives the segment's
    ///   pieces and goes on as a split segment; a piece of ASCII digits in a segment that is a
    ///   number so far (a run of digits, "3.14159..." of many digits) keeps the punctuation and
    ///   goes on storing, since what follows may keep the number whole. No index holds the keys
    ///   of the stored scalars instead of the piece's, so indexes do not change.
    /// Any other segment (a number so far of shorter pieces, which what follows may keep whole or
    /// split; or mostly combining marks) grows as before, looked at again when it has doubled (so
    /// that the scans take time linear in the segment). Called when the segment is full
    /// (``appendToSegment(_:start:end:)``), and for every scalar while it stores none.
    ///
    /// A segment that would grow past ``segmentScalarLimit`` is refused instead
    /// (``appendOrRefuse(_:)``).
    @inline(never)
    mutating func appendPastLimit(_ scalar: UInt32, start: Int, end: Int) {
        pastLimit = true
        if refusingSegment { return }
        if let overlong = overlongEnd {
            guard Self.isInnerPunctuation(scalar) else {
                overlongEnd = end
                if scalar < 0x30 || scalar > 0x39 { overlongIsNumber = false }
                return
            }
            // The long piece ends here, where its last stored scalar now ends.
            let last = segment[segment.count - 1]
            segment[segment.count - 1] = SegmentChar(scalar: last.scalar, start: last.start, end: overlong)
            overlongEnd = nil
            if overlongIsNumber && scalar != 0x40 && scalar != 0xFF20 {
                // Still a number, which what follows may keep whole.
                appendOrRefuse(SegmentChar(scalar: scalar, start: start, end: end))
                return
            }
            // Not a number: its pieces are given, and those after this punctuation gathered as
            // the pieces of a split segment.
            emitPieces(split: true)
            segment.removeAll()
            segmentIsSplit = true
            return
        }
        let chars = segment.elements
        var lastInner: Int? = nil
        var isNumber = !segmentIsSplit
        // Of the last piece.
        var nonMarks = 0
        for (index, char) in chars.enumerated() {
            let value = char.scalar
            if Self.isInnerPunctuation(value) {
                lastInner = index
                nonMarks = 0
                if value == 0x40 || value == 0xFF20 { isNumber = false }
                continue
            }
            if value < 0x30 || value > 0x39 { isNumber = false }
            if table.info(value).charClass != .mark { nonMarks += 1 }
        }
        if let lastInner, !isNumber {
            var pieceStart = 0
            for index in 0...lastInner where Self.isInnerPunctuation(chars[index].scalar) {
                if index > pieceStart { emitToken(UnsafeBufferPointer(rebasing: chars[pieceStart..<index])) }
                pieceStart = index + 1
            }
            segment.removeFirst(lastInner + 1)
            segmentIsSplit = true
        } else if nonMarks > Self.indexedKeyBytes {
            // From here on, the stored scalars stand for the piece (this one may end it).
            overlongEnd = chars[chars.count - 1].end
            overlongIsNumber = isNumber
            return appendPastLimit(scalar, start: start, end: end)
        }
        appendOrRefuse(SegmentChar(scalar: scalar, start: start, end: end))
    }

    /// Appends `char` to a segment past ``segmentLimit``, unless it holds ``segmentScalarLimit``
    /// scalars already: then the segment is refused (``refusingSegment``, ``oversizedWord``).
    @inline(__always)
    private mutating func appendOrRefuse(_ char: SegmentChar) {
        guard segment.count < segmentScalarLimit else {
            refusingSegment = true
            if oversizedWord == nil { oversizedWord = segment[0].start..<char.end }
            return
        }
        segment.append(char)
    }

    /// The longest key an index stores (`SegmentWriter.maximumKeyLength`, which this module does
    /// not see).
    static let indexedKeyBytes = 120
}
