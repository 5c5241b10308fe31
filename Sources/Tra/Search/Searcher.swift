import TraIndex
import TraRanking

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Searches the last commit of an index. Opening maps the segments once; every search sees that
/// snapshot (open a new `Searcher` to see later commits). What its searches read of the index
/// (term lookups, block tables, score maxima, language-model counts) is kept for the next ones,
/// within bounds (at most about 30 MB in all). Not thread-safe: use one per thread.
///
/// ```swift
/// let searcher = try Searcher(directory: ".tra-index")
/// for hit in try searcher.search("hội nghị asean").hits { print(hit.id, hit.title, hit.score) }
/// ```
public final class Searcher {
    public let directory: String
    let engine: RankingEngine
    private let analyzer: Analyzer
    private var buffer = TokenBuffer()
    /// Per segment, where its ids are (made at its first hit).
    private var idLocations: [SegmentReader.IDLocations?] = []

    /// Opens the index in `directory` for searching.
    public init(directory: String) throws(TraError) {
        self.directory = directory
        do {
            let snapshot = try IndexSnapshot(directory: directory, analyzer: SearchIndex.analyzerInfo)
            engine = try RankingEngine(snapshot: snapshot)
            analyzer = try Analyzer()
        } catch let error as IndexError {
            throw TraError(error)
        } catch let error as RankingError {
            throw TraError(error)
        } catch let error as ICUError {
            throw TraError(error)
        } catch {
            throw TraError(.user, "\(error)")
        }
    }

    /// Live documents in the snapshot.
    public var documentCount: Int { engine.snapshot.documentCount }

    /// Runs `query` (the query language of the README) and returns the top `options.limit` hits.
    ///
    /// Throws a `.user` error for a query that has nothing to search for, an `.index` error when
    /// the index turns out corrupt while it is read.
    public func search(_ query: String, options: SearchOptions = SearchOptions()) throws(TraError) -> SearchResult {
        let start = Self.now()
        var engineOptions = RankingEngine.Options()
        engineOptions.limit = max(options.limit, 0)
        engineOptions.requireAll = options.requireAll
        engineOptions.prefixLimit = options.prefixExpansionLimit
        engineOptions.parameters = options.scoring
        engineOptions.exhaustive = options.exhaustive
        engineOptions.disjunction = options.disjunction
        engineOptions.explain = options.explain
        engineOptions.decodeInputMethods = options.decodeInputMethods
        engineOptions.fuzzy = options.fuzzy
        engineOptions.fuzzyLimit = max(options.fuzzyExpansionLimit, 1)
        engineOptions.restore = options.restoreDiacritics
        engineOptions.keepQuestionWords = options.keepQuestionWords
        engineOptions.timesPhases = options.timePhases
        let ranked: RankingEngine.Result
        do { ranked = try engine.search(query, options: engineOptions) } catch { throw TraError(error) }
        let ranking = options.timePhases ? Self.now() : 0
        var hits: [SearchHit] = []
        hits.reserveCapacity(ranked.hits.count)
        for (i, document) in ranked.hits.enumerated() {
            let segment = engine.snapshot.segments[document.segment]
            var hit = SearchHit(
                id: "", score: document.score, title: "", fields: [], snippet: nil,
                explanation: options.explain ? ranked.explanations[i] : nil)
            do { hit.id = try id(of: document) } catch { throw TraError(error) }
            if options.fetchDocuments || options.snippets {
                do { hit.fields = try segment.reader.document(Int(document.doc)) } catch { throw TraError(error) }
                hit.title = hit.fields.first { $0.name == "title" }?.value ?? ""
                if options.snippets {
                    hit.snippet = try snippet(of: hit.fields.first { $0.name == "body" }?.value ?? "", ranked.plan)
                }
            }
            hits.append(hit)
        }
        let end = Self.now()
        var result = SearchResult(
            query: query, hits: hits, total: ranked.total, totalIsLowerBound: ranked.totalIsLowerBound,
            notices: ranked.notices, tookMicroseconds: Int((end - start) / 1000))
        if let times = ranked.phases {
            // The hits' phase ends where the search's time does: the phases stay within it.
            let engine = times.durations.map { QueryBenchmark.microseconds($0) }
            result.phases = SearchPhases(microseconds: engine + [Double(end - ranking) / 1000])
        }
        result.readings = Self.readings(ranked)
        if let reading = ranked.reading, reading.changesQuery {
            result.restored = reading.text
            result.restoredProbability = reading.syllables.reduce(1) {
                $0 * (($1?.candidates ?? 0) > 1 ? $1?.probability ?? 1 : 1)
            }
        }
        return result
    }

    /// The input-method readings of a ranked query, for the result.
    private static func readings(_ ranked: RankingEngine.Result) -> [QueryReading] {
        var readings: [QueryReading] = []
        for (s, use) in ranked.readingUses.enumerated() {
            guard let use, let reading = ranked.plan.syllables[s].reading else { continue }
            readings.append(
                QueryReading(
                    typed: String(decoding: ranked.plan.syllables[s].key, as: UTF8.self), reading: reading.text,
                    method: reading.method.name, searched: use == .decoded ? "reading" : use.rawValue))
        }
        return readings
    }

    /// The external id of a ranked document. The IDS section is sorted by id, so the first lookup
    /// in a segment finds where every id is, by document number.
    private func id(of document: RankedDocument) throws(IndexError) -> String {
        let reader = engine.snapshot.segments[document.segment].reader
        if idLocations.count <= document.segment {
            idLocations.append(contentsOf: repeatElement(nil, count: document.segment + 1 - idLocations.count))
        }
        if idLocations[document.segment] == nil { idLocations[document.segment] = try reader.idLocations() }
        guard let locations = idLocations[document.segment] else { return "" }
        return reader.id(Int(document.doc), in: locations) ?? ""
    }

    private func snippet(of body: String, _ plan: QueryPlan) throws(TraError) -> Snippet {
        buffer.removeAll()
        // Only the head of a long body is analyzed: the window comes from its first 64 KB.
        var body = Self.head(of: body, bytes: Self.snippetSourceLimit)
        do {
            try body.withUTF8 { bytes in try analyzer.analyze(bytes, into: &buffer) }
        } catch let error as ICUError {
            throw TraError(error)
        } catch {
            throw TraError(.user, "\(error)")
        }
        let groups = RankingEngine.matchGroups(buffer, plan: plan)
        return SnippetBuilder().snippet(of: body, tokens: buffer.spans, matchGroup: groups)
    }

    /// Bytes of a body that snippets look at.
    static let snippetSourceLimit = 64 << 10

    /// The first `bytes` of `text` or a little less, cut at a space (or, in text without spaces, at
    /// a scalar boundary) so no token or scalar is split.
    static func head(of text: String, bytes: Int) -> String {
        let utf8 = text.utf8
        guard utf8.count > bytes else { return text }
        let limit = utf8.index(utf8.startIndex, offsetBy: bytes)
        // Back to a space (a token boundary) within 1 KB, else to the start of a scalar.
        var end = limit
        while utf8.distance(from: end, to: limit) < 1024 && end > utf8.startIndex && utf8[end] != UInt8(ascii: " ")
            && utf8[end] != UInt8(ascii: "\n")
        {
            end = utf8.index(before: end)
        }
        if utf8[end] != UInt8(ascii: " ") && utf8[end] != UInt8(ascii: "\n") {
            end = limit
            while end > utf8.startIndex && utf8[end] & 0xC0 == 0x80 { end = utf8.index(before: end) }
        }
        return String(decoding: utf8[..<end], as: UTF8.self)
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
