/// A parsed query: the clauses to evaluate, in query order, and what the parser had to change or
/// drop to get them. ``QueryParser/parse(_:requireAll:maxClauses:)`` makes one.
public struct Query: Sendable, Equatable {
    /// The clauses in the order they were written. The order matters: the engine rewards
    /// consecutive query words found adjacent in a document.
    public var clauses: [QueryClause]
    /// One sentence per thing the parser changed or dropped, for the user ("the quote opened at
    /// character 7 is not closed: read to the end of the query"). Empty for a well-formed query.
    public var notices: [String]
    /// The query is a question in natural language: its text ends with a question mark. The
    /// engine then leaves interrogative words ("gì", "nào", "bao nhiêu") out of the scoring of its
    /// bare words (``TraTokenizer/QuestionWords``).
    public var isQuestion: Bool

    /// Makes a query from its clauses and notices.
    public init(clauses: [QueryClause], notices: [String] = [], isQuestion: Bool = false) {
        self.clauses = clauses
        self.notices = notices
        self.isQuestion = isQuestion
    }
}

/// One clause of a query: a word, a phrase or a prefix, with whether documents must, should or must
/// not contain it, and in which field.
public struct QueryClause: Sendable, Equatable {
    /// How a clause constrains the result.
    public enum Occur: Sendable, Equatable {
        /// Contributes to the score; a document need not contain it (a bare word).
        case should
        /// A document must contain it (written with a leading `+`).
        case must
        /// A document must not contain it (written with a leading `-`). Does not score.
        case mustNot
    }

    /// The field a clause is restricted to.
    public enum Field: Sendable, Equatable {
        /// The title only (written `title:`).
        case title
        /// The body only (written `body:`).
        case body
    }

    /// What a clause searches for. The strings are the query's text, not yet analyzed: the engine
    /// splits each into syllables with the Vietnamese analyzer.
    public enum Kind: Sendable, Equatable {
        /// A bare word. It may still hold several syllables ("Việt-Nam", "viet.nam").
        case text(String)
        /// The inside of `"..."`, runs of white space shown as one space, without the white space
        /// at either end.
        case phrase(String)
        /// The word before a trailing `*`, without the `*`.
        case prefix(String)
    }

    /// Whether documents must, should or must not match the clause.
    public var occur: Occur
    /// The field the clause is restricted to; `nil` means the title and the body.
    public var field: Field?
    /// The word, phrase or prefix.
    public var kind: Kind
    /// Typo tolerance for a word (written with a trailing `~`): it also matches the words of the
    /// index a small edit away, closer ones weighted higher.
    public var isFuzzy: Bool

    /// Makes a clause.
    public init(occur: Occur, field: Field?, kind: Kind, isFuzzy: Bool = false) {
        self.occur = occur
        self.field = field
        self.kind = kind
        self.isFuzzy = isFuzzy
    }
}

/// Why a query cannot be evaluated at all: it is empty, holds nothing to search for, or only
/// excludes. ``description`` is one line for the user.
public struct QueryError: Error, CustomStringConvertible, Sendable {
    /// One line for the user, e.g. "the query is empty".
    public var description: String

    /// Makes an error with a one-line description.
    public init(description: String) {
        self.description = description
    }
}
