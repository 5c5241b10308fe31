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
