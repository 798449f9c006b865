import Foundation

/// Writes descriptions inside one transaction: dedupes by content hash, maps raw attribute
/// types through the taxonomy, links differential sides to their pairs, and indexes the new
/// rows in FTS5 when `finish()` is called — all in the caller's transaction, so a killed
/// process leaves neither rows without index entries nor index entries without rows.
public final class DescriptionWriter {
    let store: Store
    let sourceID: Int64
    private let insert: Statement
    private let lookup: Statement
    private let firstNewID: Int64
    private var mappings: [String: AttributeMapping] = [:]
    /// The stored reason of each raw type's mapping, built once per type, not once per row.
    private var mappingReasons: [String: String] = [:]
    private var pairIDs: [PairKey: Int64] = [:]
    /// Descriptions newly stored so far.
    public private(set) var added = 0
    /// Descriptions found already stored.
    public private(set) var existing = 0
    /// Pairs created so far.
    public private(set) var pairsAdded = 0
    /// Pair slots linked so far.
    public private(set) var slotsAdded = 0

    struct HashKey: Hashable { let a: UInt64; let b: UInt64 }
    struct PairKey: Hashable { let dataset: Int64; let a: Int64; let b: Int64; let vlm: Int64 }

    /// Secondary indexes dropped for a bulk write and rebuilt by `finish()`.
    static let bulkIndexes = [
        "CREATE INDEX descriptions_by_class ON descriptions(dataset_id, class_id, kind)",
        "CREATE INDEX descriptions_by_attribute ON descriptions(dataset_id, attribute, category)",
    ]
    private let bulk: Bool
    /// The FTS5 index being built on a second thread, for a bulk write into a store whose
    /// index is empty; nil on the plain path (`finish()` indexes the new rows itself).
    private var sideIndex: FTSSideIndex?
    /// True when this writer builds the FTS5 index on a second thread (set at the start).
    private(set) var indexesOnSecondThread = false

    /// Starts a writer for one source. Must be used inside `Store.write`. With `bulk` (for
    /// writes of many rows, say 50,000 and more) the secondary indexes are dropped and rebuilt
    /// by `finish()`: one sort beats a random B-tree insert per row. The drop is part of the
    /// transaction, so a failed or killed import leaves the indexes as they were. A bulk write
    /// into a store without descriptions also builds the FTS5 index on a second thread while
    /// the rows go in (`FTSSideIndex`).
    public convenience init(store: Store, sourceID: Int64, bulk: Bool = false) throws {
        try self.init(store: store, sourceID: sourceID, bulk: bulk, indexOnSecondThread: bulk)
    }

    /// As above; `indexOnSecondThread: false` keeps a bulk write on the plain path, where
    /// `finish()` indexes the new rows itself (tests and the import benchmark compare both).
    public init(store: Store, sourceID: Int64, bulk: Bool, indexOnSecondThread: Bool) throws {
        self.store = store
        self.sourceID = sourceID
        self.bulk = bulk
        let db = store.database
        precondition(db.isInTransaction, "DescriptionWriter must run inside Store.write")
        // Foreign keys are checked at commit instead of per statement: an immediate check makes
        // SQLite keep a statement journal for every insert, which costs more than the insert.
        // A violation still fails the whole transaction. The setting ends with the transaction.
        try store.wrap { try db.execute("PRAGMA defer_foreign_keys = ON") }
        if bulk {
            try store.wrap {
                try db.execute("DROP INDEX IF EXISTS descriptions_by_class")
                try db.execute("DROP INDEX IF EXISTS descriptions_by_attribute")
            }
        }
        insert = try store.wrap { try db.cachedStatement("""
            INSERT INTO descriptions(dataset_id, class_id, text, kind, source_id, attribute_raw, attribute, category, content_hash,
                                     attribute_confidence, attribute_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(content_hash) DO NOTHING
            """) }
        lookup = try store.wrap { try db.cachedStatement("SELECT id FROM descriptions WHERE content_hash = ?") }
        firstNewID = try store.wrap { try db.scalar(Int64.self, "SELECT coalesce(max(id), 0) + 1 AS next_id FROM descriptions") }
        if indexOnSecondThread, try store.wrap({ try FTSSideIndex.eligible(db) }) {
            sideIndex = try store.wrap { try FTSSideIndex(declaringLike: db) }
            indexesOnSecondThread = true
        }
    }

