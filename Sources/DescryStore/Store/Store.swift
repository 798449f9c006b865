import CSQLite
import Foundation

/// The Descry knowledge base: one SQLite file in WAL mode with foreign keys on, a versioned
/// schema migrated forward on open, and the typed operations the rest of Descry builds on.
public final class Store {
    /// The underlying connection. Package-scoped: only the store's repositories, the DQL
    /// engine's read-only door (`readOnlyQuery`) and the benchmarks' baselines use it.
    package let database: Database
    /// The store's path.
    public let path: String
    /// The taxonomy used to map raw attribute types when descriptions are written.
    public let taxonomy: AttributeTaxonomy

    /// Opens a store. With `create`, a missing file is created and migrated; without it a
    /// missing file is an error telling the user to run `descry init`. An existing store of
    /// an older schema is migrated forward; a newer one is refused.
    public convenience init(path: String, taxonomy: AttributeTaxonomy, create: Bool = false, readOnly: Bool = false,
                busyTimeout: Double = 5) throws {
        try self.init(path: path, taxonomy: taxonomy, create: create, readOnly: readOnly, busyTimeout: busyTimeout, immutable: nil)
    }

    /// `immutable`: nil decides from the folder's permissions; tests force it.
    init(path: String, taxonomy: AttributeTaxonomy, create: Bool, readOnly: Bool, busyTimeout: Double, immutable forced: Bool?) throws {
        self.path = path
        self.taxonomy = taxonomy
        let fm = FileManager.default
        let exists = fm.fileExists(atPath: path)
        if !exists && !create { throw StoreError.notInitialized(path) }
        if exists {
            // SQLite would answer "no permission" or hang on a FIFO, device or folder.
            // Through symbolic links: a link to a store is a store.
            let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            switch (try? fm.attributesOfItem(atPath: target)[.type] as? FileAttributeType) ?? nil {
            case .typeDirectory?: throw StoreError.cannotOpen(path, "it is a folder; give the store's file path")
            case let t? where t != .typeRegular:
                throw StoreError.cannotOpen(path, "it is not a regular file (a FIFO, device or socket)")
            default: break
            }
        }
        if !exists {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty && !fm.fileExists(atPath: dir) {
                throw StoreError.cannotOpen(path, "directory '\(dir)' does not exist")
            }
        }
        let busy = Int32(max(0, min(busyTimeout, 3600)) * 1000)
        // A WAL store in a folder this process cannot write cannot even be read normally
        // (SQLite must create `-shm`), so a read-only open there uses SQLite's immutable mode.
        let folder = (path as NSString).deletingLastPathComponent
        let immutable = forced ?? (readOnly && exists && !fm.isWritableFile(atPath: folder.isEmpty ? "." : folder))
        openedImmutable = immutable
        do {
            database = try Database(path: immutable ? Self.immutableURI(path) : path,
                                    mode: readOnly ? .readOnly : .readWriteCreate, busyTimeoutMilliseconds: busy)
        } catch let e as DatabaseError {
            if e.code == SQLITE_CANTOPEN || e.code == SQLITE_READONLY || e.code == SQLITE_PERM {
                throw StoreError.readOnly(path, e.message)
            }
            throw StoreError.cannotOpen(path, e.message)
        }
        try configure(readOnly: readOnly, create: create)
    }

    /// True when the store was opened in SQLite's immutable mode (read-only folder): changes
    /// another process makes meanwhile are not seen. The CLI says so.
    public private(set) var openedImmutable = false

    static func immutableURI(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let escaped = absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? absolute
        return "file:\(escaped)?immutable=1"
    }

