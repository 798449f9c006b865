/// One forward step of the schema. Migrations run in order, each in its own transaction,
/// and `PRAGMA user_version` records the last one applied.
public struct Migration: Sendable {
    /// The schema version this migration produces.
    public let version: Int
    /// A short name, shown by `descry stats --schema` and in errors.
    public let name: String
    /// The SQL that moves the schema from `version - 1` to `version`.
    public let sql: String

    /// Creates a migration.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}
