/// One `| stage` of a query.
public struct Stage: Sendable, Equatable {
    /// A named expression: `n = count()` or just `count()` / `class`.
    public struct Item: Sendable, Equatable {
        /// The name given with `name =`, and its span.
        public let alias: (String, SourceSpan)?
        /// The expression.
        public let expression: ExpressionNode

        /// Creates an item.
        public init(alias: (String, SourceSpan)?, expression: ExpressionNode) {
            self.alias = alias
            self.expression = expression
        }

        public static func == (a: Item, b: Item) -> Bool {
            a.alias?.0 == b.alias?.0 && a.alias?.1 == b.alias?.1 && a.expression == b.expression
        }
    }

    /// One sort key.
    public struct SortKey: Sendable, Equatable {
        /// What to sort by.
        public let expression: ExpressionNode
        /// Descending when true.
        public let descending: Bool

        /// Creates a key.
        public init(expression: ExpressionNode, descending: Bool) {
            self.expression = expression
            self.descending = descending
        }
    }

    /// The stages of the language.
    public enum Kind: Sendable, Equatable {
        /// `where condition`.
        case filter(ExpressionNode)
        /// `search "fts5 query"`, with the string's span.
        case search(String, SourceSpan)
        /// `group by key, …` (a key may be named: `family = lower(class)`).
        case group([Item])
        /// `aggregate item, …`.
        case aggregate([Item])
        /// `sort key [asc|desc], …`.
        case sort([SortKey])
        /// `top N [per field]`.
        case top(Int64, countSpan: SourceSpan, per: ExpressionNode?)
        /// `show item, …`.
        case show([Item])
        /// `pivot rows by columns value aggregate`.
        case pivot(rows: ExpressionNode, columns: ExpressionNode, value: ExpressionNode)
    }

    /// The stage.
    public let kind: Kind
    /// From the stage keyword to its last token.
    public let span: SourceSpan
    /// The stage keyword's span.
    public let keywordSpan: SourceSpan

    /// Creates a stage.
    public init(_ kind: Kind, span: SourceSpan, keywordSpan: SourceSpan) {
        self.kind = kind
        self.span = span
        self.keywordSpan = keywordSpan
    }
}
