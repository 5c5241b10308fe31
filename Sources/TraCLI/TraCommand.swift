import ArgumentParser
import Tra

/// The `tra` command line.
struct TraCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tra",
        abstract: "Full-text search for Vietnamese, with or without diacritics.",
        version: "0.1.0 (analyzer \(Analyzer.name) v\(Analyzer.version))",
        subcommands: [
            IndexCommand.self, TokenizeCommand.self, StatsCommand.self, VerifyCommand.self, DeleteCommand.self,
            MergeCommand.self, SearchCommand.self, BenchCommand.self, EvalCommand.self,
        ]
    )
}

@main
enum Main {
    /// Runs the command, mapping every failure to a one-line message and the exit codes of the CLI
    /// contract: 0 success, 1 user error, 2 corrupt or incompatible index.
    static func main() {
        do {
            var command = try TraCommand.parseAsRoot()
            try command.run()
        } catch {
            let code = TraCommand.exitCode(for: error)
            if code == .success {
                // --help and --version.
                print(TraCommand.fullMessage(for: error))
                return
            }
            var message = TraCommand.message(for: error)
            if let newline = message.firstIndex(of: "\n") { message = String(message[..<newline]) }
            printError("tra: \(message)")
            TraCommand.exit(withError: ExitCode(failureExitCode(for: error)))
        }
    }

    static func failureExitCode(for error: Error) -> Int32 {
        if let exit = error as? ExitCode { return exit.rawValue }
        if let error = error as? TraError { return error.exitStatus }
        return 1
    }
}