    private func configure(readOnly: Bool, create: Bool) throws {
        do {
            // Touching the schema is what reveals a file that is not SQLite.
            _ = try database.scalar("SELECT count(*) FROM sqlite_master")
        } catch let e as DatabaseError where e.code == SQLITE_NOTADB {
            throw StoreError.notADatabase(path)
        } catch let e as DatabaseError {
            throw StoreError.cannotOpen(path, e.message)
        }
        let version = try schemaVersion()
        if version > Schema.latestVersion {
            throw StoreError.newerSchema(path: path, found: version, supported: Schema.latestVersion)
        }
        if version > 0 {
            // A non-empty SQLite file that is not ours (no descriptions table) is refused.
            let ours = try database.scalar(Int.self, "SELECT count(*) FROM sqlite_master WHERE name = 'descriptions'")
            if ours == 0 { throw StoreError.foreignDatabase(path) }
        } else {
            let tables = try database.scalar(Int.self, "SELECT count(*) FROM sqlite_master")
            if tables > 0 { throw StoreError.foreignDatabase(path) }
            // An empty file is not a store yet: only `create` (descry init) makes it one.
            if !create { throw StoreError.emptyStore(path) }
        }
        if readOnly && version < Schema.latestVersion {
            throw StoreError.needsMigration(path: path, found: version, current: Schema.latestVersion)
        }
        try wrap {
            try database.execute("PRAGMA foreign_keys = ON")
            if !readOnly {
                if database.isReadOnly { throw StoreError.readOnly(path, "the file or its directory is read-only") }
                try database.execute("PRAGMA journal_mode = WAL")
                try database.execute("PRAGMA synchronous = NORMAL")
            }
            try database.execute("PRAGMA cache_size = -65536")
            try database.execute("PRAGMA temp_store = MEMORY")
        }
        if !readOnly { try migrate(from: version) }
    }

    /// True when the connection cannot write (opened read-only, or the file is).
    public var isReadOnly: Bool { database.isReadOnly }

    /// The schema version recorded in the file (0 for a new file).
    public func schemaVersion() throws -> Int {
        try wrap { try database.scalar(Int.self, "PRAGMA user_version") }
    }

    /// Applies every migration after `version`, each in its own transaction.
    private func migrate(from version: Int) throws {
        for m in Schema.migrations where m.version > version {
            do {
                try database.transaction {
                    try database.execute(m.sql)
                    try database.execute("PRAGMA user_version = \(m.version)")
                }
            } catch let e as DatabaseError {
                if e.code == SQLITE_READONLY { throw StoreError.readOnly(path, e.message) }
                throw StoreError.cannotOpen(path, "migration \(m.version) (\(m.name)) failed: \(e.message)")
            }
        }
    }

    /// Runs `body`, turning SQLite errors into `StoreError.database`.
    @discardableResult
    public func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as DatabaseError {
            if e.code == SQLITE_READONLY { throw StoreError.readOnly(path, e.message) }
            throw StoreError.database(e)
        }
    }

    /// Types descriptions that arrive without a source attribute (attribute, category,
    /// confidence, reason); nil leaves them `unknown`. Set by the CLI to the rule auditor.
    public var typer: (any DescriptionTyper)?

    /// Seconds a write waits for another process's write lock before it gives up (default 10
    /// minutes: long bulk imports hold it that long; `DESCRY_LOCK_TIMEOUT` in the CLI).
    public var writeLockTimeout: Double = 600
    /// Told, about every busy timeout (5 s), how long a write has waited for the lock and which
    /// processes have the store open. Libraries never print; the CLI reports it.
    public var onWriteLockWait: (@Sendable (WriteLockWait) -> Void)?

    /// A write waiting for the lock.
    public struct WriteLockWait: Sendable {
        public var path: String
        public var waited: Double
        public var holders: [FileHolder]
    }

    /// Runs `body` in one transaction; everything it wrote is rolled back if it throws. Waits
    /// for another writer's lock up to `writeLockTimeout`, reporting through `onWriteLockWait`,
    /// and names the processes holding the store when it gives up.
    @discardableResult
    public func write<T>(_ body: () throws -> T) throws -> T {
        let path = self.path, report = onWriteLockWait
        let wait = Database.LockWait(timeout: writeLockTimeout) { waited in
            report?(WriteLockWait(path: path, waited: waited, holders: FileHolders.of([path, path + "-wal"])))
        }
        do {
            return try wrap { try database.transaction("IMMEDIATE", lockWait: wait, body) }
        } catch StoreError.database(let e) where e.code == SQLITE_BUSY {
            throw StoreError.locked(path, waited: writeLockTimeout, holders: FileHolders.of([path, path + "-wal"]))
        }
    }
}
