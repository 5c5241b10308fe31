import Testing
import TraTestSupport

@testable import TraRanking

@Suite("Diacritic restoration: the lattice decoder")
struct DiacriticRestorerTests {
    /// Every path's score (the product of its transitions), by brute force.
    private func paths(_ sizes: [Int], _ transitions: [[[Double]]]) -> [(path: [Int], score: Double)] {
        var result: [(path: [Int], score: Double)] = [([], 1)]
        for (s, size) in sizes.enumerated() {
            var next: [(path: [Int], score: Double)] = []
            for (path, score) in result {
                for j in 0..<size {
                    let row = transitions[s].count == 1 ? 0 : path.last ?? 0
                    next.append((path + [j], score * transitions[s][row][j]))
                }
            }
            result = next
        }
        return result
    }

    @Test("Viterbi finds the best path; the probabilities are the posteriors of all paths", arguments: 0..<40)
    func decoderMatchesBruteForce(seed: Int) {
        var random = SeededRandom(seed: UInt64(seed) + 1)
        let count = 1 + random.next(below: 5)
        let sizes = (0..<count).map { _ in 1 + random.next(below: 4) }
        var transitions: [[[Double]]] = []
        for s in 0..<count {
            // Some syllables start afresh (one row), the others depend on the previous candidate.
            let rows = s == 0 || random.next(below: 4) == 0 ? 1 : sizes[s - 1]
            transitions.append(
                (0..<rows).map { _ in (0..<sizes[s]).map { _ in Double(1 + random.next(below: 1000)) / 1000 } })
        }
        let candidates = sizes.enumerated().map { s, size in (0..<size).map { [UInt8(s), UInt8($0)] } }
        let reading = DiacriticRestorer.decode(
            typedKeys: sizes.map { _ in [] }, typed: sizes.map { _ in "x" }, candidates: candidates,
            transitions: transitions)
        let all = paths(sizes, transitions)
        let total = all.reduce(0) { $0 + $1.score }
        let best = all.max { $0.score < $1.score }?.path ?? []
        #expect(reading.syllables.compactMap { $0?.key.last }.map(Int.init) == best)
        for s in 0..<count {
            let chosen = best[s]
            let posterior = all.filter { $0.path[s] == chosen }.reduce(0) { $0 + $1.score } / total
            #expect(abs((reading.syllables[s]?.probability ?? -1) - posterior) < 1e-9, "syllable \(s)")
            #expect(reading.syllables[s]?.candidates == sizes[s])
        }
    }

    @Test("a syllable without candidates (a prefix) separates two independent chains")
    func prefixSeparatesChains() {
        let reading = DiacriticRestorer.decode(
            typedKeys: [Array("ban".utf8), Array("x".utf8), Array("be".utf8)], typed: ["ban", "x", "Be"],
            candidates: [[Array("bạn".utf8), Array("bàn".utf8)], [], [Array("bè".utf8)]],
            transitions: [[[0.3, 0.7]], [], [[1]]])
        #expect(reading.syllables[0]?.key == Array("bàn".utf8))
        #expect(abs((reading.syllables[0]?.probability ?? 0) - 0.7) < 1e-12)
        #expect(reading.syllables[1] == nil)
        #expect(reading.syllables[2]?.probability == 1)
        #expect(reading.changesQuery)
        #expect(reading.text == "bàn x* Bè")
    }

    @Test("the reading keeps the typed capitalization")
    func capitalization() {
        let reading = Reading(
            syllables: [
                .init(key: Array("việt".utf8), probability: 1, candidates: 2, changed: true),
                .init(key: Array("nam".utf8), probability: 1, candidates: 2, changed: false),
                .init(key: Array("hà".utf8), probability: 1, candidates: 2, changed: true),
            ], typed: ["Viet", "NAM", "ha"])
        #expect(reading.text == "Việt NAM hà")
    }
}
