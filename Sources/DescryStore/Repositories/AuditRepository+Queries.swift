/// How many descriptions one audit method gave one verdict.
public struct VerdictCount: Sendable, Equatable {
    /// The verdict.
    public var verdict: String
    /// Descriptions with it.
    public var count: Int

    /// A record.
    public init(verdict: String, count: Int) {
        self.verdict = verdict
        self.count = count
    }
}

/// A description shown as an example of a verdict: its text, the reason, and its lift under
/// a VLM when asked for one and scored.
public struct AuditExample: Sendable, Equatable {
    /// The verdict.
    public var verdict: String
    /// The description's text.
    public var text: String
    /// Why the auditor decided so.
    public var rationale: String?
    /// The description's lift under the VLM asked about, when it has a score.
    public var lift: Double?

    /// A record.
    public init(verdict: String, text: String, rationale: String?, lift: Double? = nil) {
        self.verdict = verdict
        self.text = text
        self.rationale = rationale
        self.lift = lift
    }
}

/// Read side of `audits` for summaries and examples (the report and `descry audit`).
extension AuditRepository {
    /// The methods whose verdict stands for a description's category, preferred first: the
    /// learned auditor's (`model`, the default), else the rule auditor's (`rules`: a store
    /// audited with `--method rules` or before the model existed).
    public static let categoryMethods = ["model", "rules"]

    /// SQL for the method of `d`'s preferred category verdict (null when neither auditor ran),
    /// built from `categoryMethods` so the two cannot drift apart.
    static let preferredMethodSQL: String = {
        let list = categoryMethods.map { "'\($0)'" }.joined(separator: ", ")
        let rank = categoryMethods.enumerated().map { "WHEN '\($0.element)' THEN \($0.offset)" }.joined(separator: " ")
        return "(SELECT au.method FROM audits au WHERE au.description_id = d.id AND au.method IN (\(list)) ORDER BY CASE au.method \(rank) END LIMIT 1)"
    }()

    /// How many of a dataset's descriptions got each category verdict from the default
    /// auditor (the learned model's verdict where stored, else the rules'), most frequent first.
    public func categoryVerdictCounts(datasetID: Int64) throws -> [VerdictCount] {
        try store.wrap {
            try store.database.rows("""
                SELECT a.verdict AS verdict, count(*) AS n FROM descriptions d
                JOIN audits a ON a.description_id = d.id AND a.method = \(Self.preferredMethodSQL)
                WHERE d.dataset_id = ? GROUP BY 1 ORDER BY 2 DESC
                """, [datasetID]).map { VerdictCount(verdict: try $0.string("verdict"), count: try $0.int("n")) }
        }
    }

    /// How many of a dataset's descriptions `method` gave each verdict: the most frequent
    /// verdict first, or with `byVerdict` in verdict order.
    public func verdictCounts(method: String, datasetID: Int64, byVerdict: Bool = false) throws -> [VerdictCount] {
        try store.wrap {
            try store.database.rows(byVerdict ? """
                SELECT a.verdict AS verdict, count(*) AS n FROM audits a JOIN descriptions d ON d.id = a.description_id
                WHERE a.method = ? AND d.dataset_id = ? GROUP BY 1 ORDER BY 1
                """ : """
                SELECT a.verdict AS verdict, count(*) AS n FROM audits a JOIN descriptions d ON d.id = a.description_id
                WHERE a.method = ? AND d.dataset_id = ? GROUP BY 1 ORDER BY 2 DESC
                """, [method, datasetID]).map { VerdictCount(verdict: try $0.string("verdict"), count: try $0.int("n")) }
        }
    }

    /// Up to `limit` descriptions (not templates) of a dataset that `method` gave `verdict`,
    /// by id; with `vlmID`, each with its lift under that VLM. With no method, the default
    /// auditor's verdict (the learned model's where stored, else the rules'; `categoryMethods`).
    public func examples(verdict: String, method: String? = nil, datasetID: Int64, vlmID: Int64? = nil, limit: Int) throws -> [AuditExample] {
        try store.wrap {
            try store.database.rows("""
                SELECT a.verdict AS verdict, d.text AS text, a.rationale AS rationale, s.lift AS lift FROM audits a JOIN descriptions d ON d.id = a.description_id
                LEFT JOIN scores s ON s.description_id = d.id AND s.vlm_id = ?
                WHERE a.method = coalesce(?, \(Self.preferredMethodSQL)) AND a.verdict = ? AND d.dataset_id = ? AND d.kind <> 'template' ORDER BY d.id LIMIT ?
                """, [vlmID, method, verdict, datasetID, limit]).map {
                AuditExample(verdict: try $0.string("verdict"), text: try $0.string("text"), rationale: try $0.optionalString("rationale"),
                             lift: try $0.optionalDouble("lift"))
            }
        }
    }
}
