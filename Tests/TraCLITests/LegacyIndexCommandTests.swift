import Foundation
import Testing
import TraTestSupport

/// `tra index` on the legacy fixtures (Tests/Fixtures/legacy): TCVN3 and VNI mojibake in JSONL,
/// VIQR, raw TCVN3/VNI bytes in .txt files, and look-alikes; then `tra search` and `tra stats`.
@Suite struct LegacyIndexCommandTests {
    static let fixtures = TestData.repositoryRoot.appendingPathComponent("Tests/Fixtures/legacy")
    static let inputs = ["tcvn3.jsonl", "vni.jsonl", "viqr.jsonl", "lookalikes.jsonl", "txt"].map {
        fixtures.appendingPathComponent($0).path
    }

    /// The ids and titles `tra search --json` returns.
    private func search(_ index: String, _ query: String) throws -> [(id: String, title: String)] {
        let result = try TraProcess.run("search", "--index", index, "--json", "--limit", "50", query)
        #expect(result.status == 0, "\(result)")
        let object = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let hits = try #require(object["hits"] as? [[String: Any]])
        return hits.map { ($0["id"] as? String ?? "", $0["title"] as? String ?? "") }
    }

    @Test func convertsEveryEncodingAndCountsThem() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = folder.path("index")
        let result = try indexSucceeds(index, Self.inputs, documents: 142)
        #expect(
            result.stdout.hasSuffix(", converted from 43 TCVN3, 43 VNI-Windows, 43 VIQR documents\n"), "\(result)")

        let stats = try indexStats(index)
        #expect(stats.json.contains(#""legacy_conversions":{"TCVN3":43,"VNI-Windows":43,"VIQR":43}"#), "\(stats)")
        let plain = try TraProcess.run("stats", "--index", index)
        #expect(plain.stdout.contains("converted   43 TCVN3, 43 VNI-Windows, 43 VIQR documents from legacy encodings"))

        // tcvn3-00 is "hồng ngọc", in JSONL (mojibake) and as a raw .txt file: both found, titles converted.
        let ruby = try search(index, "hồng ngọc")
        #expect(ruby.contains { $0.id == "tcvn3-00" && $0.title == "hồng ngọc" }, "\(ruby)")
        #expect(ruby.contains { $0.id == "tcvn3-00.txt" && $0.title == "hồng ngọc" }, "\(ruby)")
        // vni-00 is "samsung galaxy gear", viqr-00 "nhà thờ lớn hà nội".
        let watch = try search(index, "\"đồng hồ thông minh\"").map(\.id)
        #expect(watch.contains("vni-00") && watch.contains("vni-00.txt"), "\(watch)")
        let cathedral = try search(index, "\"nhà thờ chính tòa\"")
        #expect(cathedral.contains { $0.id == "viqr-00" && $0.title == "nhà thờ lớn hà nội" }, "\(cathedral)")
        // The look-alikes are indexed as they were written.
        #expect(try search(index, "crème").map(\.id) == ["fr-1"])
        #expect(try search(index, "straße").map(\.id) == ["de-1"])
    }

    @Test func noLegacyLeavesTextAsItCameAndRefusesRawBytes() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let index = folder.path("index")
        try indexSucceeds(index, Array(Self.inputs.prefix(4)), extra: ["--no-legacy"], documents: 133)
        let stats = try indexStats(index)
        #expect(stats.json.contains(#""legacy_conversions":{"TCVN3":0,"VNI-Windows":0,"VIQR":0}"#), "\(stats)")
        #expect(try search(index, "\"hồng ngọc\"").isEmpty)

        let raw = Self.fixtures.appendingPathComponent("txt/tcvn3-00.txt").path
        let refused = try TraProcess.run("index", "--index", folder.path("other"), "--no-legacy", raw)
        expectOneLineError(refused, status: 1, prefix: "tra: \(raw):1: invalid UTF-8 at column")
    }
}
