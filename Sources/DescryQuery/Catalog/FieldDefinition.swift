/// A field a source offers: its DQL name, type, the SQL that computes it and the joins it needs.
/// The SQL comes only from this catalog, never from the query text.
public struct FieldDefinition: Sendable {
    /// The name users write.
    public let name: String
    /// Its type.
    public let type: ValueType
    /// SQL over the source's aliases.
    public let sql: String
    /// Join aliases it needs.
    public let joins: [String]
    /// One line for `:fields`.
    public let summary: String

    /// Creates a field.
    public init(_ name: String, _ type: ValueType, _ sql: String, joins: [String] = [], _ summary: String) {
        self.name = name
        self.type = type
        self.sql = sql
        self.joins = joins
        self.summary = summary
    }
}
