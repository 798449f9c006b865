import Foundation

/// A stored alias: another project's name for a class of a dataset.
public struct ClassAlias: Sendable, Equatable, Codable {
    /// The alias as the user wrote it.
    public var alias: String
    /// The class's row id.
    public var classID: Int64
    /// The class's index.
    public var classIndex: Int
    /// The class's name.
    public var className: String
    /// When it was stored (ISO 8601, UTC).
    public var created: String
}

/// What `addAlias` did.
public enum AliasChange: Sendable, Equatable {
    /// A new alias.
    case added
    /// The alias already named that class: nothing changed.
    case unchanged
    /// The alias named another class (this one) and now names the new one.
    case replaced(previous: ClassRecord)
}

/// One matched key as recorded with its import's source (`class_matches`).
public struct SourceClassMatch: Sendable, Equatable {
    /// The key as the file wrote it.
    public var key: String
    /// The class's row id.
    public var classID: Int64
    /// How it was matched.
    public var method: ClassMatchMethod
    /// For a fuzzy match, the rule that accepted it.
    public var rule: String?

    /// Creates a record.
    public init(key: String, classID: Int64, method: ClassMatchMethod, rule: String? = nil) {
        self.key = key
        self.classID = classID
        self.method = method
        self.rule = rule
    }
}

/// Class names across projects: the aliases of each dataset (`class_aliases`) and, per
/// imported source, which key was matched to which class how (`class_matches`).
///
/// The one owner of SQL against these two tables; see `Docs/architecture.md`.
public struct ClassMatchingRepository {
    let store: Store

    init(store: Store) { self.store = store }

    /// The aliases of a dataset, by class index then alias.
    public func aliases(datasetID: Int64) throws -> [ClassAlias] {
        try store.wrap {
            try store.database.rows("""
                SELECT a.alias, a.class_id, c.idx, c.name, a.created FROM class_aliases a JOIN classes c ON c.id = a.class_id
                WHERE a.dataset_id = ? ORDER BY c.idx, a.alias_key
                """, [datasetID]).map {
                ClassAlias(alias: try $0.string("alias"), classID: try $0.int64("class_id"), classIndex: try $0.int("idx"),
                           className: try $0.string("name"), created: try $0.string("created"))
            }
        }
    }

    /// A matcher for a dataset: its classes and stored aliases, with this import's map.
    public func matcher(datasetID: Int64, map: [ClassMapEntry] = [], mode: ClassMatchMode = .normalized) throws -> ClassMatcher {
        let classes = try store.classes(ofDataset: datasetID)
        let aliases = try aliases(datasetID: datasetID).map { (alias: $0.alias, classID: $0.classID) }
        return ClassMatcher(classes: classes, aliases: aliases, map: map, mode: mode)
    }

    /// Makes `alias` name the class `className` (its exact or normalised name) of `dataset`.
    /// Idempotent; an alias that names another class is a conflict unless `replace`. An alias
    /// that is itself the name of a class is refused (it would never be looked up), and so
    /// is an unknown class, with the nearest ones.
    @discardableResult
    public func addAlias(dataset: String, alias: String, className: String, replace: Bool = false) throws -> AliasChange {
        try store.write {
            let dsID = try store.datasetID(named: dataset)
            let matcher = try matcher(datasetID: dsID)
            guard let target = matcher.className(className) else {
                throw StoreError.notFound("dataset \(Excerpt.quote(dataset)) has no class \(Excerpt.quote(className))" + Self.nearest(matcher, className))
            }
            return try put(alias: alias, target: target, datasetID: dsID, dataset: dataset, matcher: matcher, replace: replace)
        }
    }

