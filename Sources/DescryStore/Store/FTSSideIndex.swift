import CSQLite
import Foundation

/// Builds the FTS5 index of a bulk write on a second thread while the first one inserts the rows.
///
/// The index is built in a private temporary database (its own connection, deleted when it
/// closes) holding an FTS5 table declared exactly as the store's `descriptions_fts`, fed the
/// (rowid, text) of each new row through a bounded queue. `DescriptionWriter.finish()` then copies
/// its shadow tables (`_data`, `_idx`, `_docsize`) into the store's, inside the write transaction,
/// so crash safety is the store's: a killed import leaves the store as before and the private
/// file is gone with the process. The rows are fed in the order the plain path indexes them
/// (ascending rowid) with the same FTS5 configuration, so both build the same segments.
///
/// A straight copy is right only while the store's index is empty; `eligible(_:)` says when.
final class FTSSideIndex: @unchecked Sendable {
    // @unchecked: `queue`, `closed`, `cancelled`, `done` and `failure` are read and written
    // under `condition`; `db` and `insert` belong to the indexing thread until `done` is set,
    // then to the caller of `wait()`. `pending` belongs to the inserting thread.
    private let db: Database
    private let insert: Statement
    private let condition = NSCondition()
    private var queue: [[Entry]] = []
    private var closed = false
    private var cancelled = false
    private var done = false
    private var failure: Error?
    private var pending: [Entry] = []

    struct Entry { let id: Int64; let text: String }

    /// Rows per batch handed to the indexing thread, and batches queued at most (memory bound:
    /// a few thousand short texts, whose storage the rows being inserted already hold).
    static let batchSize = 2048
    static let maxQueued = 8

    /// True when the store's FTS5 index holds nothing the copy would overwrite: no descriptions,
    /// no segments, no document sizes, and no configuration beyond FTS5's own version record
    /// (the private table is built with the defaults).
    static func eligible(_ db: Database) throws -> Bool {
        try db.scalar(Int.self, "SELECT count(*) AS n FROM (SELECT 1 FROM descriptions LIMIT 1)") == 0 && (try indexIsEmpty(db))
    }

    /// True when the store's FTS5 index has no segments, no document sizes (FTS5 writes those at
    /// once, so rows indexed earlier in this transaction show even before their terms are
    /// flushed) and no configuration beyond its version record. Checked again before the copy:
    /// another writer in the same transaction may have indexed rows meanwhile.
    static func indexIsEmpty(_ db: Database) throws -> Bool {
        try db.scalar(Int.self, """
            SELECT (SELECT count(*) FROM descriptions_fts_data WHERE id > 10) + (SELECT count(*) FROM descriptions_fts_idx)
                 + (SELECT count(*) FROM descriptions_fts_docsize) + (SELECT count(*) FROM descriptions_fts_config WHERE k <> 'version') AS n
            """) == 0
    }

    /// Opens the private database, declares the store's FTS5 table in it and starts the thread.
    init(declaringLike store: Database) throws {
        let declaration = try store.scalar(String.self, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'descriptions_fts'")
        // "" opens a private on-disk temporary database, removed when the connection closes;
        // an in-memory one would add the whole index to the import's peak memory.
        db = try Database(path: "")
        try db.execute("PRAGMA journal_mode = OFF")
        try db.execute("PRAGMA synchronous = OFF")
        try db.execute(declaration)
        try db.execute("BEGIN")
        insert = try db.prepare("INSERT INTO descriptions_fts(rowid, text) VALUES (?, ?)")
        let thread = Thread { [self] in self.run() }
        thread.name = "descry-fts-index"
        thread.start()
    }

    /// Queues one new row (inserting thread only). Throws the indexing thread's error, if any.
    func add(id: Int64, text: String) throws {
        pending.append(Entry(id: id, text: text))
        if pending.count >= Self.batchSize { try flush() }
    }

    private func flush() throws {
        let batch = pending
        pending = []
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= Self.maxQueued && failure == nil { condition.wait() }
        if let failure { throw failure }
        queue.append(batch)
        condition.broadcast()
    }

    /// Ends the queue, waits for the indexing thread to commit, and returns the private database
    /// with the finished index (the caller now owns the connection).
    func wait() throws -> Database {
        if !pending.isEmpty { try flush() }
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
        while !done { condition.wait() }
        if let failure { throw failure }
        return db
    }

    /// Stops the indexing thread without waiting; it drops what is queued.
    func cancel() {
        condition.lock()
        closed = true
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !closed { condition.wait() }
            if cancelled || (queue.isEmpty && closed) {
                condition.unlock()
                break
            }
            let batch = queue.removeFirst()
            condition.broadcast()
            condition.unlock()
            do {
                for e in batch {
                    insert.bindInt(e.id, at: 1)
                    insert.bindText(e.text, at: 2)
                    defer { insert.resetKeepingBindings() }  // both parameters are bound again per row
                    try insert.step()
                }
            } catch {
                fail(error)
                return
            }
        }
        condition.lock()
        let finishing = !cancelled
        condition.unlock()
        do {
            // COMMIT flushes FTS5's pending terms into segments.
            if finishing { try db.execute("COMMIT") }
        } catch {
            fail(error)
            return
        }
        condition.lock()
        done = true
        condition.broadcast()
        condition.unlock()
    }

    private func fail(_ error: Error) {
        condition.lock()
        failure = error
        done = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// The shadow tables copied, with their columns, in the order FTS5 declares them.
    static let shadowTables: [(name: String, columns: String)] = [
        ("descriptions_fts_data", "id, block"),
        ("descriptions_fts_idx", "segid, term, pgno"),
        ("descriptions_fts_docsize", "id, sz"),
    ]

    /// Replaces the store's (empty) FTS5 shadow tables with the private index's, then makes the
    /// store connection's FTS5 table forget any structure record it cached before the copy.
    static func copy(from side: Database, into store: Database) throws {
        for t in shadowTables {
            try store.execute("DELETE FROM \(t.name)")
            let read = try side.prepare("SELECT \(t.columns) FROM \(t.name)")
            let n = Int32(read.columnCount)
            let placeholders = Array(repeating: "?", count: Int(n)).joined(separator: ", ")
            let write = try store.prepare("INSERT INTO \(t.name)(\(t.columns)) VALUES (\(placeholders))")
            while try read.step() {
                for i in 0..<n { try write.bindColumn(i, of: read, at: i + 1) }
                defer { write.reset() }
                try write.step()
            }
        }
        // A safeguard: FTS5 may keep the structure record (the list of segments) of an index it
        // has read on this connection, and drops it when a savepoint the table takes part in is
        // rolled back. A DELETE that matches nothing makes the table part of the savepoint
        // without changing anything. (With SQLite 3.40.1 a search before the copy sees the new
        // index with or without this step: FTSSideIndexTests checks the outcome, not the need.)
        try store.execute("SAVEPOINT descry_fts_reload")
        do {
            try store.execute("DELETE FROM descriptions_fts WHERE rowid = 0")
            try store.execute("ROLLBACK TO descry_fts_reload")
            try store.execute("RELEASE descry_fts_reload")
        } catch {
            try? store.execute("ROLLBACK TO descry_fts_reload")
            try? store.execute("RELEASE descry_fts_reload")
            throw error
        }
    }
}
