import CSQLite
import Foundation

/// One SQLite connection: statements, transactions, savepoints. Not thread-safe; use one
/// connection per thread (WAL mode lets readers and one writer work side by side).
public final class Database {
    /// How to open the file.
    public enum Mode: Sendable {
        /// Read and write; create the file when missing.
        case readWriteCreate
        /// Read and write an existing file.
        case readWrite
        /// Read only.
        case readOnly
    }

    /// The path this connection was opened on (":memory:" for in-memory).
    public let path: String
    let handle: OpaquePointer
    private var cache: [String: Statement] = [:]
    private var savepointDepth = 0

    /// Opens (and for `.readWriteCreate` creates) a database file.
    public init(path: String, mode: Mode = .readWriteCreate, busyTimeoutMilliseconds: Int32 = 5000) throws {
        var db: OpaquePointer?
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        switch mode {
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        _ = Self.configureSQLite
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            if let db { sqlite3_close_v2(db) }
            throw DatabaseError(code: rc, message: message)
        }
        self.path = path
        self.handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
    }

    /// Turns off SQLite's memory statistics once, before its first connection opens. Debian's
    /// SQLite is built without lookaside, so every small allocation goes through malloc; with the
    /// statistics on, each one also takes a process-wide mutex, which the import's two threads
    /// (inserting, indexing) contended on (futex waits and wakes, ~10 % of a profile). Nothing in
    /// Descry reads `sqlite3_memory_used`. Too late (SQLite already initialised, for instance by
    /// another library) leaves the statistics on, which is only slower.
    static let configureSQLite: Void = {
        _ = descry_sqlite3_config_memstatus(0)
    }()

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// True when SQLite opened the main database read-only (by request or because the file is).
    public var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }

    /// Row id of the last successful INSERT on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last statement.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// True while a transaction is open.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    func error(code: Int32, sql: String?) -> DatabaseError {
        DatabaseError(code: code & 0xff, extendedCode: sqlite3_extended_errcode(handle),
                      message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Runs one or more SQL statements with no parameters and no results.
    public func execute(_ sql: String) throws {
        var errmsg: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errmsg)
        if rc != SQLITE_OK {
            let message = errmsg.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(errmsg)
            throw DatabaseError(code: rc & 0xff, extendedCode: sqlite3_extended_errcode(handle), message: message, sql: sql)
        }
    }

    /// Runs one statement with bound values.
    public func execute(_ sql: String, _ values: [DatabaseValueConvertible]) throws {
        try cachedStatement(sql).execute(values)
    }

    /// Prepares a fresh statement (caller owns it).
    public func prepare(_ sql: String) throws -> Statement { try Statement(database: self, sql: sql) }

    /// A prepared statement kept for the life of the connection, keyed by its SQL.
    public func cachedStatement(_ sql: String) throws -> Statement {
        if let s = cache[sql] { s.reset(); return s }
        let s = try Statement(database: self, sql: sql)
        cache[sql] = s
        return s
    }

    /// All rows of a query.
    public func rows(_ sql: String, _ values: [DatabaseValueConvertible] = []) throws -> [Row] {
        try cachedStatement(sql).rows(values)
    }

    /// The first column of the first row, or `.null` when there is no row.
    public func scalar(_ sql: String, _ values: [DatabaseValueConvertible] = []) throws -> DatabaseValue {
        let s = try cachedStatement(sql)
        defer { s.reset() }
        if !values.isEmpty || s.parameterCount > 0 { try s.bind(values) }
        return try s.step() ? s.value(at: 0) : .null
    }

    /// The first column of the first row as `T`; throws when there is no row, the value is NULL
    /// or of another storage class (the column is named `0` when unnamed).
    public func scalar<T: DatabaseValueDecodable>(_ type: T.Type, _ sql: String, _ values: [DatabaseValueConvertible] = []) throws -> T {
        guard let v = try scalarIfPresent(type, sql, values) else {
            throw RowDecodingError(column: "0", problem: .unexpectedNull(expected: T.databaseTypeName), sql: sql)
        }
        return v
    }

    /// The first column of the first row as `T`, nil when there is no row or it is NULL.
    public func scalarIfPresent<T: DatabaseValueDecodable>(_ type: T.Type, _ sql: String, _ values: [DatabaseValueConvertible] = []) throws -> T? {
        let v = try scalar(sql, values)
        if v.isNull { return nil }
        guard let decoded = T.decode(v) else {
            throw RowDecodingError(column: "0", problem: .typeMismatch(expected: T.databaseTypeName, found: v), sql: sql)
        }
        return decoded
    }

    /// The first row of a query, nil when there is none.
    public func row(_ sql: String, _ values: [DatabaseValueConvertible] = []) throws -> Row? {
        let s = try cachedStatement(sql)
        defer { s.reset() }
        if !values.isEmpty || s.parameterCount > 0 { try s.bind(values) }
        return try s.step() ? s.row() : nil
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    /// Nested calls become savepoints, so a failing inner step rolls back only itself.
    @discardableResult
    public func transaction<T>(_ kind: String = "IMMEDIATE", lockWait: LockWait? = nil, _ body: () throws -> T) throws -> T {
        if isInTransaction { return try savepoint(body) }
        try begin(kind, lockWait: lockWait)
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// How long `BEGIN` waits for another connection's write lock, beyond the busy timeout of
    /// each try, and whom to tell while it waits.
    public struct LockWait: Sendable {
        /// Total seconds to keep trying.
        public var timeout: Double
        /// Called after each failed try with the seconds waited so far.
        public var onWait: @Sendable (Double) -> Void
        public init(timeout: Double, onWait: @escaping @Sendable (Double) -> Void = { _ in }) {
            self.timeout = timeout
            self.onWait = onWait
        }
    }

    /// `BEGIN kind`, retried while another connection holds the write lock (SQLITE_BUSY) until
    /// `lockWait.timeout` seconds have passed; each try itself waits up to the busy timeout.
    func begin(_ kind: String, lockWait: LockWait?) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        while true {
            do {
                try execute("BEGIN \(kind)")
                return
            } catch let e as DatabaseError where e.code == SQLITE_BUSY {
                guard let lockWait else { throw e }
                let waited = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                if waited >= lockWait.timeout { throw e }
                lockWait.onWait(waited)
            }
        }
    }

    /// Runs `body` inside a named savepoint; rolls back to it when `body` throws.
    @discardableResult
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        savepointDepth += 1
        let name = "descry_sp\(savepointDepth)"
        defer { savepointDepth -= 1 }
        try execute("SAVEPOINT \(name)")
        do {
            let result = try body()
            try execute("RELEASE \(name)")
            return result
        } catch {
            try? execute("ROLLBACK TO \(name)")
            try? execute("RELEASE \(name)")
            throw error
        }
    }

    /// Asks a running statement on this connection to stop as soon as it can.
    public func interrupt() { sqlite3_interrupt(handle) }

    /// The SQLite library version string.
    public static var sqliteVersion: String { String(cString: sqlite3_libversion()) }
}
