import TraIndex

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The most probable accented reading of a query, learned from the indexed corpus: for every
/// query syllable typed without all its marks, which accented form the user most likely meant,
/// and how sure that is.
///
/// Each query syllable has a set of candidates: the accented forms of its folded key that occur
/// in the corpus and that its typed marks admit (``MarkConstraint``: "duong" admits every form,
/// "đuong" only those with đ, "dương" only itself), at most ``maxCandidates`` of the most
/// frequent. A path through these candidates is scored with a bigram model of the corpus
/// smoothed by *stupid backoff* (Brants, Popat, Xu, Och and Dean, "Large Language Models in
/// Machine Translation", EMNLP-CoNLL 2007, section 4):
///
///     S(b | a) = c(a b) / c(a)           if c(a b) > 0
///              = α · c(b) / N            otherwise, α = 0.4
///
/// where `c` counts tokens and pairs of consecutive tokens of the corpus and N is its number of
/// tokens; a syllable not adjacent to the previous one (a new clause, a prefix between) starts
/// afresh with `c(b) / N`. The reading is the best path (Viterbi); the weight of each of its
/// syllables is the posterior probability of that candidate among all paths (forward-backward
/// over the same scores, normalized per syllable), so "ban" alone is uncertain and "ban be" is
/// not.
///
/// - Complexity: per syllable, one term-dictionary seek per field and segment; per adjacent
///   pair of syllables, at most `maxCandidates²` pair lookups per segment.
package enum DiacriticRestorer {
    /// Stupid backoff's α (Brants et al. use 0.4).
    package static let backoff = 0.4
    /// Candidates kept per syllable (the most frequent forms).
    package static let maxCandidates = 8
    /// Forms rarer than this share of the most frequent one are not candidates (typos, mostly).
    package static let minimumShare = 0.002

    /// The reading of each scoring syllable of `plan` (nil for a prefix).
    package static func restore(_ plan: QueryPlan, model: CorpusLanguageModel) throws(IndexError) -> Reading {
        let syllables = plan.syllables
        var linked = [Bool](repeating: false, count: syllables.count)
        for pair in plan.pairs where pair.second == pair.first + 1 { linked[pair.second] = true }
        // Candidates and their unigram counts (those of syllables typed with all their marks below).
        var candidates: [[(key: [UInt8], count: Double)]] = []
        for syllable in syllables {
            guard !syllable.isPrefix, let constraint = syllable.constraint else {
                candidates.append([])
                continue
            }
            if constraint.kind == .exact {
                candidates.append([(syllable.key, 0)])
                continue
            }
            var found = try model.variants(of: syllable.folded).filter { constraint.admits($0.key) }
            if found.isEmpty { found = [(syllable.key, 0)] }
            let floor = (found.first?.count ?? 0) * minimumShare
            candidates.append(Array(found.prefix(maxCandidates).filter { $0.count >= floor }))
        }
        // A syllable of one candidate reads as it whatever the counts; its count weighs only in
        // the transitions between it and a linked neighbour of several candidates (elsewhere a
        // path of one candidate per syllable adds the same to every score, and each step's
        // normalization gives its one candidate a probability of 1). So the count of a syllable
        // typed with its marks is looked up only beside such a neighbour.
        for s in syllables.indices where !syllables[s].isPrefix && syllables[s].constraint?.kind == .exact {
            let before = linked[s] && candidates[s - 1].count > 1
            let after = s + 1 < syllables.count && linked[s + 1] && candidates[s + 1].count > 1
            guard before || after else { continue }
            candidates[s][0].count = try model.count(of: syllables[s].key, folded: syllables[s].folded)
        }
        let n = model.tokenCount
        // Transition scores into syllable s from each candidate of s - 1 (or the start).
        func unigram(_ count: Double) -> Double { max(count, 0.5) / n }
        var transitions: [[[Double]]] = []
        for s in syllables.indices {
            let current = candidates[s]
            guard s > 0, linked[s], !candidates[s - 1].isEmpty else {
                transitions.append([current.map { unigram($0.count) }])
                continue
            }
            var matrix: [[Double]] = []
            for previous in candidates[s - 1] {
                var row: [Double] = []
                for candidate in current {
                    let pair =
                        current.count > 1 || candidates[s - 1].count > 1
                        ? try model.pairCount(previous.key, candidate.key) : 0
                    row.append(
                        pair > 0 && previous.count > 0
                            ? min(pair / previous.count, 1) : backoff * unigram(candidate.count))
                }
                matrix.append(row)
            }
            transitions.append(matrix)
        }
        return decode(
            typedKeys: syllables.map(\.key), typed: syllables.map(\.text), candidates: candidates.map { $0.map(\.key) },
            transitions: transitions)
    }

    /// Viterbi and forward-backward over the lattice. `transitions[s][i][j]` scores candidate `j`
    /// of syllable `s` after candidate `i` of syllable `s - 1` (a single row when `s` starts
    /// afresh); a syllable without candidates (a prefix) separates independent chains.
    /// `typedKeys` and `typed` are the syllables' keys and text as typed.
    package static func decode(
        typedKeys: [[UInt8]], typed: [String], candidates: [[[UInt8]]], transitions: [[[Double]]]
    ) -> Reading {
        let count = candidates.count
        // Chains of syllables with candidates; a syllable without any (a prefix) ends a chain.
        var best: [Int] = Array(repeating: -1, count: count)
        var posterior: [[Double]] = candidates.map { Array(repeating: 0, count: $0.count) }
        var start = 0
        while start < count {
            guard !candidates[start].isEmpty else {
                start += 1
                continue
            }
            var end = start + 1
            while end < count && !candidates[end].isEmpty && transitions[end].count == candidates[end - 1].count {
                end += 1
            }
            if candidates[start..<end].allSatisfy({ $0.count == 1 }) {
                // One path: what decodeChain gives it (each step normalizes its one value to 1).
                for s in start..<end {
                    best[s] = 0
                    posterior[s] = [1]
                }
            } else {
                decodeChain(start..<end, candidates, transitions, &best, &posterior)
            }
            start = end
        }
        var syllables: [Reading.Syllable?] = []
        for s in 0..<count {
            guard best[s] >= 0 else {
                syllables.append(nil)
                continue
            }
            let key = candidates[s][best[s]]
            syllables.append(
                Reading.Syllable(
                    key: key, probability: posterior[s][best[s]], candidates: candidates[s].count,
                    changed: key != typedKeys[s]))
        }
        return Reading(syllables: syllables, typed: typed)
    }

    private static func decodeChain(
        _ range: Range<Int>, _ candidates: [[[UInt8]]], _ transitions: [[[Double]]], _ best: inout [Int],
        _ posterior: inout [[Double]]
    ) {
        let first = range.lowerBound
        // Viterbi in log space.
        var score = transitions[first][0].map { log($0) }
        var back: [[Int]] = [[]]
        for s in range.dropFirst() {
            var next: [Double] = []
            var from: [Int] = []
            for j in candidates[s].indices {
                var top = -Double.infinity
                var arg = 0
                for i in candidates[s - 1].indices {
                    let value = score[i] + log(transitions[s][i][j])
                    if value > top {
                        top = value
                        arg = i
                    }
                }
                next.append(top)
                from.append(arg)
            }
            score = next
            back.append(from)
        }
        var state = score.indices.max { score[$0] < score[$1] } ?? 0
        for s in range.reversed() {
            best[s] = state
            if s > first { state = back[s - first][state] }
        }
        // Forward-backward, each step normalized (the scale cancels in the posteriors).
        var forward: [[Double]] = [normalized(transitions[first][0])]
        for s in range.dropFirst() {
            let previous = forward[forward.count - 1]
            forward.append(
                normalized(
                    candidates[s].indices.map { j in
                        candidates[s - 1].indices.reduce(0) { $0 + previous[$1] * transitions[s][$1][j] }
                    }))
        }
        var backward = [Double](repeating: 1, count: candidates[range.upperBound - 1].count)
        for s in range.reversed() {
            let f = forward[s - first]
            posterior[s] = normalized(f.indices.map { f[$0] * backward[$0] })
            if s > first {
                let after = backward
                backward = normalized(
                    candidates[s - 1].indices.map { i in
                        candidates[s].indices.reduce(0) { $0 + transitions[s][i][$1] * after[$1] }
                    })
            }
        }
    }

    private static func normalized(_ values: [Double]) -> [Double] {
        let total = values.reduce(0, +)
        guard total > 0, total.isFinite else { return values.map { _ in 1 / Double(max(values.count, 1)) } }
        return values.map { $0 / total }
    }
}