    deinit { sideIndex?.cancel() }

    /// The dedupe key: dataset, class, kind and exact text.
    static func contentKey(_ d: NewDescription) -> HashKey {
        // The prefix (dataset, class, kind) is hashed first and seeds the hash of the text,
        // so the text bytes are hashed in place without building a buffer.
        var prefix = (UInt64(bitPattern: d.datasetID ?? -1).littleEndian, UInt64(bitPattern: d.classID ?? -1).littleEndian,
                      UInt64(kindOrdinal(d.kind)).littleEndian)
        let seed = withUnsafeBytes(of: &prefix) { Hashing.murmur128($0).0 }
        var text = d.text
        let (a, b) = text.withUTF8 { Hashing.murmur128(UnsafeRawBufferPointer($0), seed: seed) }
        return HashKey(a: a, b: b)
    }

    /// The kind's position in `DescriptionKind.allCases` (part of the content hash), without
    /// building the `allCases` array per row.
    static func kindOrdinal(_ kind: DescriptionKind) -> Int { kindOrdinals[kind]! }
    private static let kindOrdinals = Dictionary(uniqueKeysWithValues: DescriptionKind.allCases.enumerated().map { ($1, $0) })

    /// A class's name, for the typer (which reads past the name), memoised per writer.
    private var classNames: [Int64: String] = [:]
    func className(_ id: Int64?) throws -> String? {
        guard let id else { return nil }
        if let n = classNames[id] { return n }
        let n = try store.wrap { try store.database.scalarIfPresent(String.self, "SELECT name FROM classes WHERE id = ?", [id]) }
        classNames[id] = n
        return n
    }

    /// The taxonomy's mapping for a raw type, memoised.
    public func mapping(for raw: String) -> AttributeMapping {
        if let m = mappings[raw] { return m }
        let m = store.taxonomy.map(raw)
        mappings[raw] = m
        return m
    }

    /// Stores a description unless an identical one exists; returns its id either way.
    @discardableResult
    public func add(_ d: NewDescription) throws -> (id: Int64, inserted: Bool) {
        let key = Self.contentKey(d)
        // Repeats are found by the unique hash index (ON CONFLICT DO NOTHING, then a lookup),
        // so memory stays flat however large the import.
        var hash = (key.a.littleEndian, key.b.littleEndian)
        let attr: AttributeMapping? = d.attributeRaw.map { mapping(for: $0) }
        var attribute = attr?.attribute
        var category: AttributeCategory
        var confidence: Double?
        var reason: String? = attr.map { m in
            if let raw = d.attributeRaw, let r = mappingReasons[raw] { return r }
            let r = "source attribute '\(m.raw)': \(m.rule)"
            if let raw = d.attributeRaw { mappingReasons[raw] = r }
            return r
        }
        switch d.kind {
        case .template, .classname: category = .spurious
        default: category = attr?.category ?? .unknown
        }
        if attr == nil, d.kind == .class || d.kind == .differential, let typer = store.typer {
            let t = typer.type(text: d.text, kind: d.kind, attributeRaw: nil, className: try className(d.classID))
            (attribute, category, confidence, reason) = (t.attribute, t.category, t.confidence, t.reason)
        } else if attr != nil {
            confidence = 0.8
        }
        return try store.wrap {
            if let ds = d.datasetID { insert.bindInt(ds, at: 1) } else { insert.bindNull(at: 1) }
            if let c = d.classID { insert.bindInt(c, at: 2) } else { insert.bindNull(at: 2) }
            insert.bindText(d.text, at: 3)
            insert.bindText(d.kind.rawValue, at: 4)
            insert.bindInt(sourceID, at: 5)
            if let raw = d.attributeRaw { insert.bindText(raw, at: 6) } else { insert.bindNull(at: 6) }
            if let a = attribute { insert.bindText(a, at: 7) } else { insert.bindNull(at: 7) }
            insert.bindText(category.rawValue, at: 8)
            withUnsafeBytes(of: &hash) { insert.bindBlob($0, at: 9) }
            if let c = confidence { try insert.bind(.real(c), at: 10) } else { insert.bindNull(at: 10) }
            if let r = reason { insert.bindText(r, at: 11) } else { insert.bindNull(at: 11) }
            // Every parameter is bound again above for each row, so the bindings need no clearing.
            defer { insert.resetKeepingBindings() }
            try insert.step()
            let id: Int64
            let inserted = store.database.changes > 0
            if inserted {
                id = store.database.lastInsertRowID
                added += 1
                try sideIndex?.add(id: id, text: d.text)
            } else {
                defer { lookup.reset() }
                withUnsafeBytes(of: &hash) { lookup.bindBlob($0, at: 1) }
                // The insert was skipped for this hash, so the row must be there.
                guard try lookup.step() else {
                    throw RowDecodingError(column: "id", problem: .unexpectedNull(expected: Int64.databaseTypeName), sql: lookup.sql)
                }
                id = lookup.int(at: 0)
                existing += 1
            }
            return (id, inserted)
        }
    }

