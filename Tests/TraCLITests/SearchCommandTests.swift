import Foundation
import Testing

/// What `tra search --json` printed.
private struct JSONSearch {
    let query: String
    let total: Int
    let tookMicroseconds: Int
    let hits: [[String: Any]]
    let object: [String: Any]

    var ids: [String] { hits.compactMap { $0["id"] as? String } }
}

/// Runs `tra search --index DIR --json [extra…] QUERY…`, checks that it succeeded with one JSON line
/// of the contract's shape and nothing on stderr, and parses it.
private func searchJSON(
    _ index: String, _ query: [String], extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
) throws -> JSONSearch {
    let result = try TraProcess.run(["search", "--index", index, "--json"] + extra + query)
    #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
    #expect(result.exitedNormally, "\(result)", sourceLocation: sourceLocation)
    expectBytes(result.stderr, "", "stderr", sourceLocation: sourceLocation)
    #expect(result.stdout.hasSuffix("}\n"), "\(result)", sourceLocation: sourceLocation)
    #expect(result.stdout.filter { $0 == "\n" }.count == 1, "one line: \(result)", sourceLocation: sourceLocation)
    let object = try #require(
        try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any], "\(result)",
        sourceLocation: sourceLocation)
    let hits = try #require(object["hits"] as? [[String: Any]], "hits: \(result)", sourceLocation: sourceLocation)
    for hit in hits {
        #expect(hit["id"] is String, "id: \(hit)", sourceLocation: sourceLocation)
        #expect(hit["score"] is Double || hit["score"] is Int, "score: \(hit)", sourceLocation: sourceLocation)
        #expect(hit["title"] is String, "title: \(hit)", sourceLocation: sourceLocation)
        #expect(hit["snippet"] is String, "snippet: \(hit)", sourceLocation: sourceLocation)
    }
    return JSONSearch(
        query: try #require(object["query"] as? String, "query: \(result)", sourceLocation: sourceLocation),
        total: try #require(object["total"] as? Int, "total: \(result)", sourceLocation: sourceLocation),
        tookMicroseconds: try #require(object["took_us"] as? Int, "took_us: \(result)", sourceLocation: sourceLocation),
        hits: hits, object: object)
}

/// The five documents of the search tests, in two segments.
private func searchIndex(in folder: TempFolder) throws -> String {
    let index = folder.path("index")
    try indexSucceeds(index, [try folder.write("docs.jsonl", threeDocuments)], documents: 3)
    let more = try folder.write(
        "more.jsonl",
        #"{"id":"hoa-binh","title":"Hoà Bình","body":"Tỉnh Hoà Bình có thủy điện Hòa Bình trên sông Đà."}"# + "\n"
            + #"{"id":"viet-nam","title":"Việt Nam","body":"Vie\u0302\u0323t Nam (NFD) có thủ đô là Hà Nội."}"#
            + "\n")
    try indexSucceeds(index, [more], extra: ["--append"], documents: 2)
    return index
}

/// The byte range of section `kind` (2 is TERMS) of a segment file, read from its section table
/// (IndexFormat.md, "Segment file").
private func sectionRange(_ bytes: [UInt8], kind: UInt32) -> Range<Int>? {
    func integer(_ offset: Int, _ size: Int) -> Int {
        var value = 0
        for i in (0..<size).reversed() { value = value << 8 | Int(bytes[offset + i]) }
        return value
    }
    guard bytes.count >= 24 else { return nil }
    let table = integer(bytes.count - 24, 8)
    guard table + 4 <= bytes.count else { return nil }
    for entry in 0..<integer(table, 4) {
        let base = table + 4 + entry * 24
        guard base + 24 <= bytes.count else { return nil }
        if UInt32(integer(base, 4)) == kind {
            let start = integer(base + 4, 8)
            return start..<start + integer(base + 12, 8)
        }
    }
    return nil
}

@Suite("tra search (the built executable)")
struct SearchCommandTests {
    @Test("--json prints one object: query, total, took_us, hits with id, score, title, snippet")
    func jsonShape() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = try searchIndex(in: folder)

