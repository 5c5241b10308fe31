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
            try ArgumentCheck.check(CommandLine.arguments.dropFirst())
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

/// Checks the raw arguments before the argument parser sees them.
///
/// The parser compares arguments as Swift strings, which normalizes them; the standard library
/// sorts a run of combining marks in time quadratic in its length, so an argument of 40,000 marks
/// took seconds before any of tra's code ran. Unicode's stream-safe text format (UAX #15) allows
/// at most 30 non-starters in a row, which no real text exceeds: an argument with a longer run is
/// refused with a one-line error.
enum ArgumentCheck {
    static let maximumNonStarters = 30

    static func check(_ arguments: ArraySlice<String>) throws(TraError) {
        for (number, argument) in arguments.enumerated() {
            var run = 0
            var offset = 0
            for scalar in argument.unicodeScalars {
                if scalar.properties.canonicalCombiningClass.rawValue != 0 {
                    run += 1
                    if run > maximumNonStarters {
                        throw TraError(
                            .user,
                            "argument \(number + 1): more than \(maximumNonStarters) combining marks in a row "
                                + "at byte \(offset) (Unicode stream-safe text, UAX #15)")
                    }
                } else {
                    run = 0
                }
                offset += UTF8.width(scalar)
            }
        }
    }
}
