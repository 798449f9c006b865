/// A class pair one VLM confuses on a dataset, with how well differential descriptions
/// cover it: the hand-off of the FuDD loop. Analysis writes `confusions`; the LLM reads these
/// records to choose the pairs to write differential descriptions (`pairs`) for.
public struct ConfusedClassPair: Sendable, Equatable {
    /// One class (the true class of the recorded confusion).
    public var a: ClassRecord
    /// The other (the class it was taken for).
    public var b: ClassRecord
    /// How often the VLM confused them (as recorded, in this direction).
    public var count: Int
    /// Whether the analysis flagged the pair as lacking differential descriptions
    /// (`confusions.missing_descriptions` > 0).
    public var flaggedMissing: Bool
    /// Differential sentences linked to the pair (`pair_members` rows: one per side of each
    /// attribute), written for either class order and keyed to this VLM or to no VLM.
    public var linkedDifferentials: Int

    /// Creates a record.
    public init(a: ClassRecord, b: ClassRecord, count: Int, flaggedMissing: Bool, linkedDifferentials: Int) {
        self.a = a
        self.b = b
        self.count = count
        self.flaggedMissing = flaggedMissing
        self.linkedDifferentials = linkedDifferentials
    }

    /// Whether the pair still needs differential descriptions: flagged by the analysis, or
    /// no linked sentence exists for it, VLM-keyed or generic.
    public var lacksDifferentials: Bool { flaggedMissing || linkedDifferentials == 0 }
}

/// The read side of the FuDD loop: confused pairs and their differential coverage.
extension ConfusionRepository {
    static let coverageSQL = """
        SELECT c.class_a, c.class_b, c.count, c.missing_descriptions,
               (SELECT count(*) FROM pairs p JOIN pair_members m ON m.pair_id = p.id
                 WHERE p.dataset_id = c.dataset_id
                   AND ((p.class_a = c.class_a AND p.class_b = c.class_b) OR (p.class_a = c.class_b AND p.class_b = c.class_a))
                   AND (p.vlm_id IS NULL OR p.vlm_id = c.vlm_id)) AS slots
        FROM confusions c WHERE c.vlm_id = ? AND c.dataset_id = ? AND c.class_a <> c.class_b
        ORDER BY c.count DESC, c.class_a, c.class_b
        """

    /// The `limit` most confused pairs of a VLM on a dataset (all when nil), most confused
    /// first (ties by class ids). (a, b) and (b, a) are one pair: the first recorded direction
    /// stands for it. Classes not of the dataset are skipped.
    public func top(vlmID: Int64, datasetID: Int64, limit: Int? = nil) throws -> [ConfusedClassPair] {
        let classes = Dictionary(uniqueKeysWithValues: try store.classes(ofDataset: datasetID).map { ($0.id, $0) })
        let rows = try store.wrap { try store.database.rows(Self.coverageSQL, [vlmID, datasetID]) }
        var out: [ConfusedClassPair] = []
        var seen = Set<[Int64]>()
        for r in rows {
            if let limit, out.count >= limit { break }
            guard let a = classes[try r.int64("class_a")], let b = classes[try r.int64("class_b")] else { continue }
            guard seen.insert([min(a.id, b.id), max(a.id, b.id)]).inserted else { continue }
            out.append(ConfusedClassPair(a: a, b: b, count: try r.int("count"),
                                         flaggedMissing: try r.int("missing_descriptions") > 0,
                                         linkedDifferentials: try r.int("slots")))
        }
        return out
    }

    /// Of the `limit` most confused pairs (all when nil), those that still lack differential
    /// descriptions for the VLM (see `ConfusedClassPair.lacksDifferentials`), in the same order.
    /// The limit applies before the filter: "which of my top 10 need sentences?".
    public func missingDifferentials(vlmID: Int64, datasetID: Int64, limit: Int? = nil) throws -> [ConfusedClassPair] {
        try top(vlmID: vlmID, datasetID: datasetID, limit: limit).filter(\.lacksDifferentials)
    }
}
