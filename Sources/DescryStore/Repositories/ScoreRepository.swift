/// The stored scores of one description under one VLM (`scores`).
public struct ScoreRecord: Sendable, Equatable {
    /// The VLM.
    public var vlmID: Int64
    /// The description.
    public var descriptionID: Int64
    /// Mean cosine with the labelled images of the description's class.
    public var alignment: Double?
    /// Alignment minus the single template's alignment on the same images.
    public var lift: Double?
    /// Differential descriptions: cos(description) − cos(twin), on the images of the class described.
    public var margin: Double?
    /// Alignment with the class name replaced by a neutral word.
    public var content: Double?
    /// Images the scores averaged over.
    public var images: Int
    /// Hash of the inputs; unchanged inputs are not recomputed.
    public var inputHash: String?

    /// A record.
    public init(vlmID: Int64, descriptionID: Int64, alignment: Double?, lift: Double?, margin: Double? = nil,
                content: Double? = nil, images: Int, inputHash: String? = nil) {
        self.vlmID = vlmID
        self.descriptionID = descriptionID
        self.alignment = alignment
        self.lift = lift
        self.margin = margin
        self.content = content
        self.images = images
        self.inputHash = inputHash
    }
}

/// Mean scores of a dataset's descriptions that share an attribute and a category, for one
/// VLM (what `AttributePreference` shows).
public struct AttributeScoreMeans: Sendable, Equatable, Codable {
    /// The canonical attribute, "none" when unmapped.
    public var attribute: String
    /// The default auditor's verdict (the learned model's, else the rules') when there is one,
    /// else the taxonomy's category.
    public var category: String
    /// Scored descriptions.
    public var count: Int
    /// Mean alignment.
    public var alignment: Double
    /// Mean lift (0 when no description of the group has one).
    public var lift: Double

    /// A record.
    public init(attribute: String, category: String, count: Int, alignment: Double, lift: Double) {
        self.attribute = attribute
        self.category = category
        self.count = count
        self.alignment = alignment
        self.lift = lift
    }
}

/// Per-description scores per VLM (`scores`) and their rollup (`score_rollup`, `score_rollup_state`).
///
/// The one owner of SQL against these tables: other modules call its methods and get records
/// back, never rows. See `Docs/architecture.md` for which repository owns which table.
public struct ScoreRepository {
    let store: Store

    init(store: Store) { self.store = store }

    static let columns = "vlm_id, description_id, alignment, lift, margin, content, n_images, input_hash"

