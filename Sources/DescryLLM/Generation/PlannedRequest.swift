/// A request a run would send, for `--dry-run`.
public struct PlannedRequest: Sendable, Equatable, Codable {
    /// The job's label.
    public var label: String
    /// The cache key.
    public var hash: String
    /// The exact JSON body.
    public var body: String
    /// Estimated prompt tokens (about 4 characters a token).
    public var promptTokens: Int
    /// The answer's token limit (`max_tokens`), an upper bound.
    public var maxAnswerTokens: Int
    /// Whether the cache already holds its answer (it would not be sent).
    public var cached: Bool

    /// Creates a planned request.
    public init(label: String, hash: String, body: String, promptTokens: Int, maxAnswerTokens: Int, cached: Bool) {
        self.label = label
        self.hash = hash
        self.body = body
        self.promptTokens = promptTokens
        self.maxAnswerTokens = maxAnswerTokens
        self.cached = cached
    }
}
