/// One lexical token and where it stands in the query.
public struct Token: Sendable, Equatable {
    /// What it is.
    public let kind: TokenKind
    /// Where it is.
    public let span: SourceSpan

    /// Creates a token.
    public init(kind: TokenKind, span: SourceSpan) {
        self.kind = kind
        self.span = span
    }

    /// True when the token is the identifier `word` (keywords compare case-insensitively).
    public func isWord(_ word: String) -> Bool {
        if case .identifier(let s) = kind { return s.lowercased() == word }
        return false
    }

    /// True when the token is the symbol `s`.
    public func isSymbol(_ s: String) -> Bool {
        if case .symbol(let t) = kind { return t == s }
        return false
    }
}
