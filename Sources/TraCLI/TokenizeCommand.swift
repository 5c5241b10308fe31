import ArgumentParser
import Tra

/// `tra tokenize [--json] TEXT...`: shows how the analyzer reads text.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the tokens of TEXT with their byte offsets and search keys.",
        discussion: """
            The arguments are joined with single spaces; offsets are UTF-8 byte offsets into that \
            joined text. Each token has its position, its original text, the canonical accented key \
            (NFC, lower case, canonical tone placement) and the folded key (no diacritics, đ as d).
            """
    )

    @Flag(name: .long, help: "Print one JSON array of {text, start, end, position, key, folded}.")
    var json = false

    @Argument(help: "The text to tokenize.")
    var text: [String]

    func run() throws {
        let input = text.joined(separator: " ")
        let tokens = try Analyzer().tokens(input)
        if json {
            print(Self.json(tokens))
        } else {
            for token in tokens {
                print("\(token.position)\t\(token.start)..<\(token.end)\t\(token.text)\t\(token.key)\t\(token.folded)")
            }
        }
    }

    /// The JSON array of the tokens, keys in the documented order.
    static func json(_ tokens: [Token]) -> String {
        var writer = JSONWriter()
        writer.array(tokens) { writer, token in
            writer.object { writer in
                writer.field("text", token.text)
                writer.field("start", token.start)
                writer.field("end", token.end)
                writer.field("position", token.position)
                writer.field("key", token.key)
                writer.field("folded", token.folded)
            }
        }
        return writer.output
    }
}