/// A query's most probable accented reading (see ``DiacriticRestorer``).
package struct Reading: Sendable {
    package struct Syllable: Sendable, Equatable {
        /// The canonical accented key of the reading.
        package var key: [UInt8]
        /// Its posterior probability among the syllable's candidates.
        package var probability: Double
        /// How many candidates were weighed.
        package var candidates: Int
        /// Whether the reading differs from what was typed.
        package var changed: Bool
    }

    /// Per scoring syllable of the plan (nil for a prefix).
    package var syllables: [Syllable?]
    /// The syllables as typed.
    package var typed: [String]

    /// Whether any syllable reads differently from how it was typed.
    package var changesQuery: Bool { syllables.contains { $0?.changed == true } }

    /// The reading as text: each syllable's accented key with the typed capitalization ("Viet" →
    /// "Việt"), prefixes as typed.
    package var text: String {
        var words: [String] = []
        for (s, syllable) in syllables.enumerated() {
            let typed = s < typed.count ? self.typed[s] : ""
            guard let syllable else {
                words.append(typed + "*")
                continue
            }
            let key = String(decoding: syllable.key, as: UTF8.self)
            if typed.count > 1 && typed == typed.uppercased() && typed != typed.lowercased() {
                words.append(key.uppercased())
            } else if let first = typed.first, first.isUppercase, let keyFirst = key.first {
                words.append(String(keyFirst).uppercased() + key.dropFirst())
            } else {
                words.append(key)
            }
        }
        return words.joined(separator: " ")
    }
}
