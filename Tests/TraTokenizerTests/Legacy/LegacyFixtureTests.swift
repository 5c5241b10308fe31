import Foundation
import Testing
import TraTestSupport

@testable import TraTokenizer

/// The generated fixtures of Tests/Fixtures/legacy (make_legacy_fixtures.py): real sentences of
/// the bundled corpus in each legacy encoding, and foreign text that must stay as it is.
@Suite struct LegacyFixtureTests {
    static let folder = TestData.repositoryRoot.appendingPathComponent("Tests/Fixtures/legacy")

    private let detector: LegacyDetector
    private let originals: [String: [String: String]]

    init() throws {
        detector = try LegacyDetector()
        originals = try Self.documents("originals.jsonl")
    }

    static func documents(_ name: String) throws -> [String: [String: String]] {
        let data = try Data(contentsOf: folder.appendingPathComponent(name))
        var documents: [String: [String: String]] = [:]
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: String])
            documents[try #require(object["id"])] = object
        }
        return documents
    }

    /// Words equal to the original's, exactly and ignoring case.
    struct Accuracy {
        var words = 0
        var exact = 0
        var ignoringCase = 0
        /// The first few words that differ even ignoring case, as "converted≠original".
        var differences: [String] = []

        mutating func compare(_ converted: String, _ original: String) {
            let left = converted.split(separator: " ")
            let right = original.split(separator: " ")
            words += right.count
            guard left.count == right.count else {
                differences.append("\(converted)≠\(original)")
                return
            }
            for (a, b) in zip(left, right) {
                if a.unicodeScalars.elementsEqual(b.unicodeScalars) { exact += 1 }
                if a.lowercased().unicodeScalars.elementsEqual(b.lowercased().unicodeScalars) {
                    ignoringCase += 1
                } else if differences.count < 20 {
                    differences.append("\(a)≠\(b)")
                }
            }
        }

        func share(_ count: Int) -> Double { Double(count) / Double(max(words, 1)) }
    }

    /// The body decides on its own; the title (often one or two words) with the body's encoding.
    private func convert(_ document: [String: String]) -> (encoding: LegacyEncoding?, title: String, body: String) {
        let body = detector.convert(document["body"] ?? "")
        let title =
            detector.convert(document["title"] ?? "")
            ?? body.flatMap { detector.convert(document["title"] ?? "", assuming: $0.encoding) }
        return (body?.encoding, title?.text ?? document["title"] ?? "", body?.text ?? document["body"] ?? "")
    }

    @Test(arguments: [("tcvn3", LegacyEncoding.tcvn3), ("vni", .vniWindows), ("viqr", .viqr)])
    func convertsTheGeneratedDocuments(_ name: String, _ encoding: LegacyEncoding) throws {
        let encoded = try Self.documents(name + ".jsonl")
        #expect(encoded.count == 40)
        var accuracy = Accuracy()
        for (id, document) in encoded.sorted(by: { $0.key < $1.key }) {
            let original = try #require(originals[id])
            let converted = convert(document)
            #expect(
                converted.encoding == encoding,
                "\(id): \(detector.evaluate(document["body"] ?? "", as: encoding).evidence)")
            accuracy.compare(converted.title, original["title"] ?? "")
            accuracy.compare(converted.body, original["body"] ?? "")
        }
        print(
            "legacy \(encoding.name): \(accuracy.words) words, "
                + String(
                    format: "%.2f%% equal to the original, %.2f%% ignoring case", accuracy.share(accuracy.exact) * 100,
                    accuracy.share(accuracy.ignoringCase) * 100)
                + (accuracy.differences.isEmpty ? "" : "; differences: \(accuracy.differences)"))
        // TCVN3 (VN3) has no capitals with tones: those come back lower case.
        #expect(accuracy.share(encoding == .tcvn3 ? accuracy.ignoringCase : accuracy.exact) >= 0.995)
    }

    @Test func rawTextFilesConvertOnceReadAsWindows1252() throws {
        let folder = Self.folder.appendingPathComponent("txt")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }
        #expect(names.count == 9)
        for name in names.sorted() {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
            let id = String(name.dropLast(4))
            let original = try #require(originals[id])
            let lines = Windows1252.decode(bytes).split(separator: "\n").map(String.init)
            let converted = convert(["title": lines[0], "body": lines[1]])
            #expect(converted.encoding != nil, "\(name)")
            var accuracy = Accuracy()
            accuracy.compare(converted.body, original["body"] ?? "")
            #expect(accuracy.share(accuracy.ignoringCase) >= 0.99, "\(name): \(accuracy.differences)")
        }
    }

    @Test func lookalikesStayAsTheyAre() throws {
        for (id, document) in try Self.documents("lookalikes.jsonl") {
            for field in ["title", "body"] {
                let conversion = detector.convert(document[field] ?? "")
                #expect(conversion == nil, "\(id) \(field) became \(conversion?.text ?? "")")
            }
        }
    }
}
