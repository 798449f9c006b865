/// A description with the name of its class, as the LLM judge reads it.
public struct DescriptionWithClass: Sendable, Equatable {
    /// The description's id.
    public var id: Int64
    /// Its text.
    public var text: String
    /// Its class's name as imported (underscores kept; `ClassName.display` for prompts).
    public var className: String

    /// Creates a record.
    public init(id: Int64, text: String, className: String) {
        self.id = id
        self.text = text
        self.className = className
    }
}

/// A candidate sentence for best-of-N: one class description of one generation source, with
/// its alignment for the ranking VLM when the analysis has scored it.
public struct DescriptionCandidate: Sendable, Equatable {
    /// The description's id.
    public var id: Int64
    /// Its text.
    public var text: String
    /// Its alignment score for the VLM; nil when not scored yet.
    public var alignment: Double?

    /// Creates a record.
    public init(id: Int64, text: String, alignment: Double?) {
        self.id = id
        self.text = text
        self.alignment = alignment
    }
}

/// The reads of LLM generation, judging and best-of-N selection.
extension DescriptionRepository {
    /// The id of the recorded source with this format, label and content hash; nil when no
    /// such source was ever written (for an LLM source: nothing generated with that model and prompt).
    public func sourceID(matching info: SourceInfo) throws -> Int64? {
        try store.wrap {
            try store.database.scalarIfPresent(Int64.self, "SELECT id FROM sources WHERE format = ? AND label = ? AND content_hash = ?",
                                               [info.format, info.label, info.contentHash])
        }
    }

    /// The class descriptions of one source for one class of a dataset, by id, each with its
    /// alignment for `vlmID` when scored.
    public func candidates(datasetID: Int64, classID: Int64, sourceID: Int64, vlmID: Int64) throws -> [DescriptionCandidate] {
        try store.wrap {
            try store.database.rows("""
                SELECT d.id, d.text, s.alignment FROM descriptions d
                LEFT JOIN scores s ON s.description_id = d.id AND s.vlm_id = ?
                WHERE d.dataset_id = ? AND d.class_id = ? AND d.source_id = ? AND d.kind = 'class'
                ORDER BY d.id
                """, [vlmID, datasetID, classID, sourceID]).map {
                DescriptionCandidate(id: try $0.int64("id"), text: try $0.string("text"), alignment: try $0.optionalDouble("alignment"))
            }
        }
    }

    /// A dataset's class and differential descriptions with their class names, by id. With
    /// `withoutVerdictOf`, only those that have no audit verdict by that method; at most
    /// `limit` (all when nil).
    public func classAndDifferential(datasetID: Int64, withoutVerdictOf method: String? = nil, limit: Int? = nil) throws -> [DescriptionWithClass] {
        try store.wrap {
            try store.database.rows("""
                SELECT d.id, d.text, c.name AS class_name FROM descriptions d JOIN classes c ON c.id = d.class_id
                WHERE d.dataset_id = ? AND d.kind IN ('class', 'differential')
                  AND (? IS NULL OR NOT EXISTS (SELECT 1 FROM audits a WHERE a.description_id = d.id AND a.method = ?))
                ORDER BY d.id LIMIT ?
                """, [datasetID, method, method, limit ?? -1]).map {
                DescriptionWithClass(id: try $0.int64("id"), text: try $0.string("text"), className: try $0.string("class_name"))
            }
        }
    }
}
