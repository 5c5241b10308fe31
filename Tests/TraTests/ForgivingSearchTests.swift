import Foundation
import Testing
import Tra
import TraTestSupport

// Forgiving query input through `Searcher` (issue 7): words typed as raw Telex or VNI keystrokes are
// searched as the syllable they type as well as typed; `word~` and `--fuzzy` match words a wrong
// tone, a wrong letter modifier or one letter away, the word itself first.

/// A small index of ordinary sentences, in two segments, removed by `remove()`.
private final class SentenceIndex {
    static let documents: [[(id: String, body: String)]] = [
        [
            ("viet-nam", "Việt Nam là một quốc gia nằm ở phía đông bán đảo Đông Dương."),
            ("viet-thu", "Anh ấy viết thư cho mẹ mỗi tuần."),
            ("duong-pho", "Con đường này dẫn vào trung tâm thành phố."),
            ("dai-duong", "Thái Bình Dương là đại dương lớn nhất thế giới."),
            ("ha-noi", "Hà Nội là thủ đô của Việt Nam, nằm bên bờ sông Hồng."),
            ("noi-tieng", "Cô ấy nói tiếng Anh rất giỏi."),
            ("nguyen", "Nhà Nguyễn là triều đại phong kiến cuối cùng của Việt Nam."),
        ],
        [
            ("tieng-viet", "Tiếng Việt là ngôn ngữ chính thức của Việt Nam."),
            ("unit-test", "The unit test must pass before the release of the Windows build."),
            ("banh-tet", "Bánh tét là món ăn truyền thống trong dịp Tết ở miền Nam."),
            ("xe-xf", "Mẫu xe XF của hãng Jaguar ra đời năm 2007."),
            ("con-cho", "Con chó nhà tôi rất thông minh."),
            ("cay-cho", "Cây chò chỉ mọc trong rừng sâu."),
            ("cui-cho", "Khuỷu tay còn gọi là cùi chỏ."),
            ("me-cho", "Mẹ cho tôi một quyển sách."),
            ("bai-toan", "Bài toán này rất khó giải."),
        ],
    ]

    let directory: String

