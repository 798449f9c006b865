/// Where in an input file something went wrong: a file, and when known a line and column
/// and a path inside the document (`"17_26".prompt_pairs[2]`).
public struct InputLocation: Sendable, Equatable, CustomStringConvertible {
    /// The file, as the user named it.
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?
    /// A path inside the document (JSON keys and indexes), when known.
    public var path: String?

    /// Creates a location.
    public init(file: String, line: Int? = nil, column: Int? = nil, path: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        if let path { s += " (at \(path))" }
        return s
    }
}

/// Every failure of the store module, each with a one-line message that names what is at fault.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    /// The input file does not exist or cannot be read.
    case fileNotFound(String)
    /// The input file is not valid UTF-8.
    case notUTF8(InputLocation)
    /// The input is not well-formed JSON.
    case malformedJSON(InputLocation, String)
    /// The input is well-formed but its content breaks a rule of its format.
    case invalidInput(InputLocation, String)
    /// The store path holds a file that is not an SQLite database.
    case notADatabase(String)
    /// The store path holds an SQLite database that is not a Descry store.
    case foreignDatabase(String)
    /// The store path holds an empty file, and the command does not create stores.
    case emptyStore(String)
    /// A reading command met a store of an older schema; reading commands never migrate.
    case needsMigration(path: String, found: Int, current: Int)
    /// The store was written by a newer Descry.
    case newerSchema(path: String, found: Int, supported: Int)
    /// The store cannot be written (read-only file, directory or file system).
    case readOnly(String, String)
    /// The store could not be opened or created.
    case cannotOpen(String, String)
    /// The store has not been initialised (`descry init`).
    case notInitialized(String)
    /// A named dataset is not in the store.
    case unknownDataset(String, known: [String])
    /// A lookup by name found nothing.
    case notFound(String)
    /// A change would contradict what is stored (an alias that already names another class).
    case conflict(String)
    /// Another process held the write lock for longer than the write would wait.
    case locked(String, waited: Double, holders: [FileHolder])
    /// An SQLite failure, with the SQL and SQLite's message.
    case database(DatabaseError)

    public var description: String {
        switch self {
        case .fileNotFound(let p): return "\(p): no such file or it cannot be read"
        case .notUTF8(let loc): return "\(loc): the file is not valid UTF-8 text"
        case .malformedJSON(let loc, let m): return "\(loc): malformed JSON: \(m)"
        case .invalidInput(let loc, let m): return "\(loc): \(m)"
        case .notADatabase(let p): return "\(p): not a Descry store (the file is not an SQLite database)"
        case .foreignDatabase(let p):
            return "\(p): an SQLite database, but not a Descry store (it has no descriptions table); point --store at a Descry store or a new path"
        case .emptyStore(let p): return "\(p): the file is empty, not a Descry store yet; run `descry init` to make it one"
        case .needsMigration(let p, let found, let current):
            return "\(p): the store has schema version \(found) and this descry uses \(current); reading commands never migrate, so run `descry init` (it migrates an existing store) first"
        case .newerSchema(let p, let found, let supported):
            return "\(p): the store has schema version \(found), but this descry supports up to \(supported); upgrade descry"
        case .readOnly(let p, let why): return "\(p): the store cannot be written (\(why))"
        case .cannotOpen(let p, let why): return "\(p): cannot open the store (\(why))"
        case .notInitialized(let p): return "\(p): no Descry store here; run `descry init` first"
        case .unknownDataset(let name, let known):
            let list = known.isEmpty ? "the store has no datasets yet" : "known: \(known.joined(separator: ", "))"
            return "unknown dataset '\(name)' (\(list))"
        case .notFound(let m): return m
        case .conflict(let m): return m
        case .locked(let p, let waited, let holders):
            let who = holders.isEmpty ? "another process" : holders.map(\.description).joined(separator: ", ")
            return "\(p): the store is being written by \(who); gave up after waiting \(Int(waited)) s for its write lock (raise DESCRY_LOCK_TIMEOUT to wait longer)"
        case .database(let e): return e.description
        }
    }
}
