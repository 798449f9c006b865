/// One result row, copied out of SQLite so it outlives the statement step.
///
/// Values are read by column name with typed, throwing accessors (`try row.int("count")`): a
/// renamed column, an unexpected NULL or a value of the wrong storage class becomes a
/// `RowDecodingError` naming the column and the SQL, never a crash.
public struct Row: Sendable, Equatable {
    /// Column names, in select order.
    public let columns: [String]
    /// Values, aligned with `columns`.
    public let values: [DatabaseValue]
    /// The SQL that produced the row, for error messages.
    public let sql: String?

    /// Creates a row from aligned names and values.
    public init(columns: [String], values: [DatabaseValue], sql: String? = nil) {
        self.columns = columns
        self.values = values
        self.sql = sql
    }

    /// The value of a named column, or `.null` when the row has no such column.
    /// For generic consumers (DQL results); typed code uses the throwing accessors.
    public subscript(name: String) -> DatabaseValue {
        guard let i = columns.firstIndex(of: name) else { return .null }
        return values[i]
    }

    /// The raw value of a column that must exist.
    public func value(_ column: String) throws -> DatabaseValue {
        guard let i = columns.firstIndex(of: column) else {
            throw RowDecodingError(column: column, problem: .missingColumn(available: columns), sql: sql)
        }
        return values[i]
    }

    /// A non-NULL value of `type`; throws for a missing column, NULL or another storage class.
    public func decode<T: DatabaseValueDecodable>(_ type: T.Type, _ column: String) throws -> T {
        let v = try value(column)
        if v.isNull { throw RowDecodingError(column: column, problem: .unexpectedNull(expected: T.databaseTypeName), sql: sql) }
        guard let decoded = T.decode(v) else {
            throw RowDecodingError(column: column, problem: .typeMismatch(expected: T.databaseTypeName, found: v), sql: sql)
        }
        return decoded
    }

    /// A value of `type`, or nil for NULL; throws for a missing column or another storage class.
    public func decodeIfPresent<T: DatabaseValueDecodable>(_ type: T.Type, _ column: String) throws -> T? {
        let v = try value(column)
        if v.isNull { return nil }
        guard let decoded = T.decode(v) else {
            throw RowDecodingError(column: column, problem: .typeMismatch(expected: T.databaseTypeName, found: v), sql: sql)
        }
        return decoded
    }

    public func int(_ column: String) throws -> Int { try decode(Int.self, column) }
    public func int64(_ column: String) throws -> Int64 { try decode(Int64.self, column) }
    public func double(_ column: String) throws -> Double { try decode(Double.self, column) }
    public func string(_ column: String) throws -> String { try decode(String.self, column) }
    public func blob(_ column: String) throws -> [UInt8] { try decode([UInt8].self, column) }
    public func bool(_ column: String) throws -> Bool { try decode(Bool.self, column) }

    public func optionalInt(_ column: String) throws -> Int? { try decodeIfPresent(Int.self, column) }
    public func optionalInt64(_ column: String) throws -> Int64? { try decodeIfPresent(Int64.self, column) }
    public func optionalDouble(_ column: String) throws -> Double? { try decodeIfPresent(Double.self, column) }
    public func optionalString(_ column: String) throws -> String? { try decodeIfPresent(String.self, column) }
    public func optionalBlob(_ column: String) throws -> [UInt8]? { try decodeIfPresent([UInt8].self, column) }
}

/// Why a row could not be decoded: the column, the problem and the SQL that produced the row.
public struct RowDecodingError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Problem: Sendable, Equatable {
        /// The row has no column of that name (the SQL or the schema drifted).
        case missingColumn(available: [String])
        /// The column is NULL where a value is required.
        case unexpectedNull(expected: String)
        /// The column holds another storage class.
        case typeMismatch(expected: String, found: DatabaseValue)
    }

    public let column: String
    public let problem: Problem
    public let sql: String?

    public init(column: String, problem: Problem, sql: String?) {
        self.column = column
        self.problem = problem
        self.sql = sql
    }

    public var description: String {
        var text: String
        switch problem {
        case .missingColumn(let available):
            text = "no column '\(column)' in the result (columns: \(available.joined(separator: ", ")))"
        case .unexpectedNull(let expected):
            text = "column '\(column)' is NULL where \(expected) was expected"
        case .typeMismatch(let expected, let found):
            text = "column '\(column)' holds \(found.storageClassName) where \(expected) was expected"
        }
        if let sql { text += " — in: \(sql.trimmingCharacters(in: .whitespacesAndNewlines))" }
        return "database row decoding failed: " + text
    }
}

/// A Swift type that can be read from one database value.
public protocol DatabaseValueDecodable {
    /// The value as `Self`, or nil when the storage class does not fit.
    static func decode(_ value: DatabaseValue) -> Self?
    /// The expected type, for messages.
    static var databaseTypeName: String { get }
}

extension Int: DatabaseValueDecodable {
    public static func decode(_ value: DatabaseValue) -> Int? { if case .integer(let v) = value { return Int(v) }; return nil }
    public static var databaseTypeName: String { "an integer" }
}
extension Int64: DatabaseValueDecodable {
    public static func decode(_ value: DatabaseValue) -> Int64? { if case .integer(let v) = value { return v }; return nil }
    public static var databaseTypeName: String { "an integer" }
}
extension Double: DatabaseValueDecodable {
    // SQLite hands back whole-valued REAL results of some expressions as INTEGER: accept both.
    public static func decode(_ value: DatabaseValue) -> Double? { value.double }
    public static var databaseTypeName: String { "a number" }
}
extension Float: DatabaseValueDecodable {
    public static func decode(_ value: DatabaseValue) -> Float? { value.double.map(Float.init) }
    public static var databaseTypeName: String { "a number" }
}
extension String: DatabaseValueDecodable {
    public static func decode(_ value: DatabaseValue) -> String? { value.string }
    public static var databaseTypeName: String { "text" }
}
extension Bool: DatabaseValueDecodable {
    public static func decode(_ value: DatabaseValue) -> Bool? { if case .integer(let v) = value { return v != 0 }; return nil }
    public static var databaseTypeName: String { "a boolean (integer)" }
}
extension Array: DatabaseValueDecodable where Element == UInt8 {
    public static func decode(_ value: DatabaseValue) -> [UInt8]? { if case .blob(let v) = value { return v }; return nil }
    public static var databaseTypeName: String { "a blob" }
}

extension DatabaseValue {
    /// SQLite's name of the storage class, for messages.
    public var storageClassName: String {
        switch self {
        case .null: return "NULL"
        case .integer: return "INTEGER"
        case .real: return "REAL"
        case .text: return "TEXT"
        case .blob: return "BLOB"
        }
    }
}
