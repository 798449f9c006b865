/// How often a VLM predicted class `classB` for images of class `classA` on a dataset
/// (one row of `confusions`; the VLM and dataset are those the repository was asked about),
/// and whether the pair lacked differential descriptions.
public struct ConfusionRecord: Sendable, Equatable {
    /// The true class.
    public var classA: Int64
    /// The predicted class.
    public var classB: Int64
    /// Images of `classA` put first as `classB`.
    public var count: Int
    /// Images whose FuDD top-k held this pair while it had no differential descriptions.
    public var missingDescriptions: Int

    /// A record.
    public init(classA: Int64, classB: Int64, count: Int, missingDescriptions: Int = 0) {
        self.classA = classA
        self.classB = classB
        self.count = count
        self.missingDescriptions = missingDescriptions
    }
}

/// Confused class pairs per VLM and dataset (`confusions`): where the FuDD loop hands
/// Analysis's findings (written here by `replace`) to the LLM (which reads them through
/// `ConfusionRepository+Differentials.swift`).
///
/// The one owner of SQL against this table: other modules call its methods and get records
/// back, never rows. See `Docs/architecture.md` for which repository owns which table.
public struct ConfusionRepository {
    let store: Store

    init(store: Store) { self.store = store }

    /// Makes `records` the VLM's confusions on the dataset, in one transaction: the earlier
    /// ones go.
    public func replace(vlmID: Int64, datasetID: Int64, with records: [ConfusionRecord]) throws {
        try store.write {
            try store.database.execute("DELETE FROM confusions WHERE vlm_id = ? AND dataset_id = ?", [vlmID, datasetID])
            let stmt = try store.database.cachedStatement("""
                INSERT INTO confusions(vlm_id, dataset_id, class_a, class_b, count, missing_descriptions) VALUES (?, ?, ?, ?, ?, ?)
                """)
            for c in records { try stmt.execute([vlmID, datasetID, c.classA, c.classB, c.count, c.missingDescriptions]) }
        }
    }

    /// The VLM's confusions on a dataset, most frequent first (then by class ids).
    public func all(vlmID: Int64, datasetID: Int64) throws -> [ConfusionRecord] {
        try store.wrap {
            try store.database.rows("""
                SELECT class_a, class_b, count, missing_descriptions FROM confusions
                WHERE vlm_id = ? AND dataset_id = ? ORDER BY count DESC, class_a, class_b
                """, [vlmID, datasetID]).map(Self.record)
        }
    }

    static func record(_ row: Row) throws -> ConfusionRecord {
        ConfusionRecord(classA: try row.int64("class_a"), classB: try row.int64("class_b"), count: try row.int("count"),
                        missingDescriptions: try row.int("missing_descriptions"))
    }
}

extension Store {
    /// Confused class pairs per run (`confusions`): where the FuDD loop hands Analysis's findings to the LLM.
    public var confusions: ConfusionRepository { ConfusionRepository(store: self) }
}
