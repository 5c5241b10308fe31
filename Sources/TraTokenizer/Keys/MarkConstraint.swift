/// What the marks of a query syllable require of the indexed syllables it matches (VIETNAMESE.md,
/// "What this project promises", 2 and 3): marks the user typed are constraints, missing marks are
/// wildcards.
///
/// - A syllable typed without any mark ("duong") matches every accented form of its folded key:
///   ``Kind-swift.enum/any``.
/// - A syllable whose only marks are đ ("đuong") keeps the letter đ/d exactly as typed and leaves
///   the vowels free: it matches đường and đương, never dương. ``Kind-swift.enum/sameConsonants``.
/// - A syllable with a mark on a vowel (a letter modifier or a tone: "dương", "việt", "hòa")
///   was typed with an input method, so what it lacks is meant too: it matches its canonical key
///   only ("dương" matches dương, not đương nor dưỡng). Either tone-placement convention
///   works, because both sides are canonical keys. ``Kind-swift.enum/exact``.
///
/// Letters outside Vietnamese ("ü", "ñ") count as vowel marks: "über" matches über, "uber" both.
public struct MarkConstraint: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// No mark typed: every variant of the folded key.
        case any
        /// Only đ typed: variants equal to the key once their vowel marks are removed.
        case sameConsonants
        /// Marks on vowels typed: the canonical key only.
        case exact
    }

    public let kind: Kind
    /// The canonical key of the query syllable (UTF-8).
    public let key: [UInt8]
    private let table: CharTable

    public static func == (a: MarkConstraint, b: MarkConstraint) -> Bool { a.kind == b.kind && a.key == b.key }

    /// The constraint of a query syllable given its canonical and folded keys (as the analyzer
    /// produced them).
    public init(key: some Collection<UInt8>, folded: some Collection<UInt8>) throws(ICUError) {
        let table = try CharTable.shared()
        // As arrays first: the generic collections, unspecialized across the module boundary, cost a
        // call per byte.
        let key = Array(key)
        let folded = Array(folded)
        self.table = table
        self.key = key
        if key == folded {
            kind = .any
        } else if Self.removingVowelMarks(key, table) == key {
            kind = .sameConsonants
        } else {
            kind = .exact
        }
    }

    /// Whether an indexed syllable with canonical key `variant` (of the same folded key) satisfies
    /// the constraint.
    public func admits(_ variant: some Collection<UInt8>) -> Bool {
        switch kind {
        case .any: return true
        case .exact:
            // Compared in place when the bytes are contiguous (arrays, slices): the generic
            // collection, unspecialized across the module boundary, cost a call per byte.
            return variant.withContiguousStorageIfAvailable { bytes in
                key.withUnsafeBufferPointer { bytes.elementsEqual($0) }
            } ?? variant.elementsEqual(key)
        case .sameConsonants: return Self.removingVowelMarks(Array(variant), table) == key
        }
    }

    /// `key` with every letter modifier and tone removed except the stroke of đ.
    static func removingVowelMarks(_ key: [UInt8], _ table: CharTable) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(key.count)
        key.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            var i = 0
            while i < bytes.count {
                let (scalar, length) = UTF8Decoder.decode(base, i, bytes.count)
                let info = table.info(scalar)
                if info.charClass == .letter && info.modifier != Modifier.stroke && info.base != 0 {
                    result.append(info.base)
                } else if info.charClass == .foreignLetter, let letter = table.foreignLetter(scalar) {
                    result.append(contentsOf: letter.folded)
                } else {
                    result.append(contentsOf: bytes[i..<i + length])
                }
                i += length
            }
        }
        return result
    }
}
