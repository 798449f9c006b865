/// The auditor's answer for one description: a category and why.
public struct AuditFinding: Sendable, Equatable, Codable {
    /// The category.
    public var verdict: AuditVerdict
    /// The rule that decided, in words (quoted cue words included).
    public var rationale: String

    /// Creates a finding.
    public init(verdict: AuditVerdict, rationale: String) {
        self.verdict = verdict
        self.rationale = rationale
    }
}
