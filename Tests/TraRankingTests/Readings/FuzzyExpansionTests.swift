import Testing
import TraTokenizer

@testable import TraRanking

@Suite("Fuzzy expansion: Vietnamese-aware costs, neighbours, weights")
struct FuzzyExpansionTests {
    private func cost(_ a: String, _ b: String, sameLetters: Bool = true) throws -> Double {
        let distance = try MarkDistance()
        return distance.cost(distance.marks(Array(a.utf8)), distance.marks(Array(b.utf8)), sameLetters: sameLetters)
    }

    @Test("a wrong tone costs less than a missing one, a modifier as much, a letter more")
    func markCosts() throws {
        #expect(try cost("chó", "chó") == 0)
        for other in ["chò", "chọ", "chỏ", "chõ"] { #expect(try cost("chó", other) == 0.25, "\(other)") }
        #expect(try cost("chó", "cho") == 0.5)
        #expect(try cost("chó", "chố") == 0.5)
        #expect(try cost("chó", "chợ") == 0.75)
        #expect(try cost("dương", "đương") == 0.5)
        #expect(try cost("thuở", "thưở") == 0.5)
        // Different letters: modifiers compared as multisets.
        #expect(try cost("tiếng", "tiến", sameLetters: false) == 0)
        #expect(try cost("chó", "khó", sameLetters: false) == 0)
        #expect(try cost("chó", "khô", sameLetters: false) == 1.0)
    }

    @Test("neighbours: one letter deleted, replaced, inserted or two swapped; none for short or non-ASCII keys")
    func neighbours() {
        let cho = Set(FuzzyExpansion.neighbours(of: Array("cho".utf8)).map { String(decoding: $0, as: UTF8.self) })
        for expected in ["ho", "co", "ch", "kho", "cha", "nho", "chao", "choi", "hco", "cgho"] {
            #expect(cho.contains(expected), "\(expected)")
        }
        #expect(!cho.contains("cho"))
        #expect(!cho.contains("kha"), "two edits")
        // 3 deletions, 3 × 25 substitutions, 4 × 26 insertions, 2 transpositions, less the duplicates.
        #expect(cho.count <= 3 + 75 + 104 + 2)
        #expect(FuzzyExpansion.neighbours(of: Array("an".utf8)).isEmpty)
        #expect(FuzzyExpansion.neighbours(of: Array("việt".utf8)).isEmpty)
        #expect(FuzzyExpansion.neighbours(of: Array("h2o".utf8)).isEmpty)
    }

    @Test("weights: the cheapest candidates weigh 1; others by cost, scaled down when more frequent")
    func weights() {
        typealias Candidate = FuzzyExpansion.Candidate
        let candidates = [
            Candidate(term: [1], cost: 0, documentFrequency: 10, isFolded: false),
            Candidate(term: [2], cost: 0.25, documentFrequency: 2, isFolded: false),
            Candidate(term: [3], cost: 0.5, documentFrequency: 5000, isFolded: false),
            Candidate(term: [4], cost: 1, documentFrequency: 10, isFolded: false),
        ]
        let (frequency, weights) = FuzzyExpansion.weigh(candidates, documentCount: 10000)
        #expect(frequency == 10)
        #expect(weights[0] == 1)
        #expect(abs(weights[1] - 1 / 1.75) < 1e-12, "rarer than the word: the cost weight alone")
        #expect(weights[2] < 0.4 / 5, "far more frequent than the word: \(weights[2])")
        #expect(weights[3] == 0.25)
        // No exact match: the best corrections read as the word.
        let typo = FuzzyExpansion.weigh(Array(candidates.dropFirst()), documentCount: 10000)
        #expect(typo.documentFrequency == 2)
        #expect(typo.weights[0] == 1)
        #expect(typo.weights[2] < FuzzyExpansion.weight(0.75), "more frequent than the best correction")
        #expect(typo.weights[2] > 0)
    }
}