    /// Stores an alias inside the caller's write (also used by `--save-aliases` at import).
    func put(alias: String, target: ClassRecord, datasetID: Int64, dataset: String, matcher: ClassMatcher, replace: Bool) throws -> AliasChange {
        if let problem = ClassName.problem(alias) { throw StoreError.conflict("alias \(Excerpt.quote(alias)) is refused: \(problem)") }
        let key = ClassName.normalizedKey(alias)
        if let named = matcher.className(alias) {
            if named.id == target.id { return .unchanged }
            throw StoreError.conflict("\(Excerpt.quote(alias)) is already the name of class \(named.index) \(Excerpt.quote(named.name)) of \(Excerpt.quote(dataset)); an alias cannot name another class")
        }
        if let c = matcher.collisions.first(where: { $0.key == key || $0.key == ClassMatcher.compact(key) }) {
            let names = c.classes.map { Excerpt.quote($0.name) }.joined(separator: " and ")
            throw StoreError.conflict("\(Excerpt.quote(alias)) reads as the name of classes \(names) of \(Excerpt.quote(dataset)); choose an alias that names neither")
        }
        return try store.wrap {
            let db = store.database
            if let row = try db.rows("""
                SELECT a.class_id, c.idx, c.name FROM class_aliases a JOIN classes c ON c.id = a.class_id
                WHERE a.dataset_id = ? AND a.alias_key = ?
                """, [datasetID, key]).first {
                let previous = ClassRecord(id: try row.int64("class_id"), index: try row.int("idx"), name: try row.string("name"))
                if previous.id == target.id { return .unchanged }
                guard replace else {
                    throw StoreError.conflict("alias \(Excerpt.quote(alias)) of \(Excerpt.quote(dataset)) already names class \(previous.index) \(Excerpt.quote(previous.name)); pass --replace to point it at \(Excerpt.quote(target.name))")
                }
                try db.execute("UPDATE class_aliases SET alias = ?, class_id = ?, created = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE dataset_id = ? AND alias_key = ?",
                               [alias, target.id, datasetID, key])
                return .replaced(previous: previous)
            }
            try db.execute("INSERT INTO class_aliases(dataset_id, alias, alias_key, class_id) VALUES (?, ?, ?, ?)", [datasetID, alias, key, target.id])
            return .added
        }
    }

    /// Removes an alias (compared by its normalised form) and returns it; an unknown alias is
    /// an error listing the dataset's aliases.
    @discardableResult
    public func removeAlias(dataset: String, alias: String) throws -> ClassAlias {
        try store.write {
            let dsID = try store.datasetID(named: dataset)
            let all = try aliases(datasetID: dsID)
            let key = ClassName.normalizedKey(alias)
            guard let found = all.first(where: { ClassName.normalizedKey($0.alias) == key }) else {
                let known = all.prefix(20).map { Excerpt.quote($0.alias) }.joined(separator: ", ")
                throw StoreError.notFound("dataset \(Excerpt.quote(dataset)) has no alias \(Excerpt.quote(alias))"
                    + (all.isEmpty ? " (it has no aliases)" : " (its aliases: \(known)\(all.count > 20 ? ", …" : ""))"))
            }
            try store.wrap { try store.database.execute("DELETE FROM class_aliases WHERE dataset_id = ? AND alias_key = ?", [dsID, key]) }
            return found
        }
    }

    /// Records how the keys of one source were matched (inside the import's write). A source
    /// imported again keeps one row per key and class, with the latest method.
    public func record(sourceID: Int64, _ matches: [SourceClassMatch]) throws {
        try store.wrap {
            let stmt = try store.database.cachedStatement("""
                INSERT INTO class_matches(source_id, key, class_id, method, rule) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(source_id, key, class_id) DO UPDATE SET method = excluded.method, rule = excluded.rule
                """)
            for m in matches { try stmt.execute([sourceID, m.key, m.classID, m.method.rawValue, m.rule]) }
        }
    }

    /// How the keys of one source were matched, by key.
    public func matches(sourceID: Int64) throws -> [SourceClassMatch] {
        try store.wrap {
            try store.database.rows("SELECT key, class_id, method, rule FROM class_matches WHERE source_id = ? ORDER BY key, class_id", [sourceID]).map {
                let raw = try $0.string("method")
                guard let method = ClassMatchMethod(rawValue: raw) else {
                    throw StoreError.notFound("class_matches holds an unknown method \(Excerpt.quote(raw))")
                }
                return SourceClassMatch(key: try $0.string("key"), classID: try $0.int64("class_id"), method: method, rule: try $0.optionalString("rule"))
            }
        }
    }

    /// "; nearest: 'a', 'b'" for an unknown class name, or "" when nothing is near.
    static func nearest(_ matcher: ClassMatcher, _ name: String) -> String {
        let near = matcher.nearest(name)
        return near.isEmpty ? "" : "; nearest: " + near.map { Excerpt.quote($0.name) }.joined(separator: ", ")
    }
}

extension Store {
    /// Class aliases and match provenance (`class_aliases`, `class_matches`).
    public var classMatching: ClassMatchingRepository { ClassMatchingRepository(store: self) }
}
