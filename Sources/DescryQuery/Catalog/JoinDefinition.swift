/// A table a source can join to reach related fields. The compiler adds a join only when a
/// field that needs it is used, together with the joins it depends on.
public struct JoinDefinition: Sendable {
    /// The alias used in SQL and in `FieldDefinition.joins`.
    public let alias: String
    /// The `JOIN … ON …` clause.
    public let sql: String
    /// Aliases that must be joined first.
    public let requires: [String]
    /// True when the join neither drops nor repeats rows of the source (a LEFT JOIN on a key,
    /// or an inner join on a NOT NULL foreign key); only then may `search` cut its candidates early.
    public let preservesRows: Bool

    /// Creates a join.
    public init(_ alias: String, _ sql: String, requires: [String] = [], preservesRows: Bool = false) {
        self.alias = alias
        self.sql = sql
        self.requires = requires
        self.preservesRows = preservesRows
    }
}
