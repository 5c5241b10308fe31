import Foundation

/// Where the tests find the repository's files and the team's shared data.
public enum TestData {
    /// The repository root (the folder holding Package.swift).
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// The bundled corpus folder.
    public static var corpus: URL { repositoryRoot.appendingPathComponent("Corpus") }

    /// The team's shared data folder (`../shared/data` beside the checkout), when it exists.
    /// `TRA_SHARED_DATA` overrides the location.
    public static var sharedData: URL? {
        let candidates = [
            ProcessInfo.processInfo.environment["TRA_SHARED_DATA"].map { URL(fileURLWithPath: $0) },
            repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data"),
        ]
        return candidates.compactMap { $0 }.first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// A file of the shared data folder, when present.
    public static func sharedFile(_ name: String) -> URL? {
        guard let url = sharedData?.appendingPathComponent(name),
            FileManager.default.fileExists(atPath: url.path)
        else { return nil }
        return url
    }

    /// The string fields `fields` of every line of a JSONL file, in order, as they are in the file.
    public static func jsonlStrings(_ url: URL, fields: [String]) throws -> [String] {
        let data = try Data(contentsOf: url)
        var strings: [String] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            for field in fields { if let value = object?[field] as? String { strings.append(value) } }
        }
        return strings
    }

    /// Parses `\u{XXXX}` escapes, so fixtures can spell NFD and invisible characters visibly.
    public static func unescape(_ text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let range = rest.range(of: "\\u{") {
            output += rest[..<range.lowerBound]
            guard let close = rest[range.upperBound...].firstIndex(of: "}"),
                let value = UInt32(rest[range.upperBound..<close], radix: 16), let scalar = Unicode.Scalar(value)
            else {
                output += rest[range]
                rest = rest[range.upperBound...]
                continue
            }
            output.unicodeScalars.append(scalar)
            rest = rest[rest.index(after: close)...]
        }
        return output + rest
    }
}
