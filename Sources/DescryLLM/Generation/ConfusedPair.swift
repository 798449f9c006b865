import DescryStore

/// A class pair a VLM confuses, from the `confusions` table the analysis module fills.
public struct ConfusedPair: Sendable, Equatable {
    /// One class.
    public let a: ClassRecord
    /// The other.
    public let b: ClassRecord
    /// How often the VLM confused them.
    public let count: Int
    /// Whether the pair lacks differential descriptions (flagged by the analysis, or no
    /// linked sentence exists for it, VLM-keyed or generic).
    public let missing: Bool

    /// Creates a record.
    public init(a: ClassRecord, b: ClassRecord, count: Int, missing: Bool) {
        self.a = a
        self.b = b
        self.count = count
        self.missing = missing
    }

    /// The `k` most confused pairs of `vlmID` on a dataset (all when `k` is nil), most confused
    /// first; with `missingOnly`, only those lacking descriptions.
    public static func load(store: Store, vlmID: Int64, datasetID: Int64, k: Int?, missingOnly: Bool) throws -> [ConfusedPair] {
        let classes = Dictionary(uniqueKeysWithValues: try store.classes(ofDataset: datasetID).map { ($0.id, $0) })
        let rows = try store.wrap {
            try store.database.rows("""
                SELECT c.class_a, c.class_b, c.count, c.missing_descriptions,
                       (SELECT count(*) FROM pairs p JOIN pair_members m ON m.pair_id = p.id
                         WHERE p.dataset_id = c.dataset_id
                           AND ((p.class_a = c.class_a AND p.class_b = c.class_b) OR (p.class_a = c.class_b AND p.class_b = c.class_a))
                           AND (p.vlm_id IS NULL OR p.vlm_id = c.vlm_id)) AS slots
                FROM confusions c WHERE c.vlm_id = ? AND c.dataset_id = ? AND c.class_a <> c.class_b
                ORDER BY c.count DESC, c.class_a, c.class_b
                """, [vlmID, datasetID])
        }
        var out: [ConfusedPair] = []
        var seen = Set<[Int64]>()
        for r in rows {
            guard let a = classes[Int64(r[0].int!)], let b = classes[Int64(r[1].int!)] else { continue }
            // (a, b) and (b, a) are one pair.
            guard seen.insert([min(a.id, b.id), max(a.id, b.id)]).inserted else { continue }
            if let k, out.count >= k { break }
            let missing = (r[3].int ?? 0) > 0 || (r[4].int ?? 0) == 0
            out.append(ConfusedPair(a: a, b: b, count: r[2].int ?? 0, missing: missing))
        }
        return missingOnly ? out.filter(\.missing) : out
    }
}
