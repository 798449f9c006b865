/// A stored answer from `llm_cache`.
public struct CachedAnswer: Sendable, Equatable {
    /// The assistant's text.
    public var content: String
    /// Tokens the original request used.
    public var usage: TokenUsage
    /// `ok` when the answer was usable, `invalid` when it failed validation (kept for inspection).
    public var status: String

    /// Creates a cached answer.
    public init(content: String, usage: TokenUsage, status: String) {
        self.content = content
        self.usage = usage
        self.status = status
    }
}
