/// One verdict on one description by one audit method: the rule auditor (`rules`), the VLM
/// content check (`content:<vlm>`), an LLM judge (`judge`) or a best-of-N selection
/// (`best-of-n:<vlm>`).
public struct AuditRecord: Sendable, Equatable {
    public var descriptionID: Int64
    /// Who gave the verdict; one row per description and method.
    public var method: String
    public var verdict: String
    public var rationale: String?
    public var score: Double?
    /// When it was written (ISO 8601, UTC); set by the store.
    public var created: String?

    public init(descriptionID: Int64, method: String, verdict: String, rationale: String? = nil, score: Double? = nil) {
        self.descriptionID = descriptionID
        self.method = method
        self.verdict = verdict
        self.rationale = rationale
        self.score = score
        self.created = nil
    }
}

/// Audit verdicts (`audits`). Every writer (rules, content checks, LLM judges, best-of-N) goes
/// through `upsert`, so a second verdict by the same method replaces the first in one way:
/// verdict, rationale, score and time all become the new ones.
public struct AuditRepository {
    let store: Store

    init(store: Store) { self.store = store }

    static let upsertSQL = """
        INSERT INTO audits(description_id, method, verdict, rationale, score) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(description_id, method) DO UPDATE SET
            verdict = excluded.verdict, rationale = excluded.rationale, score = excluded.score,
            created = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
        """

    /// Writes one verdict, replacing an earlier one by the same method.
    public func upsert(_ record: AuditRecord) throws {
        try upsert([record])
    }

    /// Writes verdicts in one transaction (a savepoint inside an open one).
    public func upsert(_ records: [AuditRecord]) throws {
        guard !records.isEmpty else { return }
        try store.write {
            let stmt = try store.database.cachedStatement(Self.upsertSQL)
            for r in records {
                try stmt.execute([r.descriptionID, r.method, r.verdict, r.rationale, r.score])
            }
        }
    }

    /// Removes every verdict of `method` on the descriptions of one dataset (before a re-run
    /// that may no longer cover all of them). Returns how many went.
    @discardableResult
    public func delete(method: String, datasetID: Int64) throws -> Int {
        try store.write {
            try store.database.execute(
                "DELETE FROM audits WHERE method = ? AND description_id IN (SELECT id FROM descriptions WHERE dataset_id = ?)",
                [method, datasetID])
            return store.database.changes
        }
    }

    /// Every verdict on one description, by method name.
    public func verdicts(descriptionID: Int64) throws -> [AuditRecord] {
        try store.wrap {
            try store.database.rows(
                "SELECT description_id, method, verdict, rationale, score, created FROM audits WHERE description_id = ? ORDER BY method",
                [descriptionID]
            ).map(Self.record)
        }
    }

    static func record(_ row: Row) throws -> AuditRecord {
        var r = AuditRecord(descriptionID: try row.int64("description_id"), method: try row.string("method"),
                            verdict: try row.string("verdict"), rationale: try row.optionalString("rationale"),
                            score: try row.optionalDouble("score"))
        r.created = try row.optionalString("created")
        return r
    }
}

extension Store {
    /// Audit verdicts (`audits`).
    public var audits: AuditRepository { AuditRepository(store: self) }
}
