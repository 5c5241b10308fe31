import Testing

@testable import Tra

/// Snippets read the head of a long body: the cut never splits a token or a scalar.
@Suite struct SnippetSourceTests {
    @Test func cutsAtASpaceWhenThereIsOne() {
        let text = String(repeating: "Việt Nam ", count: 20)
        let head = Searcher.head(of: text, bytes: 30)
        #expect(head.utf8.count <= 30)
        #expect(text.hasPrefix(head))
        #expect(head.hasSuffix("Nam") || head.hasSuffix("Việt"))
    }

    @Test func cutsAtAScalarBoundaryInTextWithoutSpaces() {
        // 3-byte scalars and no space at all: the cut lands between scalars.
        let text = String(repeating: "越南", count: 2000)
        let head = Searcher.head(of: text, bytes: 1000)
        #expect(!head.isEmpty)
        #expect(head.utf8.count <= 1000)
        #expect(text.hasPrefix(head))
        #expect(head.unicodeScalars.allSatisfy { $0 == "越" || $0 == "南" })
    }

    @Test func shortTextIsKeptWhole() {
        #expect(Searcher.head(of: "Hà Nội", bytes: 1000) == "Hà Nội")
    }
}
