/// Counts of one audit pass.
public struct AuditSummary: Sendable, Codable, Equatable {
    /// Descriptions audited by the rules, per verdict.
    public var byVerdict: [String: Int] = [:]
    /// Descriptions the content score flagged as name-driven (nil when no VLM was given).
    public var nameDriven: Int?
    /// Descriptions with a content score checked.
    public var contentChecked: Int?

    /// An empty summary.
    public init() {}
}
