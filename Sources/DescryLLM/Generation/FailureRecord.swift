/// A job that produced nothing, with the reason and (for unusable answers) the raw text.
public struct FailureRecord: Sendable, Equatable, Codable {
    /// The job's label.
    public var label: String
    /// Why it failed.
    public var reason: String
    /// The last answer's raw text, when there was one (also kept in `llm_cache`, status `invalid`).
    public var raw: String?

    /// Creates a record.
    public init(label: String, reason: String, raw: String? = nil) {
        self.label = label
        self.reason = reason
        self.raw = raw
    }
}
