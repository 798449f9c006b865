import DescryStore

/// The rows a query returned, with typed columns.
public struct QueryResult: Sendable, Equatable {
    /// The columns, in order.
    public let columns: [ResultColumn]
    /// The rows; each has one value per column.
    public let rows: [[DatabaseValue]]

    /// Creates a result.
    public init(columns: [ResultColumn], rows: [[DatabaseValue]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The values of the column called `name`.
    public func column(_ name: String) -> [DatabaseValue] {
        guard let i = columns.firstIndex(where: { $0.name == name }) else { return [] }
        return rows.map { $0[i] }
    }
}
