/// How often one kind of description (category × attribute) is among each class's
/// best-aligned descriptions for a VLM, against how often it occurs at all: EX2's view of
/// which descriptions a VLM relies on.
public struct PreferredType: Sendable, Equatable, Codable {
    public var category: String
    public var attribute: String
    /// Among the top-aligned descriptions of every class.
    public var top: Int
    /// Among all scored descriptions of those classes.
    public var all: Int

    public init(category: String, attribute: String, top: Int, all: Int) {
        self.category = category
        self.attribute = attribute
        self.top = top
        self.all = all
    }
}

extension ScoreRepository {
    /// Per category and attribute: how many of each class's `topPerClass` best-aligned class
    /// descriptions under the VLM are of that kind, and how many scored class descriptions are.
    public func preferredTypes(vlmID: Int64, datasetID: Int64, topPerClass: Int) throws -> [PreferredType] {
        try store.wrap {
            try store.database.rows("""
                WITH scored AS (
                    SELECT d.category AS category, coalesce(d.attribute, 'none') AS attribute,
                           row_number() OVER (PARTITION BY d.class_id ORDER BY s.alignment DESC, d.id) AS rank
                    FROM scores s JOIN descriptions d ON d.id = s.description_id
                    WHERE s.vlm_id = ? AND d.dataset_id = ? AND d.kind = 'class' AND s.alignment IS NOT NULL)
                SELECT category, attribute, sum(rank <= ?) AS top, count(*) AS n_all
                FROM scored GROUP BY category, attribute ORDER BY top DESC, n_all DESC, category, attribute
                """, [vlmID, datasetID, topPerClass]).map {
                PreferredType(category: try $0.string("category"), attribute: try $0.string("attribute"),
                              top: try $0.int("top"), all: try $0.int("n_all"))
            }
        }
    }
}