    /// The id of a class pair (ordered by class index), created when missing.
    public func pair(datasetID: Int64, classA: ClassRecord, classB: ClassRecord, vlmID: Int64? = nil) throws -> Int64 {
        let (a, b) = classA.index < classB.index ? (classA, classB) : (classB, classA)
        let key = PairKey(dataset: datasetID, a: a.id, b: b.id, vlm: vlmID ?? 0)
        if let id = pairIDs[key] { return id }
        let db = store.database
        let id: Int64 = try store.wrap {
            if let id = try db.scalarIfPresent(
                Int64.self, "SELECT id FROM pairs WHERE dataset_id = ? AND class_a = ? AND class_b = ? AND coalesce(vlm_id, 0) = ?",
                [datasetID, a.id, b.id, vlmID ?? 0]) {
                return id
            }
            try db.execute("INSERT INTO pairs(dataset_id, class_a, class_b, vlm_id) VALUES (?, ?, ?, ?)", [datasetID, a.id, b.id, vlmID])
            pairsAdded += 1
            return db.lastInsertRowID
        }
        pairIDs[key] = id
        return id
    }

    /// Links one side of one prompt pair to its pair.
    public func link(pairID: Int64, position: Int, side: Int64, descriptionID: Int64, twinID: Int64?, attributeRaw: String?) throws {
        try store.wrap {
            try store.database.execute("""
                INSERT INTO pair_members(pair_id, position, side, description_id, twin_id, attribute_raw)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """, [pairID, position, side, descriptionID, twinID, attributeRaw])
            slotsAdded += store.database.changes
        }
    }

    /// Indexes the rows this writer added in FTS5 (and rebuilds the secondary indexes after a
    /// bulk write). Call once, before the transaction commits.
    public func finish() throws {
        try store.wrap {
            // The indexing thread finishes its queue while this one rebuilds the secondary indexes.
            if bulk { for sql in Self.bulkIndexes { try store.database.execute(sql) } }
            if let side = sideIndex, try FTSSideIndex.indexIsEmpty(store.database) {
                sideIndex = nil
                try FTSSideIndex.copy(from: try side.wait(), into: store.database)
            } else {
                sideIndex?.cancel()
                sideIndex = nil
                try store.database.execute(
                    "INSERT INTO descriptions_fts(rowid, text) SELECT id, text FROM descriptions WHERE id >= ?", [firstNewID])
            }
            // New text may be shorter than any before, which invalidates the search statistics
            // (schema 2) that bound bm25 for top-k searches.
            if added > 0 {
                try store.database.execute("UPDATE search_statistics SET stale = 1 WHERE stale = 0")
            }
        }
    }
}
