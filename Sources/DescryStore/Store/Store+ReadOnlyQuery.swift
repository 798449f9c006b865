import CSQLite
import Dispatch

/// Limits on one run through `Store.readOnlyQuery`. Both are off by default.
package struct ReadOnlyQueryLimits: Sendable, Equatable {
    /// Stop the run when it has taken longer than this (SQLite interrupts the running
    /// statement from its progress handler).
    package var timeLimit: Duration?
    /// Fail a statement run with `rows` that returns more rows than this.
    package var maxRows: Int?

    /// No limits.
    package static let none = ReadOnlyQueryLimits()

    /// Creates limits; nil means unlimited.
    package init(timeLimit: Duration? = nil, maxRows: Int? = nil) {
        self.timeLimit = timeLimit
        self.maxRows = maxRows
    }
}

/// Why `Store.readOnlyQuery` stopped a run before its end.
package enum ReadOnlyQueryLimitError: Error, Sendable, Equatable {
    /// The run took longer than the time limit.
    case timeLimit(Duration)
    /// A statement returned more rows than the row limit.
    case rowLimit(Int)
}

/// The statements the DQL engine runs, while the store's connection is in SQLite's
/// `query_only` mode: it can read every table but write none (a write fails with
/// `SQLITE_READONLY`). Only valid inside the `Store.readOnlyQuery` call that made it.
///
/// Failures come back as SQLite reports them (`DatabaseError`, not wrapped in `StoreError`),
/// so the engine can turn them into positioned query errors.
package struct ReadOnlyQuery {
    let database: Database
    let maxRows: Int?

    /// Every row of one statement, prepared afresh (DQL statements rarely repeat).
    package func rows(_ sql: String, _ bindings: [DatabaseValue] = []) throws -> [Row] {
        let statement = try database.prepare(sql)
        guard let maxRows else { return try statement.rows(bindings) }
        var out: [Row] = []
        try forEachRow(statement, bindings) { row in
            guard out.count < maxRows else { throw ReadOnlyQueryLimitError.rowLimit(maxRows) }
            out.append(row)
        }
        return out
    }

    /// Hands the rows of one statement to `body` one at a time, without collecting them.
    package func forEachRow(_ sql: String, _ bindings: [DatabaseValue] = [], _ body: (Row) throws -> Void) throws {
        var count = 0
        try forEachRow(try database.prepare(sql), bindings) { row in
            count += 1
            if let maxRows, count > maxRows { throw ReadOnlyQueryLimitError.rowLimit(maxRows) }
            try body(row)
        }
    }

    private func forEachRow(_ statement: Statement, _ bindings: [DatabaseValue], _ body: (Row) throws -> Void) throws {
        defer { statement.reset() }
        if !bindings.isEmpty || statement.parameterCount > 0 { try statement.bind(bindings) }
        let names = statement.columnNames
        let n = Int32(names.count)
        while try statement.step() {
            try body(Row(columns: names, values: (0..<n).map { statement.value(at: $0) }, sql: statement.sql))
        }
    }
}

/// The end of a time limit, read by SQLite's progress handler on the connection's thread.
private final class Deadline {
    let end: UInt64
    var fired = false

    init(after limit: Duration) {
        let (seconds, attoseconds) = limit.components
        let nanoseconds = max(0, seconds) * 1_000_000_000 + max(0, attoseconds) / 1_000_000_000
        end = DispatchTime.now().uptimeNanoseconds &+ UInt64(clamping: nanoseconds)
    }
}

extension Store {
    /// The DQL engine's one door to the connection: runs `body` with SQLite's `query_only`
    /// switched on (and back off afterwards, when it was off), so nothing `body` runs
    /// through its `ReadOnlyQuery` can change the store, whatever SQL it holds.
    ///
    /// With a time limit, a progress handler interrupts the statement running when it runs
    /// out and the run throws `ReadOnlyQueryLimitError.timeLimit`; runs with a time limit must
    /// not nest. SQLite failures are thrown as `DatabaseError`.
    package func readOnlyQuery<T>(limits: ReadOnlyQueryLimits = .none, _ body: (ReadOnlyQuery) throws -> T) throws -> T {
        let previous = (try? database.scalarIfPresent(Int.self, "PRAGMA query_only")) ?? 0
        if previous == 0 { try? database.execute("PRAGMA query_only = 1") }
        defer { if previous == 0 { try? database.execute("PRAGMA query_only = 0") } }
        guard let timeLimit = limits.timeLimit else {
            return try body(ReadOnlyQuery(database: database, maxRows: limits.maxRows))
        }
        let deadline = Deadline(after: timeLimit)
        let context = Unmanaged.passRetained(deadline)
        // Checked every 1000 virtual-machine steps: cheap, and prompt enough for a person waiting.
        sqlite3_progress_handler(database.handle, 1000, { raw in
            guard let raw else { return 0 }
            let deadline = Unmanaged<Deadline>.fromOpaque(raw).takeUnretainedValue()
            guard DispatchTime.now().uptimeNanoseconds >= deadline.end else { return 0 }
            deadline.fired = true
            return 1
        }, context.toOpaque())
        defer {
            sqlite3_progress_handler(database.handle, 0, nil, nil)
            context.release()
        }
        do {
            return try body(ReadOnlyQuery(database: database, maxRows: limits.maxRows))
        } catch {
            // Whatever the interrupted statement reported (or how a caller wrapped it), the cause is the limit.
            if deadline.fired { throw ReadOnlyQueryLimitError.timeLimit(timeLimit) }
            throw error
        }
    }

    /// Registers the aggregates DQL compiles to (`descry_stddev`, `descry_median`,
    /// `descry_sqrt`) on the store's connection. Safe to call again.
    package func registerQueryFunctions() throws {
        try wrap { try database.registerStatisticsFunctions() }
    }
}
