import ArgumentParser
import Foundation
import Tra

/// The `--index DIR` option shared by the commands that use an index.
struct IndexOptions: ParsableArguments {
    @Option(name: .long, help: "The index folder (default: $TRA_INDEX, else .tra-index).")
    var index: String?

    var directory: String { index ?? SearchIndex.defaultDirectory(environment: ProcessInfo.processInfo.environment) }

    /// Throws a user error when the folder holds no index.
    func requireExisting() throws {
        if !FileManager.default.fileExists(atPath: directory + "/manifest") {
            throw TraError(.user, "no index at \(directory); create one with 'tra index FILE.jsonl'")
        }
    }
}

/// Formats numbers for people: 1234567 → "1,234,567", bytes → "1.2 MB".
enum Format {
    static func count(_ value: Int) -> String {
        let digits = String(value)
        var result = ""
        for (index, digit) in digits.reversed().enumerated() {
            if index > 0 && index % 3 == 0 && digit != "-" { result.append(",") }
            result.append(digit)
        }
        return String(result.reversed())
    }

    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1e6) }

    static func seconds(_ value: Double) -> String { String(format: "%.1f s", value) }
}
