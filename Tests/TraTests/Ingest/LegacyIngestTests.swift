import Foundation
import Testing
import Tra
import TraTestSupport

@Suite("Legacy encodings at ingest")
struct LegacyIngestTests {
    static let tcvn3Body = "Céng hßa X· héi chñ nghÜa ViÖt Nam lµ mét quèc gia n»m ë cùc §«ng cña b¸n ®¶o §«ng D­¬ng."
    static let unicodeBody = "Cộng hòa Xã hội chủ nghĩa Việt Nam là một quốc gia nằm ở cực Đông của bán đảo Đông Dương."
    static let vniBody = "Xin chaøo caùc baïn, hoâm nay trôøi ñeïp quaù."

    /// The bytes of text made of scalars below U+0100 (the bytes a legacy file holds).
    static func latin1(_ text: String) -> [UInt8] { text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) } }

    private func fieldList(_ document: IngestDocument) -> [String] {
        document.fields.map { "\($0.name)=\($0.value)" }
    }

    @Test func aDocumentsFieldsConvertAndKeepTheirOriginals() throws {
        let converter = try LegacyDocumentConverter()
        var document = IngestDocument(
            id: "1", fields: [("title", "ViÖt Nam"), ("body", Self.tcvn3Body), ("url", "https://example.com/a?b")],
            source: SourceLocation(file: "f", line: 1))
        #expect(converter.convert(&document))
        #expect(
            fieldList(document) == [
                "title=Việt Nam", "body=\(Self.unicodeBody)", "url=https://example.com/a?b", "title.original=ViÖt Nam",
                "title.encoding=TCVN3", "body.original=\(Self.tcvn3Body)", "body.encoding=TCVN3",
            ])
        #expect(document.legacyConversions.map(\.field) == ["title", "body"])
        #expect(LegacyDocumentConverter.mask(document.legacyConversions) == 1)
    }

    @Test func unicodeAndForeignDocumentsStayAsTheyAre() throws {
        let converter = try LegacyDocumentConverter()
        for fields in [
            [("title", "Việt Nam"), ("body", Self.unicodeBody)],
            [("title", "Café crème"), ("body", "Le thé est né à Paris, où il a été créé. Müller Straße 5.")],
            [("title", "What?"), ("body", "I don't know, e.g. the U.S. and i.e. a.m. or p.m. Really? Yes I'm sure.")],
            // A stored original is never converted again.
            [("body", Self.unicodeBody), ("body.original", Self.tcvn3Body)],
        ] {
            var document = IngestDocument(id: "1", fields: fields, source: SourceLocation(file: "f", line: 1))
            let before = document
            #expect(!converter.convert(&document))
            #expect(document == before)
            #expect(document.legacyConversions.isEmpty)
        }
    }

    @Test func rawLegacyTextFilesConvertWhenAsked() throws {
        let folder = try IngestTemporaryFolder()
        let tcvn3 = try folder.write("tcvn3.txt", Self.latin1("ViÖt Nam\n\(Self.tcvn3Body)\n"))
        let vni = try folder.write(
            "vni.txt", Self.latin1("Chaøo\r\n\(Self.vniBody) Coäng hoøa xaõ hoäi.\n"))
        // Windows-1252 French is not UTF-8 and is no legacy Vietnamese either.
        let french = try folder.write("french.txt", Self.latin1("Café\nLe thé est né à Paris, où il a été créé."))
        var source = try IngestSource(inputs: [tcvn3, vni, french])
        let without = Ingested(source)
        #expect(without.documents.isEmpty)
        #expect(without.errors.count == 3)
        source.legacy = try LegacyDocumentConverter()
        let with = Ingested(source)
        #expect(with.documents.map(\.id) == ["tcvn3.txt", "vni.txt"])
        #expect(with.documents.first?.title == "Việt Nam")
        #expect(with.documents.first?.body == Self.unicodeBody + "\n")
        #expect(with.documents.first?[field: "body.encoding"] == "TCVN3")
        #expect(with.documents.last?.title == "Chào")
        #expect(with.documents.last?.body == "Xin chào các bạn, hôm nay trời đẹp quá. Cộng hòa xã hội.\n")
        #expect(with.documents.last?[field: "body.encoding"] == "VNI-Windows")
        #expect(with.errors.count == 1)
        #expect(with.errors.first?.hasPrefix("\(french):") == true)
        #expect(with.errors.first?.contains("invalid UTF-8") == true)
    }

    @Test func indexingCountsConversionsAndStatsReadThemBack() throws {
        let folder = try IngestTemporaryFolder()
        let lines = [
            #"{"id":"t","title":"ViÖt Nam","body":"\#(Self.tcvn3Body)"}"#,
            #"{"id":"v","title":"Chaøo","body":"\#(Self.vniBody)"}"#,
            #"{"id":"q","title":"Vie^.t Nam","body":"Vie^.t Nam la` mo^.t quo^'c gia o+? DDo^ng Nam A'."}"#,
            #"{"id":"u","title":"Việt Nam","body":"\#(Self.unicodeBody)"}"#,
        ]
        let input = try folder.write("docs.jsonl", lines.joined(separator: "\n"))
        let directory = folder.path("index")
        let summary = try SearchIndex.build(inputs: [input], directory: directory, mode: .create)
        #expect(summary.documents == 4)
        #expect(summary.legacyConversions == [.tcvn3: 1, .vniWindows: 1, .viqr: 1])
        #expect(try SearchIndex.legacyConversions(directory: directory) == [.tcvn3: 1, .vniWindows: 1, .viqr: 1])

        let hits = try Searcher(directory: directory).search("đông nam").hits
        #expect(Set(hits.map(\.id)) == ["t", "q", "u"])
        let viqr = try #require(hits.first { $0.id == "q" })
        #expect(viqr.title == "Việt Nam")
        #expect(viqr.fields.first { $0.name == "title.original" }?.value == "Vie^.t Nam")

        do {
            let index = try SearchIndex(directory: directory, mode: .append)
            try index.delete(id: "t")
            try index.commit()
        }
        #expect(try SearchIndex.legacyConversions(directory: directory) == [.vniWindows: 1, .viqr: 1])

        let plain = try SearchIndex.build(inputs: [input], directory: directory, mode: .create, legacy: false)
        #expect(plain.legacyConversions.isEmpty)
        #expect(try SearchIndex.legacyConversions(directory: directory).isEmpty)
    }
}
