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

extension CategoryScore {
    private enum EncodedKeys: String, CodingKey { case category, labelled, predicted, correct, precision, recall }

    /// Encodes the counts and the precision and recall derived from them (null when undefined).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: EncodedKeys.self)
        try c.encode(category, forKey: .category)
        try c.encode(labelled, forKey: .labelled)
        try c.encode(predicted, forKey: .predicted)
        try c.encode(correct, forKey: .correct)
        try c.encode(precision, forKey: .precision)
        try c.encode(recall, forKey: .recall)
    }
}
