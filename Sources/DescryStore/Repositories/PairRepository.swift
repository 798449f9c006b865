/// One side of one differential prompt pair with its text: `text` describes class `side`
/// of the pair `classA`–`classB`.
public struct DifferentialSlot: Sendable, Equatable {
    /// The pair's first class.
    public var classA: Int64
    /// The pair's second class.
    public var classB: Int64
    /// The class the sentence describes.
    public var side: Int64
    /// The sentence.
    public var text: String

    /// A record.
    public init(classA: Int64, classB: Int64, side: Int64, text: String) {
        self.classA = classA
        self.classB = classB
        self.side = side
        self.text = text
    }
}

/// A differential description and the text of its twin (the other side of its prompt pair).
public struct DescriptionTwin: Sendable, Equatable {
    /// The description.
    public var descriptionID: Int64
    /// The class the description describes.
    public var side: Int64
    /// The twin's text.
    public var twinText: String

    /// A record.
    public init(descriptionID: Int64, side: Int64, twinText: String) {
        self.descriptionID = descriptionID
        self.side = side
        self.twinText = twinText
    }
}

/// Class pairs and their differential descriptions (`pairs`, `pair_members`), keyed by dataset, class pair and VLM.
///
/// The one owner of SQL against these tables: other modules call its methods and get records
/// back, never rows. See `Docs/architecture.md` for which repository owns which table.
/// A pair with no VLM is generic; one with a VLM was written for that VLM's confusions.
public struct PairRepository {
    let store: Store

    init(store: Store) { self.store = store }

    /// The differential sentences of a dataset's pairs: the generic pairs' and, given
    /// `vlmID`, that VLM's; generic ones first, then by pair, position in the pair and side.
    public func differentialSlots(datasetID: Int64, vlmID: Int64?) throws -> [DifferentialSlot] {
        try store.wrap {
            try store.database.rows("""
                SELECT p.class_a AS class_a, p.class_b AS class_b, m.side AS side, d.text AS text FROM pairs p
                JOIN pair_members m ON m.pair_id = p.id JOIN descriptions d ON d.id = m.description_id
                WHERE p.dataset_id = ? AND (p.vlm_id IS NULL OR p.vlm_id = ?)
                ORDER BY p.vlm_id IS NOT NULL, p.id, m.position, m.side
                """, [datasetID, vlmID]).map {
                DifferentialSlot(classA: try $0.int64("class_a"), classB: try $0.int64("class_b"), side: try $0.int64("side"), text: try $0.string("text"))
            }
        }
    }

    /// Every pair slot of a dataset (generic, and `vlmID`'s) whose description has a twin,
    /// with the twin's text.
    public func twins(datasetID: Int64, vlmID: Int64) throws -> [DescriptionTwin] {
        try store.wrap {
            // No ORDER BY, as before the repositories: a description's margin averages its slots
            // in this order, and a new order could move the last bits of stored scores.
            try store.database.rows("""
                SELECT m.description_id AS description_id, m.side AS side, t.text AS twin_text FROM pairs p JOIN pair_members m ON m.pair_id = p.id
                JOIN descriptions t ON t.id = m.twin_id
                WHERE p.dataset_id = ? AND (p.vlm_id IS NULL OR p.vlm_id = ?)
                """, [datasetID, vlmID]).map {
                DescriptionTwin(descriptionID: try $0.int64("description_id"), side: try $0.int64("side"), twinText: try $0.string("twin_text"))
            }
        }
    }
}

extension Store {
    /// Class pairs and their differential descriptions (`pairs`, `pair_members`), keyed by dataset, class pair and VLM.
    public var pairs: PairRepository { PairRepository(store: self) }
}
