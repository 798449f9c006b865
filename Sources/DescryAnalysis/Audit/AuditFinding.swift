/// The auditor's answer for one description: a category and why.
public struct AuditFinding: Sendable, Equatable, Codable {
    /// The category.
    public var verdict: AuditVerdict
    /// The rule that decided, in words (quoted cue words included).
    public var rationale: String
    /// The canonical attribute the text speaks of ("none" for spurious text), when the rules
    /// can tell.
    public var attribute: String?
    /// 0…1: how sure the deciding rule is.
    public var confidence: Double

    /// Creates a finding.
    public init(verdict: AuditVerdict, rationale: String, attribute: String? = nil, confidence: Double = 0.5) {
        self.verdict = verdict
        self.rationale = rationale
        self.attribute = attribute
        self.confidence = confidence
    }
}
