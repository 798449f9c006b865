import DescryStore

/// Mean alignment and lift of a dataset's descriptions per attribute and category, for one VLM:
/// which kinds of description the VLM prefers.
public struct AttributePreference: Sendable, Codable, Equatable {
    /// The canonical attribute ("colour", "habitat", …; "none" when unmapped).
    public var attribute: String
    /// The description category: the rule-based audit's verdict when there is one, else the
    /// taxonomy's category.
    public var category: String
    /// Scored descriptions.
    public var count: Int
    /// Mean alignment.
    public var alignment: Double
    /// Mean lift.
    public var lift: Double

    /// Reads the preferences from `scores`, best mean lift first.
    public static func load(store: Store, vlm: String, dataset: String) throws -> [AttributePreference] {
        do {
            let vlmID = try store.vlmID(named: vlm), dsID = try store.datasetID(named: dataset)
            return try store.wrap {
                try store.database.rows("""
                    SELECT coalesce(d.attribute, 'none'), coalesce(a.verdict, d.category), count(*), avg(s.alignment), avg(s.lift)
                    FROM scores s JOIN descriptions d ON d.id = s.description_id
                    LEFT JOIN audits a ON a.description_id = d.id AND a.method = 'rules'
                    WHERE s.vlm_id = ? AND d.dataset_id = ? AND s.alignment IS NOT NULL
                    GROUP BY 1, 2 ORDER BY 5 DESC
                    """, [vlmID, dsID]).map {
                    AttributePreference(attribute: $0[0].string ?? "none", category: $0[1].string ?? "unknown", count: $0[2].int ?? 0,
                                        alignment: $0[3].double ?? 0, lift: $0[4].double ?? 0)
                }
            }
        } catch let e as StoreError { throw AnalysisError.store(e) }
    }
}
