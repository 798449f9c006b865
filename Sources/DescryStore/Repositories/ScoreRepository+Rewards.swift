/// One scored description of a dataset for one VLM: what a reward export writes per line.
public struct DescriptionReward: Sendable, Equatable {
    /// The description's id.
    public var descriptionID: Int64
    /// Its text.
    public var text: String
    /// Its kind (`class`, `differential`, …).
    public var kind: String
    /// Its class's name as imported (underscores kept).
    public var className: String
    /// Its alignment with the VLM: the reward.
    public var alignment: Double
    /// Its lift, when computed.
    public var lift: Double?
    /// Its margin, when computed.
    public var margin: Double?
    /// Images the scores were computed on.
    public var imageCount: Int
    /// The label of the source it came from.
    public var sourceLabel: String
    /// The format of that source.
    public var sourceFormat: String

    /// Creates a record.
    public init(descriptionID: Int64, text: String, kind: String, className: String, alignment: Double, lift: Double?,
                margin: Double?, imageCount: Int, sourceLabel: String, sourceFormat: String) {
        self.descriptionID = descriptionID
        self.text = text
        self.kind = kind
        self.className = className
        self.alignment = alignment
        self.lift = lift
        self.margin = margin
        self.imageCount = imageCount
        self.sourceLabel = sourceLabel
        self.sourceFormat = sourceFormat
    }
}

/// The read behind the reward export (EX2's reward is a description's alignment).
extension ScoreRepository {
    /// Every description of a dataset that has an alignment score for the VLM, by class index,
    /// then best alignment first, then id.
    public func rewards(vlmID: Int64, datasetID: Int64) throws -> [DescriptionReward] {
        try store.wrap {
            try store.database.rows("""
                SELECT d.id, d.text, d.kind, c.name AS class_name, s.alignment, s.lift, s.margin, s.n_images,
                       src.label AS source_label, src.format AS source_format
                FROM scores s JOIN descriptions d ON d.id = s.description_id
                JOIN classes c ON c.id = d.class_id JOIN sources src ON src.id = d.source_id
                WHERE s.vlm_id = ? AND d.dataset_id = ? AND s.alignment IS NOT NULL
                ORDER BY c.idx, s.alignment DESC, d.id
                """, [vlmID, datasetID]).map {
                DescriptionReward(descriptionID: try $0.int64("id"), text: try $0.string("text"), kind: try $0.string("kind"),
                                  className: try $0.string("class_name"), alignment: try $0.double("alignment"),
                                  lift: try $0.optionalDouble("lift"), margin: try $0.optionalDouble("margin"),
                                  imageCount: try $0.int("n_images"), sourceLabel: try $0.string("source_label"),
                                  sourceFormat: try $0.string("source_format"))
            }
        }
    }
}