    /// Stores scores in one transaction, replacing the earlier ones of the same VLM and
    /// description (their time of computation becomes now).
    public func save(_ records: [ScoreRecord]) throws {
        guard !records.isEmpty else { return }
        try store.write {
            let stmt = try store.database.cachedStatement("""
                INSERT OR REPLACE INTO scores(vlm_id, description_id, alignment, lift, margin, content, n_images, input_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for s in records { try stmt.execute([s.vlmID, s.descriptionID, s.alignment, s.lift, s.margin, s.content, s.images, s.inputHash]) }
        }
    }

    /// The input hash of every scored description of a VLM (descriptions scored without one
    /// are left out).
    public func inputHashes(vlmID: Int64) throws -> [Int64: String] {
        var out: [Int64: String] = [:]
        try store.wrap {
            for r in try store.database.rows("SELECT description_id, input_hash FROM scores WHERE vlm_id = ?", [vlmID]) {
                guard let hash = try r.optionalString("input_hash") else { continue }
                let id = try r.int64("description_id")
                if out[id] == nil { out[id] = hash }
            }
        }
        return out
    }

    /// The scores of a dataset's descriptions under a VLM, by description id.
    public func list(vlmID: Int64, datasetID: Int64) throws -> [ScoreRecord] {
        try store.wrap {
            try store.database.rows("""
                SELECT s.vlm_id AS vlm_id, s.description_id AS description_id, s.alignment AS alignment, s.lift AS lift,
                       s.margin AS margin, s.content AS content, s.n_images AS n_images, s.input_hash AS input_hash
                FROM scores s JOIN descriptions d ON d.id = s.description_id
                WHERE s.vlm_id = ? AND d.dataset_id = ? ORDER BY s.description_id
                """, [vlmID, datasetID]).map(Self.record)
        }
    }

    /// The scores of one description under a VLM, nil when it has none.
    public func score(vlmID: Int64, descriptionID: Int64) throws -> ScoreRecord? {
        try store.wrap {
            try store.database.row("SELECT \(Self.columns) FROM scores WHERE vlm_id = ? AND description_id = ?", [vlmID, descriptionID]).map(Self.record)
        }
    }

    /// Mean alignment and lift of a dataset's scored descriptions per attribute and category
    /// (the default auditor's verdict: the learned model's, else the rules', else the
    /// taxonomy's category), best mean lift first.
    public func attributeMeans(vlmID: Int64, datasetID: Int64) throws -> [AttributeScoreMeans] {
        try store.wrap {
            try store.database.rows("""
                SELECT coalesce(d.attribute, 'none') AS attribute, coalesce(a.verdict, d.category) AS category, count(*) AS n,
                       avg(s.alignment) AS mean_alignment, avg(s.lift) AS mean_lift
                FROM scores s JOIN descriptions d ON d.id = s.description_id
                LEFT JOIN audits a ON a.description_id = d.id AND a.method = \(AuditRepository.preferredMethodSQL)
                WHERE s.vlm_id = ? AND d.dataset_id = ? AND s.alignment IS NOT NULL
                GROUP BY 1, 2 ORDER BY 5 DESC
                """, [vlmID, datasetID]).map {
                AttributeScoreMeans(attribute: try $0.string("attribute"), category: try $0.string("category"), count: try $0.int("n"),
                                    alignment: try $0.double("mean_alignment"), lift: try $0.optionalDouble("mean_lift") ?? 0)
            }
        }
    }

    static func record(_ row: Row) throws -> ScoreRecord {
        ScoreRecord(vlmID: try row.int64("vlm_id"), descriptionID: try row.int64("description_id"),
                    alignment: try row.optionalDouble("alignment"), lift: try row.optionalDouble("lift"),
                    margin: try row.optionalDouble("margin"), content: try row.optionalDouble("content"),
                    images: try row.int("n_images"), inputHash: try row.optionalString("input_hash"))
    }

    // MARK: The rollup

    /// The statement that recomputes `score_rollup` from `scores` and `descriptions`.
    static let rollupRebuild = """
        INSERT INTO score_rollup
        SELECT s.vlm_id, coalesce(d.dataset_id, 0), d.kind, coalesce(d.attribute, ''), d.category, count(*),
               count(s.alignment), coalesce(sum(s.alignment), 0), coalesce(sum(s.alignment * s.alignment), 0), min(s.alignment), max(s.alignment),
               count(s.lift), coalesce(sum(s.lift), 0), coalesce(sum(s.lift * s.lift), 0), min(s.lift), max(s.lift),
               count(s.margin), coalesce(sum(s.margin), 0), coalesce(sum(s.margin * s.margin), 0), min(s.margin), max(s.margin),
               count(s.content), coalesce(sum(s.content), 0), coalesce(sum(s.content * s.content), 0), min(s.content), max(s.content)
        FROM scores s JOIN descriptions d ON d.id = s.description_id
        GROUP BY 1, 2, 3, 4, 5
        """

    /// True when the store has the score rollup (schema 2) and no score changed since it was
    /// last rebuilt.
    public func isRollupFresh() throws -> Bool {
        try store.wrap {
            let exists = try store.database.scalar(Int.self, "SELECT count(*) AS n FROM sqlite_master WHERE name = 'score_rollup_state'")
            guard exists == 1 else { return false }
            return try store.database.scalarIfPresent(Int.self, "SELECT stale FROM score_rollup_state WHERE id = 1") == 0
        }
    }

    /// Rebuilds the score rollup when scores changed since the last rebuild, in one
    /// transaction. Writers of scores may call it after a batch; `descry query` calls it when
    /// the store is writable. Returns true when it rebuilt.
    @discardableResult
    public func refreshRollup() throws -> Bool {
        guard try !isRollupFresh() else { return false }
        try store.write {
            try store.database.execute("DELETE FROM score_rollup")
            try store.database.execute(Self.rollupRebuild)
            try store.database.execute("UPDATE score_rollup_state SET stale = 0 WHERE id = 1")
        }
        return true
    }
}

extension Store {
    /// Per-description scores per VLM (`scores`) and their rollup (`score_rollup`, `score_rollup_state`).
    public var scores: ScoreRepository { ScoreRepository(store: self) }
}
