import Tra
let a = try Analyzer()
for t in try a.tokens(CommandLine.arguments.dropFirst().joined(separator: " ")) { print(t) }
