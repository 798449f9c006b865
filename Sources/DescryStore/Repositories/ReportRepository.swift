/// A differential sentence of a class pair as the report lists it: the attribute the source
/// named, the class it describes, its text and its margin under the VLM.
public struct PairSentence: Sendable, Equatable {
    /// The attribute type as the source wrote it.
    public var attributeRaw: String?
    /// The class the sentence describes.
    public var side: Int64
    /// The sentence.
    public var text: String
    /// Its margin under the VLM, when scored.
    public var margin: Double?

    /// A record.
    public init(attributeRaw: String?, side: Int64, text: String, margin: Double?) {
        self.attributeRaw = attributeRaw
        self.side = side
        self.text = text
        self.margin = margin
    }
}

/// The read-only queries behind `descry report` that belong to no single table's repository
/// (the report also reads `runs.latest`, `scores.attributeMeans` and the audit summaries).
///
/// The one owner of SQL against these tables: other modules call its methods and get records
/// back, never rows. See `Docs/architecture.md` for which repository owns which table.
public struct ReportRepository {
    let store: Store

    init(store: Store) { self.store = store }

    /// The VLM's `limit` most frequent confusions on a dataset (pairs never confused left
    /// out), most frequent first, then by true class id.
    public func confusedPairs(vlmID: Int64, datasetID: Int64, limit: Int) throws -> [ConfusionRecord] {
        try store.wrap {
            try store.database.rows("""
                SELECT class_a, class_b, count, missing_descriptions FROM confusions
                WHERE vlm_id = ? AND dataset_id = ? AND count > 0 ORDER BY count DESC, class_a LIMIT ?
                """, [vlmID, datasetID, limit]).map(ConfusionRepository.record)
        }
    }

    /// The differential sentences of the pair `a`–`b` (in either order; generic ones and the
    /// VLM's), with their margins under the VLM: by position in the pair, `a`'s side first.
    public func pairSentences(vlmID: Int64, datasetID: Int64, a: Int64, b: Int64) throws -> [PairSentence] {
        try store.wrap {
            try store.database.rows("""
                SELECT m.attribute_raw AS attribute_raw, m.side AS side, d.text AS text, sc.margin AS margin
                FROM pairs p JOIN pair_members m ON m.pair_id = p.id
                JOIN descriptions d ON d.id = m.description_id LEFT JOIN scores sc ON sc.description_id = d.id AND sc.vlm_id = ?
                WHERE p.dataset_id = ? AND ((p.class_a = ? AND p.class_b = ?) OR (p.class_a = ? AND p.class_b = ?)) AND (p.vlm_id IS NULL OR p.vlm_id = ?)
                ORDER BY m.position, m.side = ? DESC
                """, [vlmID, datasetID, a, b, b, a, vlmID, a]).map {
                PairSentence(attributeRaw: try $0.optionalString("attribute_raw"), side: try $0.int64("side"), text: try $0.string("text"),
                             margin: try $0.optionalDouble("margin"))
            }
        }
    }
}

extension Store {
    /// The read-only queries behind `descry report`.
    public var reportData: ReportRepository { ReportRepository(store: self) }
}