        let search = try searchJSON(index, ["viet", "nam"])
        for key in ["query", "total", "took_us", "hits"] { #expect(search.object[key] != nil, "\(key)") }
        expectBytes(search.query, "viet nam", "the arguments joined with spaces")
        #expect(search.total == 3)
        #expect(search.tookMicroseconds >= 0)
        #expect(Set(search.ids) == ["hanoi", "viet-nam", "pho"])
        #expect(search.ids.last == "pho", "the only one without the two syllables adjacent: \(search.ids)")
        let hanoi = try #require(search.hits.first { $0["id"] as? String == "hanoi" })
        #expect(hanoi["title"] as? String == "Hà Nội")
        // "nam" unaccented matches năm too.
        expectBytes(
            hanoi["snippet"] as? String ?? "",
            "Thủ đô của <b>Việt Nam</b> là Hà Nội, một thành phố nghìn <b>năm</b> văn hiến.")
        // The NFD body comes back as it was written, highlighted around the NFD bytes.
        let nfd = try #require(search.hits.first { $0["id"] as? String == "viet-nam" })
        expectBytes(nfd["snippet"] as? String ?? "", "<b>Vie\u{0302}\u{0323}t Nam</b> (NFD) có thủ đô là Hà Nội.")
        let scores = search.hits.compactMap { ($0["score"] as? NSNumber)?.doubleValue }
        #expect(scores.count == 3)
        #expect(scores == scores.sorted(by: >), "\(scores)")

        // One argument or several: the same hits.
        #expect(try searchJSON(index, ["viet nam"]).ids == search.ids)
        // The query is echoed exactly (JSON escaping of quotes and non-ASCII).
        let phrase = try searchJSON(index, [#""hoà bình""#])
        expectBytes(phrase.query, #""hoà bình""#)
        #expect(phrase.ids == ["hoa-binh"])
        // Nothing found is a success.
        let none = try searchJSON(index, ["zzzz"])
        #expect(none.total == 0)
        #expect(none.hits.isEmpty)
    }

    @Test("--limit caps the hits; --explain adds the score's components")
    func limitAndExplain() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = try searchIndex(in: folder)

        let one = try searchJSON(index, ["nam"], extra: ["--limit", "1"])
        #expect(one.hits.count == 1)
        #expect(one.total == 2)
        let zero = try searchJSON(index, ["nam"], extra: ["--limit", "0"])
        #expect(zero.hits.isEmpty)
        #expect(zero.total == 2 && zero.object["total_is_lower_bound"] as? Bool == false, "\(zero.object)")
        for bad in ["-1", "10001", "x"] {
            let result = try TraProcess.run("search", "--index", index, "--limit", bad, "nam")
            expectOneLineError(result, status: 1, prefix: "tra: ")
        }

        let explained = try searchJSON(index, ["viet", "nam"], extra: ["--explain"])
        #expect(!explained.hits.isEmpty)
        for hit in explained.hits {
            let components = try #require(hit["explanation"] as? [[String: Any]], "\(hit)")
            #expect(!components.isEmpty)
            let sum = components.compactMap { ($0["score"] as? NSNumber)?.doubleValue }.reduce(0, +)
            let score = try #require((hit["score"] as? NSNumber)?.doubleValue)
            #expect(abs(sum - score) <= 1e-9 * max(1, score), "\(hit)")
            #expect(components.allSatisfy { $0["name"] is String && $0["details"] is String }, "\(components)")
        }
        let names = explained.hits.first?["explanation"] as? [[String: Any]] ?? []
        #expect(names.contains { ($0["name"] as? String)?.hasPrefix("proximity") == true }, "\(names)")
        // Without --explain there is no explanation.
        #expect(try searchJSON(index, ["viet", "nam"]).hits.allSatisfy { $0["explanation"] == nil })

        let text = try TraProcess.run("search", "--index", index, "--explain", "--limit", "1", "viet", "nam")
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout.contains("term viet: "), "\(text)")
        #expect(text.stdout.contains("proximity viet nam: "), "\(text)")
    }

    @Test("text output off a terminal: a summary line, ranked hits, [highlights]; notices on stderr")
    func textOutput() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = try searchIndex(in: folder)

        let result = try TraProcess.run("search", "--index", index, "hoa", "binh")
        #expect(result.status == 0, "\(result)")
        expectBytes(result.stderr, "")
        #expect(!result.stdout.contains("\u{1B}"), "no terminal escapes in a pipe: \(result)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first?.hasPrefix("1 document matched; top 1 (") == true, "\(result)")
        #expect(lines.contains { $0.hasPrefix("1. Hoà Bình  [hoa-binh]  score ") }, "\(result)")
        #expect(
            lines.contains("   Tỉnh [Hoà Bình] có thủy điện [Hòa Bình] trên sông Đà."),
            "\(result.stdout.debugDescription)")

