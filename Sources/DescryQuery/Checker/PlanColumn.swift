/// A column of a stage's relation: the name users see and the internal SQL name the
/// compiler uses (internal names are generated, so user-chosen names never reach SQL).
public struct PlanColumn: Sendable, Equatable {
    /// The user-visible name.
    public let name: String
    /// The generated SQL name (`f_dataset`, `c3`, `g1`).
    public let sqlName: String
    /// The type.
    public let type: ValueType

    /// Creates a column.
    public init(name: String, sqlName: String, type: ValueType) {
        self.name = name
        self.sqlName = sqlName
        self.type = type
    }
}
