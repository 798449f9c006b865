/// A column of a query result: its name and DQL type.
public struct ResultColumn: Sendable, Equatable {
    /// The name (a field, an alias, or a pivot value).
    public let name: String
    /// The type the checker inferred; formatters align and print by it.
    public let type: ValueType

    /// Creates a column.
    public init(name: String, type: ValueType) {
        self.name = name
        self.type = type
    }
}
