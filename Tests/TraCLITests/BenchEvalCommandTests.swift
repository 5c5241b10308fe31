import Foundation
import Testing

/// `tra bench` and `tra eval`: their one-line errors and exit codes.
@Suite("tra bench and tra eval: errors (the built executable)")
struct BenchEvalErrorTests {
    static let goodSet = #"{"qid":"q1","query":"phở bò","relevant":["pho"]}"# + "\n"

    @Test func missingQueryFileNamesIt() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let missing = folder.path("nowhere.txt")
        for command in ["bench", "eval"] {
            let result = try TraProcess.run(command, "--index", folder.path("index"), "--queries", missing)
            expectOneLineError(result, status: 1, prefix: "tra: ", missing, "no such file")
        }
    }

    @Test func badJSONLineNamesFileAndLine() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let path = try folder.write("set.jsonl", Self.goodSet + "\n" + #"{"qid":"q2","query":"x","relevant":["a"]"#)
        let result = try TraProcess.run("eval", "--index", folder.path("index"), "--queries", path)
        expectOneLineError(result, status: 1, prefix: "tra: \(path):3: invalid JSON at column 41")
    }

    @Test func missingFieldNamesFileAndLine() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let path = try folder.write("set.jsonl", Self.goodSet + #"{"qid":"q2","query":"sông"}"# + "\n")
        let result = try TraProcess.run("eval", "--index", folder.path("index"), "--queries", path)
        expectOneLineError(result, status: 1, prefix: "tra: \(path):2: missing required field \"relevant\"")
    }

    @Test func missingIndex() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let queries = try folder.write("queries.txt", "phở bò\n")
        let set = try folder.write("set.jsonl", Self.goodSet)
        let index = folder.path("no-index")
        let bench = try TraProcess.run("bench", "--index", index, "--queries", queries)
        expectOneLineError(bench, status: 1, prefix: "tra: no index at \(index)")
        let eval = try TraProcess.run("eval", "--index", index, "--queries", set)
        expectOneLineError(eval, status: 1, prefix: "tra: no index at \(index)")
    }

    @Test func emptyQueryFile() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let path = try folder.write("blank.txt", "\n  \n\r\n")
        let result = try TraProcess.run("bench", "--index", folder.path("index"), "--queries", path)
        expectOneLineError(result, status: 1, prefix: "tra: \(path): no queries")
    }

    @Test func badOptions() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let queries = try folder.write("queries.txt", "phở bò\n")
        for (arguments, message) in [
            (["bench", "--runs", "0"], "--runs must be at least 1"),
            (["bench", "--limit", "0"], "--limit must be at least 1"),
            (["eval", "--limit=-3"], "--limit must be at least 1"),
        ] {
            let result = try TraProcess.run(arguments + ["--queries", queries])
            expectOneLineError(result, status: 1, prefix: "tra: ", message)
        }
        let missingOption = try TraProcess.run("bench")
        expectOneLineError(missingOption, status: 1, prefix: "tra: ", "--queries")
    }
}
