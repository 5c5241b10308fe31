/// The pre-Unicode ways of writing Vietnamese that ``LegacyDetector`` recognizes.
///
/// - ``tcvn3``: TCVN 5712:1993 VN3 ("ABC", the `.VnTime` fonts), one byte per letter:
///   "Céng hßa" is "Cộng hòa" read as Windows-1252.
/// - ``vniWindows``: VNI-Windows (the `VNI-Times` fonts), a base letter followed by a byte for its
///   marks: "Xin chaøo" is "Xin chào".
/// - ``viqr``: VIQR (RFC 1456), marks typed as ASCII punctuation after the vowel: "Vie^.t Nam".
public enum LegacyEncoding: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case tcvn3 = 0
    case vniWindows = 1
    case viqr = 2

    /// The name the index stores and the tools print: "TCVN3", "VNI-Windows", "VIQR".
    public var name: String {
        switch self {
        case .tcvn3: "TCVN3"
        case .vniWindows: "VNI-Windows"
        case .viqr: "VIQR"
        }
    }

    /// The encoding called `name` (as ``name`` spells it).
    public init?(name: String) {
        guard let found = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = found
    }

    public var description: String { name }
}
