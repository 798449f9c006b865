/// Precision and recall of the auditor for one category on a labelled sample.
public struct CategoryScore: Sendable, Codable, Equatable {
    /// The category.
    public var category: AuditVerdict
    /// Sample items labelled with it.
    public var labelled: Int
    /// Items the auditor put in it.
    public var predicted: Int
    /// Items both agree on.
    public var correct: Int
    /// correct / predicted (nil when nothing was predicted).
    public var precision: Double? { predicted > 0 ? Double(correct) / Double(predicted) : nil }
    /// correct / labelled (nil when nothing is labelled).
    public var recall: Double? { labelled > 0 ? Double(correct) / Double(labelled) : nil }
}
