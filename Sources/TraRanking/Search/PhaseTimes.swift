/// Where one search's time went, phase by phase (``RankingEngine/Options/timesPhases``), for a
/// benchmark that asks where the latency comes from. Each phase adds up the time between the
/// clock readings that end it and the previous one, so the phases add up to the whole search.
package struct PhaseTimes: Sendable {
    /// The phases, in the order the engine runs them.
    package enum Phase: Int, CaseIterable, Sendable {
        /// Parsing the query and planning it: the analysis of its words, the question words, the
        /// Telex and VNI readings.
        case planning
        /// The accented reading of the words typed without all their marks (``DiacriticRestorer``).
        case restoration
        /// The index terms of each syllable in each field and their idf (``TermExpansion``).
        case expansion
        /// Opening each segment's cursors and scorers for the first stage.
        case setup
        /// The first stage: the top documents by BM25F (MaxScore), or every match (exhaustive).
        case retrieval
        /// Scoring the proximity window in full, positions read (its cursors' setup included).
        case proximity
        /// Explaining the hits' scores (`--explain`).
        case explanation
    }

    package private(set) var durations = [Duration](repeating: .zero, count: Phase.allCases.count)

    package init() {}

    package mutating func add(_ duration: Duration, to phase: Phase) { durations[phase.rawValue] += duration }
}

/// Reads the clock at the end of each phase of one search, when asked to; otherwise it does
/// nothing (no clock reading, no allocation).
struct PhaseTimer {
    private var last: ContinuousClock.Instant?
    private(set) var times: PhaseTimes?

    /// Starts timing at `start` (now when nil) when `enabled`.
    init(enabled: Bool, from start: ContinuousClock.Instant? = nil) {
        guard enabled else { return }
        last = start ?? .now
        times = PhaseTimes()
    }

    /// Ends `phase`: the time since the previous reading goes to it.
    @inline(__always)
    mutating func lap(_ phase: PhaseTimes.Phase) {
        guard let start = last else { return }
        let now = ContinuousClock.now
        times?.add(now - start, to: phase)
        last = now
    }
}
