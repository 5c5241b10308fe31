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
        let chars = segment.elements
        let count = chars.count
        guard count > 0 else { return }
        var hasInner = false
        var isNumber = true
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
        segment.removeAll()
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
        segment.append(SegmentChar(scalar: scalar, start: start, end: end))
    }
}
