import TraRanking

extension Searcher {
    /// The accented reading the index's language model gives `query`: one entry per searched
    /// syllable (excluded words are not read), with the canonical accented key it restored and
    /// that key's posterior probability; nil for a prefix (`viet*`). What `tra search` shows as
    /// "Showing results for".
    public func reading(of query: String) throws(TraError) -> [(key: String, probability: Double)?] {
        let reading: Reading
        do { reading = try engine.reading(of: query) } catch { throw TraError(error) }
        return reading.syllables.map { syllable in
            syllable.map { (String(decoding: $0.key, as: UTF8.self), $0.probability) }
        }
    }
}