        let unclosed = try TraProcess.run("search", "--index", index, #"đà "hoà bình"#)
        #expect(unclosed.status == 0, "\(unclosed)")
        #expect(unclosed.stderr.hasPrefix("tra: note: "), "\(unclosed)")
        #expect(unclosed.stderr.contains("not closed"), "\(unclosed)")
        #expect(unclosed.stdout.contains("[hoa-binh]"), "\(unclosed)")
    }

    @Test("Telex and VNI words: a note on stderr, readings in --json; --no-decode; word~ and --fuzzy")
    func forgivingInput() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = try searchIndex(in: folder)

        let accented = try searchJSON(index, ["việt", "nam"])
        let telex = try searchJSON(index, ["vieejt", "nam"])
        #expect(telex.ids == accented.ids)
        #expect(telex.object["notices"] as? [String] == ["input method keys read: vieejt as việt (Telex)"])
        let readings = try #require(telex.object["readings"] as? [[String: String]], "\(telex.object)")
        #expect(readings == [["typed": "vieejt", "reading": "việt", "method": "Telex", "searched": "reading"]])
        #expect(accented.object["readings"] as? [Any] != nil, "always present, empty")

        let vni = try TraProcess.run("search", "--index", index, "vie65t", "nam")
        #expect(vni.status == 0, "\(vni)")
        expectBytes(vni.stderr, "tra: note: input method keys read: vie65t as việt (VNI)\n")
        #expect(vni.stdout.contains("[Việt Nam]"), "the reading is highlighted: \(vni)")

        let literal = try searchJSON(index, ["vieejt"], extra: ["--no-decode"])
        #expect(literal.total == 0)
        #expect((literal.object["readings"] as? [Any])?.isEmpty == true)

