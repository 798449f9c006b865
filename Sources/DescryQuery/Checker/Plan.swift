/// A checked query, ready to compile: the base relation (source, projected fields, filters,
/// search) and the steps that reshape it, all with resolved names and types.
public struct Plan: Sendable {
    /// One ordering term: an internal column name and direction.
    public struct Order: Sendable, Equatable {
        /// Internal column name.
        public let column: String
        /// Descending when true.
        public let descending: Bool
        /// Creates a term.
        public init(_ column: String, descending: Bool) {
            self.column = column
            self.descending = descending
        }
    }

    /// A step over the previous relation; each compiles to one CTE.
    public enum Step: Sendable {
        /// Keep rows where the condition holds.
        case filter(TypedExpression)
        /// Add computed (hidden) columns, e.g. sort keys that are expressions.
        case extend([(String, TypedExpression)])
        /// Keep the first `count` rows in `order`.
        case limit(Int64, order: [Order])
        /// Keep the first `count` rows of each `partition` value, in `order`.
        case limitPer(Int64, partition: String, order: [Order])
        /// Replace the columns: computed items plus carried columns (ordering, keys).
        case project([(String, TypedExpression)], carry: [String])
        /// Group by keys and compute aggregate items.
        case aggregate(keys: [(String, TypedExpression)], items: [(String, TypedExpression)])
    }

    /// `pivot rows by columns value aggregate`, the last stage when present.
    public struct Pivot: Sendable {
        /// The row key, over the previous relation.
        public let rows: TypedExpression
        /// The row column as shown.
        public let rowColumn: PlanColumn
        /// The expression whose distinct values become columns.
        public let columns: TypedExpression
        /// The aggregate computed per cell.
        public let value: TypedExpression
        /// Span of the column expression, for errors about its values.
        public let columnsSpan: SourceSpan
    }

    /// The source.
    public let source: SourceDefinition
    /// Catalog fields projected by the base relation, with their internal names.
    public let baseFields: [(String, FieldDefinition)]
    /// Conditions on the base relation (leading `where` stages), over catalog fields.
    public let baseFilters: [TypedExpression]
    /// The FTS5 query of `search`, with the string's span.
    public let search: (text: String, span: SourceSpan)?
    /// When set, the FTS5 candidates are cut to the best `n` by rank before joins: only when
    /// that cannot change the result (a bare `search | top n`).
    public let searchLimit: Int64?
    /// The `n` of a `search … | top n` whose only other stages are `where` (on the source's
    /// fields, before the top) and `show`: the shape `BoundedSearch` can answer.
    public var searchTop: Int64?
    /// Internal names of the base relation's key columns (`k0`, …).
    public let keyColumns: [String]
    /// Steps after the base relation.
    public let steps: [Step]
    /// The columns the result shows, in order.
    public let output: [PlanColumn]
    /// Final ordering, ties broken by `tiebreak`.
    public let order: [Order]
    /// Columns that make the order total.
    public let tiebreak: [String]
    /// The pivot, when the query ends with one.
    public let pivot: Pivot?
    /// True when the base relation reads the score rollup instead of joining scores.
    public var usesRollup = false
    /// With `searchLimit`: the exact best rows and their bm25 ranks, found by `BoundedSearch`;
    /// the base relation then reads them instead of asking FTS5 to rank every match.
    public var searchCandidates: [(id: Int64, rank: Double)]?
}
