/// How far apart the marks of two Vietnamese keys are, for typo tolerance: a wrong tone or a wrong
/// letter modifier is a smaller mistake than a wrong letter (VIETNAMESE.md: generic edit distance
/// turns "chó" into "cho", "chò" and "khó" alike).
///
/// Costs, per difference:
/// - a different tone (both keys have one, "chó" / "chò"): ``toneSubstitution``, 0.25;
/// - a tone on one key only ("chó" / "cho"): ``toneInsertion``, 0.5;
/// - a letter modifier (circumflex, breve, horn, the bar of đ) on one key only or a different one
///   ("cho" / "chô", "dương" / "đương"): ``modifier``, 0.5 each.
///
/// Keys with the same base letters are compared letter by letter; keys with different base letters
/// (one letter edited: "chó" / "khó") compare the modifiers they hold as multisets.
package struct MarkDistance: Sendable {
    package static let toneSubstitution = 0.25
    package static let toneInsertion = 0.5
    package static let modifier = 0.5

    /// The marks of one key: its tone and the modifier of each letter.
    package struct Marks: Sendable, Equatable {
        package var tone: UInt8 = Tone.none
        /// One entry per letter of the key (0 for none; scalars outside the table count as letters
        /// without marks).
        package var modifiers: [UInt8] = []
    }

    private let table: CharTable

    /// Uses the analyzer's character table.
    package init() throws(ICUError) {
        table = try CharTable.shared()
    }

    /// The marks of a canonical key (NFC UTF-8, as the analyzer makes them).
    package func marks(_ key: some Collection<UInt8>) -> Marks {
        var marks = Marks()
        let bytes = Array(key)
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var i = 0
            while i < buffer.count {
                let (scalar, length) = UTF8Decoder.decode(base, i, buffer.count)
                let info = table.info(scalar)
                if info.charClass == .letter {
                    marks.modifiers.append(info.modifier)
                    if info.tone != Tone.none { marks.tone = info.tone }
                } else {
                    marks.modifiers.append(0)
                }
                i += max(length, 1)
            }
        }
        return marks
    }

    /// The cost of the tone and modifier differences between `a` and `b`; `sameLetters` when their
    /// base letters are the same (then modifiers are compared letter by letter).
    package func cost(_ a: Marks, _ b: Marks, sameLetters: Bool) -> Double {
        var cost = 0.0
        if a.tone != b.tone {
            cost += a.tone == Tone.none || b.tone == Tone.none ? Self.toneInsertion : Self.toneSubstitution
        }
        if sameLetters && a.modifiers.count == b.modifiers.count {
            for (x, y) in zip(a.modifiers, b.modifiers) where x != y { cost += Self.modifier }
        } else {
            var counts = [Int](repeating: 0, count: Int(Modifier.stroke) + 1)
            for x in a.modifiers where x != 0 && Int(x) < counts.count { counts[Int(x)] += 1 }
            for y in b.modifiers where y != 0 && Int(y) < counts.count { counts[Int(y)] -= 1 }
            cost += Double(counts.reduce(0) { $0 + abs($1) }) * Self.modifier
        }
        return cost
    }

    /// How many letters of `marks` carry the bar of đ.
    package static func strokes(_ marks: Marks) -> Int {
        marks.modifiers.count { $0 == Modifier.stroke }
    }
}
