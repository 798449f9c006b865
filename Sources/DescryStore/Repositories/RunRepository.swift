/// One evaluation run (`runs`): one method (and k) of one VLM on one dataset.
public struct RunRecord: Sendable, Equatable {
    /// Row id; nil for a run not stored yet.
    public var id: Int64?
    /// The VLM.
    public var vlmID: Int64
    /// The dataset.
    public var datasetID: Int64
    /// The zero-shot method (`template`, `fudd`, …).
    public var method: String
    /// FuDD's k; nil for the baselines.
    public var k: Int?
    /// How several prompts per class were combined.
    public var aggregation: String?
    /// Top-1 accuracy.
    public var accuracy: Double?
    /// Top-5 accuracy (nil with fewer than five classes).
    public var top5: Double?
    /// Mean per-class recall.
    public var meanPerClassRecall: Double?
    /// Images evaluated.
    public var images: Int?
    /// Hash of the exact prompts used.
    public var promptHash: String?
    /// The run's options as JSON text.
    public var options: String?
    /// When it was stored (ISO 8601, UTC); set by the store.
    public var created: String?

    /// A record.
    public init(id: Int64? = nil, vlmID: Int64, datasetID: Int64, method: String, k: Int? = nil, aggregation: String? = nil,
                accuracy: Double? = nil, top5: Double? = nil, meanPerClassRecall: Double? = nil, images: Int? = nil,
                promptHash: String? = nil, options: String? = nil, created: String? = nil) {
        self.id = id
        self.vlmID = vlmID
        self.datasetID = datasetID
        self.method = method
        self.k = k
        self.aggregation = aggregation
        self.accuracy = accuracy
        self.top5 = top5
        self.meanPerClassRecall = meanPerClassRecall
        self.images = images
        self.promptHash = promptHash
        self.options = options
        self.created = created
    }
}

/// Evaluation runs (`runs`).
///
/// The one owner of SQL against this table: other modules call its methods and get records
/// back, never rows. See `Docs/architecture.md` for which repository owns which table.
public struct RunRepository {
    let store: Store

    init(store: Store) { self.store = store }

    static let columns = "id, vlm_id, dataset_id, method, k, aggregation, accuracy, top5, mean_per_class_recall, n_images, prompt_hash, options, created"

    /// Stores a run (its `id` and `created` are ignored) and returns its new id.
    @discardableResult
    public func insert(_ r: RunRecord) throws -> Int64 {
        try store.write {
            try store.database.execute("""
                INSERT INTO runs(vlm_id, dataset_id, method, k, aggregation, accuracy, top5, mean_per_class_recall, n_images, prompt_hash, options)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [r.vlmID, r.datasetID, r.method, r.k, r.aggregation, r.accuracy, r.top5, r.meanPerClassRecall,
                      r.images, r.promptHash, r.options])
            return store.database.lastInsertRowID
        }
    }

    /// Every run of a VLM on a dataset, oldest first.
    public func all(vlmID: Int64, datasetID: Int64) throws -> [RunRecord] {
        try store.wrap {
            try store.database.rows("SELECT \(Self.columns) FROM runs WHERE vlm_id = ? AND dataset_id = ? ORDER BY id", [vlmID, datasetID]).map(Self.record)
        }
    }

    /// The latest run of every method, k and aggregation of a VLM on a dataset: FuDD first,
    /// then by aggregation and k.
    public func latest(vlmID: Int64, datasetID: Int64) throws -> [RunRecord] {
        try store.wrap {
            try store.database.rows("""
                SELECT \(Self.columns) FROM runs
                WHERE id IN (SELECT max(id) FROM runs WHERE vlm_id = ? AND dataset_id = ? GROUP BY method, coalesce(k, -1), aggregation)
                ORDER BY method <> 'fudd', aggregation, k
                """, [vlmID, datasetID]).map(Self.record)
        }
    }

    static func record(_ row: Row) throws -> RunRecord {
        RunRecord(id: try row.int64("id"), vlmID: try row.int64("vlm_id"), datasetID: try row.int64("dataset_id"),
                  method: try row.string("method"), k: try row.optionalInt("k"), aggregation: try row.optionalString("aggregation"),
                  accuracy: try row.optionalDouble("accuracy"), top5: try row.optionalDouble("top5"),
                  meanPerClassRecall: try row.optionalDouble("mean_per_class_recall"), images: try row.optionalInt("n_images"),
                  promptHash: try row.optionalString("prompt_hash"), options: try row.optionalString("options"),
                  created: try row.optionalString("created"))
    }
}

extension Store {
    /// Evaluation runs (`runs`).
    public var runs: RunRepository { RunRepository(store: self) }
}
