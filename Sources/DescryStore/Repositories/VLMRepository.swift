/// One vision-language model as the store knows it. A model that only appears as the target
/// of imported or generated data is a bare record (name only); `descry models add` fills in
/// the rest.
public struct VLMRecord: Sendable, Equatable {
    /// Row id.
    public var id: Int64
    /// The name users give it (`clip-b32`).
    public var name: String
    /// The model family (`clip`), once registered.
    public var family: String?
    /// Embedding size, once registered.
    public var dim: Int?
    /// Hash of the registered manifest and graphs (changes when the export changes).
    public var manifestHash: String?
    /// The registration as JSON text (written by DescryVision's model registry).
    public var manifest: String?

    /// A record.
    public init(id: Int64, name: String, family: String? = nil, dim: Int? = nil, manifestHash: String? = nil, manifest: String? = nil) {
        self.id = id
        self.name = name
        self.family = family
        self.dim = dim
        self.manifestHash = manifestHash
        self.manifest = manifest
    }

    /// True once a model's files were registered (not just its name).
    public var isRegistered: Bool { manifest != nil }
}

/// What registering a model records about it.
public struct VLMRegistration: Sendable, Equatable {
    /// The name to register it under.
    public var name: String
    /// The model family (`clip`).
    public var family: String
    /// Embedding size.
    public var dim: Int
    /// Hash of the manifest and graphs.
    public var manifestHash: String
    /// The registration as JSON text.
    public var manifest: String

    /// A registration.
    public init(name: String, family: String, dim: Int, manifestHash: String, manifest: String) {
        self.name = name
        self.family = family
        self.dim = dim
        self.manifestHash = manifestHash
        self.manifest = manifest
    }
}

/// Vision-language models (`vlms`), the one writer of that table.
///
/// Two writes, one semantics: `ensure(named:)` creates a bare record and never changes an
/// existing one; `register(_:)` creates or overwrites everything but the id and name, so a
/// model's id (and with it its embeddings, scores and runs) survives a re-registration.
public struct VLMRepository {
    let store: Store

    init(store: Store) { self.store = store }

    static let columns = "id, name, family, dim, manifest_hash, manifest"

    /// The id of a VLM, creating a bare record when missing.
    public func ensure(named name: String) throws -> Int64 {
        try store.wrap {
            if let id = try store.database.scalarIfPresent(Int64.self, "SELECT id FROM vlms WHERE name = ?", [name]) { return id }
            try store.database.execute("INSERT INTO vlms(name) VALUES (?)", [name])
            return store.database.lastInsertRowID
        }
    }

    /// Records a registered model under its name, replacing an earlier registration of that
    /// name (same id). Returns the id.
    @discardableResult
    public func register(_ r: VLMRegistration) throws -> Int64 {
        try store.write {
            try store.database.execute("""
                INSERT INTO vlms(name, family, dim, manifest_hash, manifest) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET
                    family = excluded.family, dim = excluded.dim, manifest_hash = excluded.manifest_hash, manifest = excluded.manifest
                """, [r.name, r.family, r.dim, r.manifestHash, r.manifest])
            // lastInsertRowID does not see the row an upsert updated: read the id back.
            return try store.database.scalar(Int64.self, "SELECT id FROM vlms WHERE name = ?", [r.name])
        }
    }

    /// The id of a VLM, or an error naming the known ones.
    public func id(named name: String) throws -> Int64 {
        if let id = try store.wrap({ try store.database.scalarIfPresent(Int64.self, "SELECT id FROM vlms WHERE name = ?", [name]) }) { return id }
        let known = try names()
        throw StoreError.notFound("unknown VLM '\(name)' (\(known.isEmpty ? "none registered; use `descry models add`" : "known: " + known.joined(separator: ", ")))")
    }

    /// The record of a VLM by name, nil when there is none.
    public func record(named name: String) throws -> VLMRecord? {
        try store.wrap {
            try store.database.row("SELECT \(Self.columns) FROM vlms WHERE name = ?", [name]).map(Self.record)
        }
    }

    /// The record of a VLM by id, nil when there is none.
    public func record(id: Int64) throws -> VLMRecord? {
        try store.wrap {
            try store.database.row("SELECT \(Self.columns) FROM vlms WHERE id = ?", [id]).map(Self.record)
        }
    }

    /// VLM names, sorted; with `registeredOnly`, only models whose files were registered.
    public func names(registeredOnly: Bool = false) throws -> [String] {
        try store.wrap {
            try store.database.rows(registeredOnly ? "SELECT name FROM vlms WHERE manifest IS NOT NULL ORDER BY name"
                                                   : "SELECT name FROM vlms ORDER BY name").map { try $0.string("name") }
        }
    }

    static func record(_ row: Row) throws -> VLMRecord {
        VLMRecord(id: try row.int64("id"), name: try row.string("name"), family: try row.optionalString("family"),
                  dim: try row.optionalInt("dim"), manifestHash: try row.optionalString("manifest_hash"),
                  manifest: try row.optionalString("manifest"))
    }
}

extension Store {
    /// Vision-language models (`vlms`).
    public var vlms: VLMRepository { VLMRepository(store: self) }
}
