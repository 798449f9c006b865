/// Tokens a request used, as the server reported them (zero when it did not).
public struct TokenUsage: Sendable, Equatable, Codable {
    /// Prompt tokens.
    public var promptTokens: Int
    /// Answer tokens.
    public var completionTokens: Int
    /// Both.
    public var totalTokens: Int

    /// Creates a usage record.
    public init(promptTokens: Int = 0, completionTokens: Int = 0, totalTokens: Int = 0) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens
    }

    /// Adds another request's usage.
    public static func + (a: TokenUsage, b: TokenUsage) -> TokenUsage {
        TokenUsage(promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens,
                   totalTokens: a.totalTokens + b.totalTokens)
    }

    /// The JSON stored in `llm_cache.usage`.
    public var json: String {
        "{\"prompt_tokens\":\(promptTokens),\"completion_tokens\":\(completionTokens),\"total_tokens\":\(totalTokens)}"
    }
}
