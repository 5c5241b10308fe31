import Foundation
import Testing
import TraTestSupport
import TraTokenizer

/// One line of Tests/Fixtures/analyzer.tsv.
struct AnalyzerFixture: CustomTestStringConvertible, Sendable {
    let line: Int
    let input: String
    let keys: [String]
    let folded: [String]

    var testDescription: String { "line \(line): \(input.debugDescription)" }

    static func load() throws -> [AnalyzerFixture] {
        let url = TestData.repositoryRoot.appendingPathComponent("Tests/Fixtures/analyzer.tsv")
        let text = try String(contentsOf: url, encoding: .utf8)
        var fixtures: [AnalyzerFixture] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            precondition(columns.count == 3, "analyzer.tsv:\(index + 1): expected 3 tab-separated columns")
            fixtures.append(
                AnalyzerFixture(
                    line: index + 1, input: TestData.unescape(columns[0]),
                    keys: TestData.unescape(columns[1]).split(separator: " ").map(String.init),
                    folded: TestData.unescape(columns[2]).split(separator: " ").map(String.init)))
        }
        return fixtures
    }
}

@Suite("Analyzer fixtures (Tests/Fixtures/analyzer.tsv)")
struct AnalyzerFixtureTests {
    static let fixtures = (try? AnalyzerFixture.load()) ?? []

    /// The ICU version the analyzer runs on reads as ICU writes it: numbers and dots, no NUL.
    @Test func icuVersionReads() {
        let version = ICU.version
        #expect(!version.isEmpty && version.allSatisfy { $0.isNumber || $0 == "." }, "\(version.debugDescription)")
        #expect(version.split(separator: ".").count >= 2)
    }

    @Test func fixturesLoad() throws {
        #expect(try AnalyzerFixture.load().count > 50)
    }

    @Test(arguments: fixtures)
    func keys(_ fixture: AnalyzerFixture) throws {
        let tokens = try Analyzer().tokens(fixture.input)
        #expect(tokens.map(\.key) == fixture.keys)
        #expect(tokens.map(\.folded) == fixture.folded)
        #expect(tokens.map(\.position) == Array(0..<tokens.count))
        let utf8 = Array(fixture.input.utf8)
        for token in tokens {
            #expect(String(decoding: utf8[token.start..<token.end], as: UTF8.self) == token.text)
        }
    }

    @Test(arguments: fixtures)
    func fastPathMatchesICU(_ fixture: AnalyzerFixture) throws {
        try expectFastPathMatchesICU(fixture.input)
    }
}
