/// The one error type of DescryQuery: what went wrong, where in the query, and a hint.
/// `rendered()` gives the human form: line, column, the source line and a caret under the span.
public struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which pass found the problem.
    public enum Phase: String, Sendable {
        /// Characters that do not form a token.
        case lexical
        /// Tokens that do not form a query.
        case syntax
        /// A well-formed query that names unknown things or mixes types.
        case check
        /// The full-text query inside `search "…"`.
        case search
        /// The store failed while running a valid query.
        case execution
    }

    /// Which pass found it.
    public let phase: Phase
    /// One line saying what is wrong.
    public let message: String
    /// Where; nil only when the problem has no place in the text (e.g. the store is locked).
    public let span: SourceSpan?
    /// A suggestion: nearest name, expected tokens.
    public let hint: String?
    /// The query text, kept so the error can render itself.
    public let source: String

    /// Creates an error.
    public init(_ phase: Phase, _ message: String, at span: SourceSpan?, hint: String? = nil, source: String) {
        self.phase = phase
        self.message = message
        self.span = span
        self.hint = hint
        self.source = source
    }

    /// 1-based line of the span's start.
    public var line: Int? { span.map { Self.position(of: $0.start, in: source).line } }
    /// 1-based column (in characters) of the span's start.
    public var column: Int? { span.map { Self.position(of: $0.start, in: source).column } }

    /// Line and column of a scalar offset.
    static func position(of offset: Int, in source: String) -> (line: Int, column: Int) {
        var line = 1, column = 1, i = 0
        for s in source.unicodeScalars {
            if i >= offset { break }
            if s == "\n" { line += 1; column = 1 } else { column += 1 }
            i += 1
        }
        return (line, column)
    }

    /// The error as a user reads it:
    /// ```
    /// error: unknown field 'atribute' in descriptions
    ///  --> line 2, column 9
    ///   |
    /// 2 | | where atribute = "colour"
    ///   |         ^^^^^^^^
    ///   = hint: did you mean 'attribute'?
    /// ```
    public func rendered() -> String {
        var out = "error: \(message)"
        if let span {
            let (line, column) = Self.position(of: span.start, in: source)
            let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
            let text = line - 1 < lines.count ? String(lines[line - 1]).replacingTabs() : ""
            let gutter = String(repeating: " ", count: String(line).count)
            // The caret covers the span's part on its first line, at least one character.
            let lineLength = text.unicodeScalars.count
            let width = max(1, min(span.length, lineLength - (column - 1)))
            out += "\n\(gutter)--> line \(line), column \(column)"
            out += "\n\(gutter) |"
            out += "\n\(line) | \(text)"
            out += "\n\(gutter) | " + String(repeating: " ", count: column - 1) + String(repeating: "^", count: width)
            if let hint { out += "\n\(gutter) = hint: \(hint)" }
        } else if let hint {
            out += "\n  = hint: \(hint)"
        }
        return out
    }

    public var description: String { rendered() }
}

extension String {
    /// Tabs shown as one space so the caret column matches the text column.
    func replacingTabs() -> String { String(unicodeScalars.map { $0 == "\t" ? " " : Character($0) }) }
}