        // A missing tone: hông~ finds Hồng first, and so does hông with --fuzzy; hông alone nothing.
        #expect(try searchJSON(index, ["hông"]).total == 0)
        let fuzzy = try searchJSON(index, ["hông~"])
        #expect(fuzzy.ids.first == "song-hong", "\(fuzzy.ids)")
        #expect(try searchJSON(index, ["hông"], extra: ["--fuzzy"]).ids == fuzzy.ids)
    }

    @Test("the reading restored from the corpus: shown under the summary, in JSON, off with --no-restore")
    func restoredReading() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = try searchIndex(in: folder)

        let text = try TraProcess.run("search", "--index", index, "Hoa Binh")
        #expect(text.status == 0, "\(text)")
        let lines = text.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count > 1 && lines[1] == "Showing results for: Hòa Bình", "\(text)")
        let explained = try TraProcess.run("search", "--index", index, "--explain", "hoa binh")
        #expect(explained.stdout.contains("Showing results for: hòa bình, probability 1"), "\(explained)")
        let json = try searchJSON(index, ["hoa", "binh"])
        #expect(json.object["restored"] as? String == "hòa bình", "\(json.object)")
        #expect(json.object["restored_probability"] as? Double == 1 || json.object["restored_probability"] as? Int == 1)
        let off = try searchJSON(index, ["hoa", "binh"], extra: ["--no-restore"])
        #expect(off.object["restored"] == nil, "\(off.object)")
        #expect(off.ids == json.ids)
        let accented = try searchJSON(index, ["hòa", "bình"])
        #expect(accented.object["restored"] == nil, "nothing to restore: \(accented.object)")
    }

    @Test("query words that start with - are typed as they are; -- still ends the options; --typo is an error")
    func dashedQueryWords() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = try searchIndex(in: folder)
        // "việt" is in hanoi (Việt Nam), pho (người Việt) and viet-nam; "-hà" leaves hanoi and viet-nam out.
        let all = try searchJSON(index, ["việt"])
        #expect(Set(all.ids) == ["hanoi", "pho", "viet-nam"], "\(all.ids)")
        for words in [["việt", "-hà"], ["-hà", "việt"], ["việt", "--", "-hà"], ["--", "việt", "-hà"]] {
            let excluded = try searchJSON(index, words)
            #expect(excluded.ids == ["pho"], "\(words): \(excluded.ids)")
            #expect(excluded.query == words.filter { $0 != "--" }.joined(separator: " "), "\(excluded.query)")
        }
        // Options after the query words still count.
        let limited = try searchJSON(index, ["việt", "-hà", "--limit", "0"])
        #expect(limited.hits.isEmpty && limited.query == "việt -hà", "\(limited.object)")
        // A misspelt option is not searched for.
        let typo = try TraProcess.run("search", "--index", index, "việt", "--limt", "3")
        expectOneLineError(typo, status: 1, prefix: "tra: unknown option '--limt'")
    }

    @Test("a missing index and a query with nothing to search for: exit 1, one line")
    func userErrors() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let missing = folder.path("no-index-here")
        let result = try TraProcess.run("search", "--index", missing, "viet")
        expectOneLineError(result, status: 1, prefix: "tra: no index at \(missing)")
        #expect(!folder.exists("no-index-here"), "search created the index folder")

        let index = try searchIndex(in: folder)
        for query in [[""], ["   "], ["--", "-viet"], ["*"], ["\""], ["!!!"], []] {
            let result = try TraProcess.run(["search", "--index", index] + query)
            expectOneLineError(result, status: 1, prefix: "tra: ")
            #expect(!result.stderr.contains("Usage"), "\(result)")
        }
        let json = try TraProcess.run("search", "--index", index, "--json", "")
        expectOneLineError(json, status: 1, prefix: "tra: ", "empty")
    }

    @Test("a flipped byte in the TERMS section or a truncated segment: exit 2 naming the file")
    func corruptIndex() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = try searchIndex(in: folder)
        let segments = try segmentFiles(in: index)
        #expect(segments.count == 2, "\(segments)")
        let segment = try #require(segments.first)
        let url = URL(fileURLWithPath: index).appendingPathComponent(segment)
        let original = [UInt8](try Data(contentsOf: url))
        let terms = try #require(sectionRange(original, kind: 2), "no TERMS section in \(segment)")
        #expect(!terms.isEmpty && terms.upperBound <= original.count)

        var flipped = original
        flipped[terms.lowerBound + terms.count / 2] ^= 0xFF
        try Data(flipped).write(to: url)
        for arguments in [["search", "--index", index, "nam"], ["search", "--index", index, "--json", "nam"]] {
            expectOneLineError(try TraProcess.run(arguments), status: 2, prefix: "tra: ", segment)
        }

        try Data(original.prefix(original.count / 2)).write(to: url)
        expectOneLineError(try TraProcess.run("search", "--index", index, "nam"), status: 2, prefix: "tra: ", segment)

        // Restored, the index answers again.
        try Data(original).write(to: url)
        #expect(try searchJSON(index, ["nam"]).total == 2)
    }

    @Test("with no index and a Corpus/ folder here, tra search builds .tra-index from it first")
    func defaultIndex() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        try folder.write("Corpus/docs.jsonl", threeDocuments)
        var environment = ProcessInfo.processInfo.environment
        environment["TRA_INDEX"] = nil

        let first = try TraProcess.run(["search", "viet"], in: folder.url, environment: environment)
        #expect(first.status == 0, "\(first)")
        #expect(first.exitedNormally, "\(first)")
        #expect(first.stderr.contains("Corpus"), "says it builds the index: \(first)")
        #expect(folder.exists(".tra-index/manifest"), "\(first)")
        #expect(first.stdout.hasPrefix("2 documents matched"), "\(first)")
        #expect(first.stdout.contains("[hanoi]") && first.stdout.contains("[pho]"), "\(first)")

        // The second time the index is there: no rebuild, the same answer.
        let second = try TraProcess.run(["search", "--json", "viet"], in: folder.url, environment: environment)
        #expect(second.status == 0, "\(second)")
        expectBytes(second.stderr, "", "no rebuild")
        #expect(second.stdout.contains(#""total":2"#), "\(second)")

        // TRA_INDEX names the index: nothing is built there from Corpus/.
        environment["TRA_INDEX"] = folder.path("elsewhere")
        let named = try TraProcess.run(["search", "viet"], in: folder.url, environment: environment)
        expectOneLineError(named, status: 1, prefix: "tra: no index at \(folder.path("elsewhere"))")
        #expect(!folder.exists("elsewhere"))
    }
}
