/// One result row, copied out of SQLite so it outlives the statement step.
public struct Row: Sendable, Equatable {
    /// Column names, in select order.
    public let columns: [String]
    /// Values, aligned with `columns`.
    public let values: [DatabaseValue]

    /// Creates a row from aligned names and values.
    public init(columns: [String], values: [DatabaseValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value at a column position.
    public subscript(index: Int) -> DatabaseValue { values[index] }

    /// The value of a named column, or `.null` when the row has no such column.
    public subscript(name: String) -> DatabaseValue {
        guard let i = columns.firstIndex(of: name) else { return .null }
        return values[i]
    }
}
