import DescryStore

/// Accumulates SQL text and the bindings of its `?` parameters in the same order, so a
/// parameter can never be matched to the wrong value.
struct SQLBuilder {
    private(set) var sql = ""
    private(set) var bindings: [DatabaseValue] = []

    mutating func append(_ text: String) { sql += text }

    mutating func bind(_ value: DatabaseValue) {
        sql += "?"
        bindings.append(value)
    }
}
