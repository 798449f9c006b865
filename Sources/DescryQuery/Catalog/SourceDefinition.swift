/// A source a query can start from: its base table, its joins and its fields.
public struct SourceDefinition: Sendable {
    /// The name users write (`descriptions`).
    public let name: String
    /// One line for `:sources`.
    public let summary: String
    /// What one row is, stated for the reference (e.g. "one row per description; per description × VLM once a score field is used").
    public let grain: String
    /// `FROM` clause body: table and alias.
    public let table: String
    /// A unique, stable key of one row (SQL, comma-separated parts), used to break sort ties so
    /// results are deterministic. A part on a join's alias counts only when that join is used
    /// (`s.vlm_id` tells description × VLM rows apart; without scores it is NULL).
    public let key: String
    /// The joins fields may need, in the order they are added.
    public let joins: [JoinDefinition]
    /// The fields.
    public let fields: [FieldDefinition]
    /// Fields shown when the query has no `show` or `aggregate`.
    public let defaultFields: [String]
    /// SQL for the description id a `search` matches against, when the source has description text.
    public let searchKey: String?

    /// Creates a source.
    public init(name: String, summary: String, grain: String, table: String, key: String, joins: [JoinDefinition],
                fields: [FieldDefinition], defaultFields: [String], searchKey: String?) {
        self.name = name
        self.summary = summary
        self.grain = grain
        self.table = table
        self.key = key
        self.joins = joins
        self.fields = fields
        self.defaultFields = defaultFields
        self.searchKey = searchKey
    }

    /// The field called `name`, if any.
    public func field(_ name: String) -> FieldDefinition? { fields.first { $0.name == name.lowercased() } }
}
