/// An expression of the query's AST, with its span. `depth` is the height of the tree below
/// it, kept so every later pass can rely on a bounded recursion depth.
public struct ExpressionNode: Sendable, Equatable {
    /// Unary operators.
    public enum UnaryOperator: String, Sendable { case negate = "-", not }
    /// Binary operators, from `or` (loosest) to `*` (tightest).
    public enum BinaryOperator: String, Sendable {
        case or, and
        case equal = "=", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
        case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    }

    /// The shape of the expression.
    public indirect enum Kind: Sendable, Equatable {
        /// A constant.
        case literal(Literal)
        /// A field or column name.
        case name(String)
        /// `-x`, `not x`.
        case unary(UnaryOperator, ExpressionNode)
        /// `a op b`.
        case binary(BinaryOperator, ExpressionNode, ExpressionNode)
        /// `f(args)`; `nameSpan` points at the function's name.
        case call(String, [ExpressionNode], nameSpan: SourceSpan)
        /// `x [not] in [a, b]`.
        case inList(ExpressionNode, [ExpressionNode], negated: Bool)
        /// `x [not] between a and b`.
        case between(ExpressionNode, ExpressionNode, ExpressionNode, negated: Bool)
        /// `x is [not] null`.
        case isNull(ExpressionNode, negated: Bool)
        /// `x [not] like "glob*"`.
        case like(ExpressionNode, ExpressionNode, negated: Bool)
    }

    /// The shape.
    public let kind: Kind
    /// Where it was written.
    public let span: SourceSpan
    /// Height of the tree (1 for a leaf).
    public let depth: Int

    /// Creates a node; its depth is one more than its deepest child's.
    public init(_ kind: Kind, span: SourceSpan) {
        self.kind = kind
        self.span = span
        var d = 0
        switch kind {
        case .literal, .name: d = 0
        case .unary(_, let e), .isNull(let e, _): d = e.depth
        case .binary(_, let a, let b), .like(let a, let b, _): d = max(a.depth, b.depth)
        case .call(_, let args, _): d = args.map(\.depth).max() ?? 0
        case .inList(let e, let list, _): d = max(e.depth, list.map(\.depth).max() ?? 0)
        case .between(let a, let b, let c, _): d = max(a.depth, b.depth, c.depth)
        }
        self.depth = d + 1
    }
}
