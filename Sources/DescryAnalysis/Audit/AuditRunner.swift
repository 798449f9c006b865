import DescryStore

/// Audits a dataset's descriptions and stores the findings in `audits`: method `rules` for the
/// rule-based auditor, and, given a VLM whose `scores` hold content, method `content:<vlm>`
/// flagging descriptions whose alignment collapses without the class name.
public struct AuditRunner {
    /// The store.
    public let store: Store
    /// The rule-based auditor.
    public let auditor: RuleAuditor

    /// A runner.
    public init(store: Store, auditor: RuleAuditor) {
        self.store = store
        self.auditor = auditor
    }

    /// Audits every description of `dataset` (its templates and the global ones too).
    /// With `vlm`, descriptions whose alignment drops by more than `contentDrop` (cosine)
    /// when the class name is replaced are flagged `name-driven`, the others `content-bearing`.
    public func run(dataset: String, vlm: String? = nil, contentDrop: Double = 0.05) throws -> AuditSummary {
        do {
            let dsID = try store.datasetID(named: dataset)
            let rows = try store.wrap {
                try store.database.rows("""
                    SELECT d.id, d.text, d.kind, d.attribute_raw, c.name FROM descriptions d LEFT JOIN classes c ON c.id = d.class_id
                    WHERE d.dataset_id = ? OR (d.dataset_id IS NULL AND d.kind = 'template') ORDER BY d.id
                    """, [dsID])
            }
            var summary = AuditSummary()
            try store.write {
                let stmt = try store.database.cachedStatement("INSERT OR REPLACE INTO audits(description_id, method, verdict, rationale, score) VALUES (?, 'rules', ?, ?, NULL)")
                for r in rows {
                    let kind = DescriptionKind(rawValue: r[2].string ?? "class") ?? .class
                    let f = auditor.audit(text: r[1].string ?? "", kind: kind, attributeRaw: r[3].string, className: r[4].string)
                    try stmt.execute([Int64(r[0].int!), f.verdict.rawValue, f.rationale])
                    summary.byVerdict[f.verdict.rawValue, default: 0] += 1
                }
                guard let vlm else { return }
                let vlmID = try store.vlmID(named: vlm)
                let method = "content:\(vlm)"
                try store.database.execute("DELETE FROM audits WHERE method = ? AND description_id IN (SELECT id FROM descriptions WHERE dataset_id = ?)", [method, dsID])
                let scored = try store.database.rows("""
                    SELECT s.description_id, s.alignment, s.content FROM scores s JOIN descriptions d ON d.id = s.description_id
                    WHERE s.vlm_id = ? AND d.dataset_id = ? AND s.content IS NOT NULL AND s.alignment IS NOT NULL
                    """, [vlmID, dsID])
                let put = try store.database.cachedStatement("INSERT OR REPLACE INTO audits(description_id, method, verdict, rationale, score) VALUES (?, ?, ?, ?, ?)")
                var flagged = 0
                for s in scored {
                    let drop = s[1].double! - s[2].double!
                    let named = drop > contentDrop
                    if named { flagged += 1 }
                    try put.execute([Int64(s[0].int!), method, named ? "name-driven" : "content-bearing",
                                     String(format: "alignment %.4f, without the class name %.4f (drop %.4f, threshold %.4f)", s[1].double!, s[2].double!, drop, contentDrop),
                                     drop])
                }
                summary.nameDriven = flagged
                summary.contentChecked = scored.count
            }
            return summary
        } catch let e as StoreError { throw AnalysisError.store(e) }
    }
}