    init() throws {
        directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("tra-forgiving-\(UUID().uuidString)").path
        let index = try SearchIndex(directory: directory, mode: .create)
        for batch in Self.documents {
            for document in batch { try index.add(id: document.id, fields: [("body", document.body)]) }
            try index.commit()
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

private func options(
    exhaustive: Bool = false, decode: Bool = true, fuzzy: Bool = false, fuzzyLimit: Int = 64
) -> SearchOptions {
    var options = SearchOptions()
    options.limit = 100
    options.exhaustive = exhaustive
    options.decodeInputMethods = decode
    options.fuzzy = fuzzy
    options.fuzzyExpansionLimit = fuzzyLimit
    return options
}

extension Searcher {
    /// The ids of the hits, best first, after checking that pruning changes nothing.
    fileprivate func ids(_ query: String, _ options: SearchOptions = options()) throws -> [String] {
        let pruned = try search(query, options: options)
        var exhaustive = options
        exhaustive.exhaustive = true
        let reference = try search(query, options: exhaustive)
        #expect(pruned.hits.map(\.id) == reference.hits.map(\.id), "\(query)")
        #expect(pruned.hits.map(\.score) == reference.hits.map(\.score), "\(query)")
        return pruned.hits.map(\.id)
    }
}

@Suite("Forgiving query input: Telex/VNI readings and typo tolerance (through Searcher)")
struct ForgivingSearchTests {
    @Test("vieejt nam, vie65t nam, Vieetj Nam: the hits of việt nam, with the reading reported")
    func telexAndVNI() throws {
        let index = try SentenceIndex()
        defer { index.remove() }
        let searcher = try Searcher(directory: index.directory)
        let accented = try searcher.ids("việt nam")
        #expect(accented.first == "tieng-viet" || accented.first == "viet-nam", "\(accented)")
        #expect(!accented.contains("viet-thu"))
        for (query, typed, method) in [
            ("vieejt nam", "vieejt", "Telex"), ("vie65t nam", "vie65t", "VNI"), ("Vieetj Nam", "vieetj", "Telex"),
            ("vie56t nam", "vie56t", "VNI"),
        ] {
            #expect(try searcher.ids(query) == accented, "\(query)")
            let result = try searcher.search(query, options: options())
            #expect(
                result.readings == [QueryReading(typed: typed, reading: "việt", method: method, searched: "reading")])
            #expect(result.notices == ["input method keys read: \(typed) as việt (\(method))"], "\(result.notices)")
            // The reading is highlighted like the accented word.
            let snippet = try #require(result.hits.first?.snippet).rendered(open: "[", close: "]")
            #expect(snippet.contains("[Việt Nam]"), "\(snippet)")
        }
        // Without decoding, only nam matches.
        let literal = try searcher.search("vieejt nam", options: options(decode: false))
        #expect(literal.readings.isEmpty)
        #expect(Set(literal.hits.map(\.id)) == Set(try searcher.ids("nam")))
    }

    @Test("dduwowngf is đường only; nguyeenx nguyễn; Haf Noij and Haf Nooij; tieengs Vieetj")
    func telexWords() throws {
        let index = try SentenceIndex()
        defer { index.remove() }
        let searcher = try Searcher(directory: index.directory)
        #expect(try searcher.ids("dduwowngf") == ["duong-pho"], "exact marks: not Dương, not dương")
        #expect(try searcher.ids("d9uo7ng2") == ["duong-pho"])
        #expect(try searcher.ids("nguyeenx") == ["nguyen"])
        // Telex "Noij" types nọi (Nội is "Nooij"): not in the index, so only Hà is found.
        let haNoi = try searcher.search("Haf Noij", options: options())
        #expect(haNoi.hits.map(\.id) == ["ha-noi"])
        #expect(
            haNoi.readings == [
                QueryReading(typed: "haf", reading: "hà", method: "Telex", searched: "reading"),
                QueryReading(typed: "noij", reading: "nọi", method: "Telex", searched: "none"),
            ])
        #expect(try searcher.ids("Haf Nooij") == ["ha-noi"])
        #expect(try searcher.ids("Haf Nooij") == searcher.ids("Hà Nội"))
        let language = try searcher.ids("tieengs Vieetj")
        #expect(language == (try searcher.ids("tiếng Việt")))
        #expect(language.first == "tieng-viet", "\(language)")
        #expect(language.contains("noi-tieng"))
    }

    @Test("English and names keep their matches: pass, test, xf, Windows; mixed queries")
    func englishIsSafe() throws {
        let index = try SentenceIndex()
        defer { index.remove() }
        let searcher = try Searcher(directory: index.directory)
        // "pass" is p-a-s-s: the second s takes the tone back, no reading.
        for (query, expected) in [("pass", ["unit-test"]), ("xf", ["xe-xf"]), ("Windows", ["unit-test"])] {
            let result = try searcher.search(query, options: options())
            #expect(result.hits.map(\.id) == expected, "\(query)")
            #expect(result.readings.isEmpty, "\(query): \(result.readings)")
        }
        // "test" reads tét in Telex: both are searched.
        let test = try searcher.search("test", options: options())
        #expect(Set(test.hits.map(\.id)) == ["unit-test", "banh-tet"])
        #expect(test.readings == [QueryReading(typed: "test", reading: "tét", method: "Telex", searched: "both")])
        #expect(test.notices == ["input method keys read: test as typed and as tét (Telex)"])
        // Telex, plain Vietnamese and English in one query.
        let mixed = try searcher.ids("banhs tets truyền thống")
        #expect(mixed.first == "banh-tet", "\(mixed)")
        let english = try searcher.ids("unit test Windows build")
        #expect(english.first == "unit-test", "\(english)")
        let all = try searcher.ids("+dduwowngf +phoos")
        #expect(all == ["duong-pho"])
        // Excluded words keep their typed reading only; prefixes are not decoded.
        #expect(try searcher.ids("viet -vieejt") == searcher.ids("viet"))
        #expect(try searcher.search("vieej*", options: options()).readings.isEmpty)
    }

    @Test("chó~ ranks chó, then chò and chỏ, then cho and khó; chó alone finds chó only")
    func fuzzyOrder() throws {
        let index = try SentenceIndex()
        defer { index.remove() }
        let searcher = try Searcher(directory: index.directory)
        #expect(try searcher.ids("chó") == ["con-cho"])
        let fuzzy = try searcher.ids("chó~")
        #expect(fuzzy.first == "con-cho", "\(fuzzy)")
        #expect(Set(fuzzy.dropFirst().prefix(2)) == ["cay-cho", "cui-cho"], "\(fuzzy)")
        #expect(Set(fuzzy.dropFirst(3).prefix(3)) == ["me-cho", "viet-thu", "bai-toan"], "\(fuzzy)")
        #expect(try searcher.ids("chó", options(fuzzy: true)) == fuzzy, "--fuzzy is ~ on every word")
        // Only the closest candidate with a limit of 1.
        #expect(try searcher.ids("chó~", options(fuzzyLimit: 1)) == ["con-cho"])
        // Marks left out stay wildcards; typed marks are preferred: đường and đương before Dương.
        let duong = try searcher.ids("đuong~")
        #expect(duong.first == "duong-pho", "\(duong)")
        #expect(duong.contains("dai-duong"), "\(duong)")
        #expect(try searcher.ids("đuong") == ["duong-pho"])
        // A letter typo: quox~ finds quốc; with --fuzzy every word is tolerant.
        #expect(try searcher.ids("quox~") == ["viet-nam"])
        #expect(try searcher.ids("quox") == [])
        #expect(try searcher.ids("quox gia", options(fuzzy: true)).first == "viet-nam")
        // The word itself first: nói~ finds nói, then Nội.
        let noi = try searcher.ids("nói~")
        #expect(noi.first == "noi-tieng", "\(noi)")
        #expect(noi.contains("ha-noi"), "\(noi)")
        // Short words get marks only: "an~" has no letter edits (khó is not "an").
        #expect(!(try searcher.ids("mẹ~")).contains("con-cho"))
    }
}
