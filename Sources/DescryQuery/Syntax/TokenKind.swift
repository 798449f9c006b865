/// What a token is. Keywords are lexed as identifiers; the parser decides by context, so a
/// word like `value` stays usable as a field name outside `pivot`.
public enum TokenKind: Sendable, Equatable {
    /// A name: `descriptions`, `where`, `alignment`.
    case identifier(String)
    /// A string literal, escapes already decoded.
    case string(String)
    /// An integer literal.
    case integer(Int64)
    /// A real literal.
    case real(Double)
    /// An operator or punctuation: `|`, `,`, `(`, `)`, `[`, `]`, `=`, `!=`, `<`, `<=`, `>`, `>=`, `+`, `-`, `*`, `/`, `%`, `;`.
    case symbol(String)
    /// End of input.
    case end

    /// How the kind reads in an error message.
    public var display: String {
        switch self {
        case .identifier(let s): return "'\(s)'"
        case .string: return "a string"
        case .integer(let i): return "'\(i)'"
        case .real(let r): return "'\(r)'"
        case .symbol(let s): return "'\(s)'"
        case .end: return "end of query"
        }
    }
}
