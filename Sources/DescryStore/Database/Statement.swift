import CSQLite

/// SQLite wants this destructor marker so it copies bound text and blobs.
let SQLITE_TRANSIENT = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// A prepared statement with typed binding and stepping. Reusable: `reset()` between uses.
public final class Statement {
    /// The SQL text this statement was prepared from.
    public let sql: String
    let handle: OpaquePointer
    unowned let database: Database

    init(database: Database, sql: String) throws {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw database.error(code: rc, sql: sql)
        }
        self.sql = sql
        self.handle = stmt
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    /// Number of `?` parameters the statement takes.
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Number of result columns.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// Result column names.
    public var columnNames: [String] {
        (0..<Int32(columnCount)).map { String(cString: sqlite3_column_name(handle, $0)) }
    }

    /// Resets the statement and clears its bindings.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Resets the statement but keeps its bindings: for a hot loop that binds every parameter
    /// again before each step (clearing them costs a free per bound text).
    @inline(__always)
    public func resetKeepingBindings() { sqlite3_reset(handle) }

    /// Binds values to parameters 1…n, in order.
    public func bind(_ values: [DatabaseValueConvertible]) throws {
        guard values.count == parameterCount else {
            throw DatabaseError(code: SQLITE_RANGE, message: "statement takes \(parameterCount) parameters, got \(values.count)", sql: sql)
        }
        for (i, v) in values.enumerated() { try bind(v.databaseValue, at: Int32(i + 1)) }
    }

    /// Binds one value to parameter `index` (1-based).
    public func bind(_ value: DatabaseValue, at index: Int32) throws {
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, index)
        case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
        case .real(let v): rc = sqlite3_bind_double(handle, index, v)
        case .text(let v):
            // An explicit byte length: with -1 SQLite stops at the first NUL and silently cuts the text.
            rc = Self.bindUTF8(v, handle: handle, index: index)
        case .blob(let v):
            rc = v.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), SQLITE_TRANSIENT) }
        }
        if rc != SQLITE_OK { throw database.error(code: rc, sql: sql) }
    }

    /// Binds text by its UTF-8 bytes and their count. An empty string is bound as '' (a nil
    /// pointer would bind NULL).
    @inline(__always)
    static func bindUTF8(_ value: String, handle: OpaquePointer, index: Int32) -> Int32 {
        var v = value
        return v.withUTF8 { buf in
            guard let base = buf.baseAddress, buf.count > 0 else { return sqlite3_bind_text(handle, index, "", 0, SQLITE_TRANSIENT) }
            return sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(buf.count), SQLITE_TRANSIENT)
        }
    }

    /// Binds a text value without going through `DatabaseValue` (hot import path).
    @inline(__always)
    public func bindText(_ value: String, at index: Int32) {
        _ = Self.bindUTF8(value, handle: handle, index: index)
    }

    /// Binds an integer value (hot import path).
    @inline(__always)
    public func bindInt(_ value: Int64, at index: Int32) { sqlite3_bind_int64(handle, index, value) }

    /// Binds NULL (hot import path).
    @inline(__always)
    public func bindNull(at index: Int32) { sqlite3_bind_null(handle, index) }

    /// Binds a blob (hot import path).
    @inline(__always)
    public func bindBlob(_ bytes: UnsafeRawBufferPointer, at index: Int32) {
        sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), SQLITE_TRANSIENT)
    }

    /// Binds column `column` of `other`'s current row, whatever its type, to parameter `index`
    /// (SQLite copies the value): for copying rows between connections without decoding them.
    func bindColumn(_ column: Int32, of other: Statement, at index: Int32) throws {
        let rc = sqlite3_bind_value(handle, index, sqlite3_column_value(other.handle, column))
        if rc != SQLITE_OK { throw database.error(code: rc, sql: sql) }
    }

    /// Steps once. Returns true when a row is available, false when done.
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let err = database.error(code: rc, sql: sql)
            sqlite3_reset(handle)
            throw err
        }
    }

    /// Runs the statement to completion with the given bindings, then resets it.
    public func execute(_ values: [DatabaseValueConvertible] = []) throws {
        defer { reset() }
        if !values.isEmpty || parameterCount > 0 { try bind(values) }
        while try step() {}
    }

    /// The value of column `index` of the current row.
    public func value(at index: Int32) -> DatabaseValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT: return .text(text(at: index))
        case SQLITE_BLOB:
            let n = Int(sqlite3_column_bytes(handle, index))
            guard n > 0, let p = sqlite3_column_blob(handle, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: p, count: n)))
        default: return .null
        }
    }

    /// Column `index` as an integer (0 for NULL).
    @inline(__always)
    public func int(at index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    /// Column `index` as a double (0 for NULL).
    @inline(__always)
    public func double(at index: Int32) -> Double { sqlite3_column_double(handle, index) }

    /// Column `index` as text ("" for NULL).
    public func text(at index: Int32) -> String {
        guard let p = sqlite3_column_text(handle, index) else { return "" }
        let n = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    /// True when column `index` is NULL in the current row.
    public func isNull(at index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }

    /// Column `index` as raw bytes, handed to `body` without copying.
    public func withBlob<T>(at index: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let n = Int(sqlite3_column_bytes(handle, index))
        return try body(UnsafeRawBufferPointer(start: sqlite3_column_blob(handle, index), count: n))
    }

    /// The current row, copied.
    public func row() -> Row {
        let n = Int32(columnCount)
        return Row(columns: columnNames, values: (0..<n).map { value(at: $0) }, sql: sql)
    }

    /// Runs with bindings and returns every row, then resets.
    public func rows(_ values: [DatabaseValueConvertible] = []) throws -> [Row] {
        defer { reset() }
        if !values.isEmpty || parameterCount > 0 { try bind(values) }
        var out: [Row] = []
        let names = columnNames
        let n = Int32(names.count)
        while try step() { out.append(Row(columns: names, values: (0..<n).map { value(at: $0) }, sql: sql)) }
        return out
    }
}
