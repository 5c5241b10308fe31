import TraIndex

extension RankingEngine {
    /// The reading ``DiacriticRestorer`` gives `text` (parsed and analyzed as a query), without
    /// searching: for each scoring syllable, its accented key and probability (nil for a prefix).
    package func reading(of text: String) throws(RankingError) -> Reading {
        let query: Query
        do { query = try QueryParser.parse(text, requireAll: false) } catch { throw .query(error.description) }
        let plan = try QueryPlan(query, analyzer: analyzer)
        defer { model.trimToBudget() }
        do { return try DiacriticRestorer.restore(plan, model: model) } catch { throw .index(error) }
    }
}
