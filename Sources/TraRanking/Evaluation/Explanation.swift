/// Why a document got its score: one line per component, as `--explain` prints it.
public struct Explanation: Sendable, Equatable {
    public struct Component: Sendable, Equatable {
        /// What it is: "term việt", "proximity việt nam", ...
        public var name: String
        public var score: Double
        /// The inputs of the formula (frequencies per field, lengths, idf), ready to print.
        public var details: String

        public init(name: String, score: Double, details: String) {
            self.name = name
            self.score = score
            self.details = details
        }
    }

    public var components: [Component]
    public var total: Double

    public init(components: [Component], total: Double) {
        self.components = components
        self.total = total
    }
}

extension Explanation {
    /// `value` with three decimals ("2.314"), without Foundation.
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        let scaled = (abs(value) * 1000).rounded()
        let whole = Int(scaled / 1000)
        let fraction = Int(scaled) - whole * 1000
        let digits = String(fraction)
        return (value < 0 && scaled > 0 ? "-" : "") + "\(whole)." + String(repeating: "0", count: 3 - digits.count)
            + digits
    }
}
