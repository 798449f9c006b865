import CSQLite

/// An error raised by SQLite, carrying the statement text and SQLite's own message.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// SQLite's primary result code (`SQLITE_CONSTRAINT`, `SQLITE_BUSY`, …).
    public let code: Int32
    /// SQLite's extended result code, when known.
    public let extendedCode: Int32
    /// SQLite's message, from `sqlite3_errmsg`.
    public let message: String
    /// The SQL that failed, when the error came from a statement.
    public let sql: String?

    /// Creates an error from its parts.
    public init(code: Int32, extendedCode: Int32? = nil, message: String, sql: String? = nil) {
        self.code = code
        self.extendedCode = extendedCode ?? code
        self.message = message
        self.sql = sql
    }

    /// True when the failure is a constraint violation (unique, check, foreign key).
    public var isConstraintViolation: Bool { code == SQLITE_CONSTRAINT }

    public var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql { text += " — while running: \(sql.trimmingCharacters(in: .whitespacesAndNewlines))" }
        return text
    }
}
