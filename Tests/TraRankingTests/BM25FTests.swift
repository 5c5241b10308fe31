import Testing

@testable import TraRanking

@Suite struct BM25FTests {
    @Test func idfMatchesTheFormulaByHand() {
        // N = 10, df = 2: ln(1 + 8.5 / 2.5) = ln(4.4)
        #expect(abs(BM25F.idf(documentFrequency: 2, documentCount: 10) - 1.4816045409242156) < 1e-12)
        // Rare terms weigh more; a term in every document still weighs a little.
        #expect(BM25F.idf(documentFrequency: 1, documentCount: 10) > BM25F.idf(documentFrequency: 5, documentCount: 10))
        #expect(BM25F.idf(documentFrequency: 10, documentCount: 10) > 0)
    }

    @Test func lengthNormalizationAndSaturation() {
        // A field twice the average with b = 0.75: 1 - 0.75 + 1.5 = 1.75.
        #expect(BM25F.lengthNorm(length: 20, averageLength: 10, b: 0.75) == 1.75)
        #expect(BM25F.lengthNorm(length: 20, averageLength: 10, b: 0) == 1)
        // tf 1, k1 1.2: 2.2 / 2.2 = 1; tf 3: 6.6 / 4.2.
        #expect(BM25F.saturate(1, k1: 1.2) == 1)
        #expect(abs(BM25F.saturate(3, k1: 1.2) - 6.6 / 4.2) < 1e-12)
        #expect(BM25F.saturate(0, k1: 1.2) == 0)
        // Saturation never reaches k1 + 1.
        #expect(BM25F.saturate(1e9, k1: 1.2) < 2.2)
    }

    @Test func parameterValidation() {
        var parameters = ScoringParameters()
        #expect(parameters.validated() == nil)
        parameters.bodyB = 1.5
        #expect(parameters.validated() != nil)
        parameters = ScoringParameters()
        parameters.k1 = .nan
        #expect(parameters.validated() != nil)
    }
}
