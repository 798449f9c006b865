import DescryStore

/// An expression after checking: names resolved to catalog fields or relation columns,
/// literals turned into values to bind, and a type on every node.
public struct TypedExpression: Sendable {
    /// Scalar functions.
    public enum Function: String, Sendable, CaseIterable {
        case lower, upper, length, contains, coalesce, round, abs
    }
    /// Aggregate functions.
    public enum Aggregate: String, Sendable, CaseIterable {
        case count, sum, mean, min, max, stddev, median
    }

    /// The resolved shape.
    public indirect enum Kind: Sendable {
        /// A value, always bound as a parameter.
        case value(DatabaseValue)
        /// A catalog field, compiled to its SQL (only in the base relation).
        case field(FieldDefinition)
        /// A column of the previous stage's relation, by its internal SQL name.
        case column(String)
        /// `-x` / `not x`.
        case unary(ExpressionNode.UnaryOperator, TypedExpression)
        /// `a op b`.
        case binary(ExpressionNode.BinaryOperator, TypedExpression, TypedExpression)
        /// A scalar function call.
        case function(Function, [TypedExpression])
        /// An aggregate call; `nil` argument for `count()`.
        case aggregate(Aggregate, TypedExpression?)
        /// An aggregate recombined from the score rollup's partial sums (see `RollupPlanner`);
        /// `score` is alignment, lift, margin or content, `nil` for `count()`.
        case rollupAggregate(Aggregate, score: String?)
        /// `x [not] in [ … ]`.
        case inList(TypedExpression, [TypedExpression], negated: Bool)
        /// `x [not] between a and b`.
        case between(TypedExpression, TypedExpression, TypedExpression, negated: Bool)
        /// `x is [not] null`.
        case isNull(TypedExpression, negated: Bool)
        /// `x [not] like "glob"` (GLOB semantics: `*`, `?`, `[…]`, case-sensitive).
        case like(TypedExpression, TypedExpression, negated: Bool)
    }

    /// The shape.
    public let kind: Kind
    /// The type.
    public let type: ValueType

    /// Creates a node.
    public init(_ kind: Kind, _ type: ValueType) {
        self.kind = kind
        self.type = type
    }
}
