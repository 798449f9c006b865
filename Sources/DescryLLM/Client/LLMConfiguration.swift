import Foundation

/// Where and how to reach an OpenAI-compatible chat-completions server. The key is held here
/// only to build the Authorization header; `description` never shows it.
public struct LLMConfiguration: Sendable, CustomStringConvertible {
    /// The API root, e.g. `https://api.openai.com/v1` or `http://localhost:8000/v1`.
    public var baseURL: String
    /// The model name sent with every request.
    public var model: String
    /// The bearer key, or nil for local servers that need none.
    public var apiKey: String?
    /// Sampling temperature.
    public var temperature: Double = 0.7
    /// Upper bound on the answer's tokens.
    public var maxTokens: Int = 1024
    /// Ask for `response_format: {"type": "json_object"}` (servers that lack it ignore or refuse it).
    public var jsonMode: Bool = true
    /// Seconds one attempt may take, whole (connect, headers and body), before it counts as a timeout.
    public var timeout: Double = 120
    /// Largest answer body accepted, in bytes after content decoding.
    public var maxResponseBytes: Int = 4 << 20
    /// Attempts per request, the first included.
    public var maxAttempts: Int = 5
    /// First backoff delay in seconds; doubled per retry, jittered.
    public var backoffBase: Double = 0.5
    /// Longest backoff delay in seconds.
    public var backoffMax: Double = 30
    /// Longest `Retry-After` honoured, in seconds.
    public var maxRetryAfter: Double = 120
    /// Requests in flight at once.
    public var concurrency: Int = 4

    /// Creates a configuration.
    public init(baseURL: String, model: String, apiKey: String? = nil) {
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
    }

    /// Reads `DESCRY_LLM_BASE_URL`, `DESCRY_LLM_MODEL` and the key from `DESCRY_LLM_API_KEY`,
    /// else `OPENAI_API_KEY`. Explicit values win over the environment. The base URL defaults
    /// to OpenAI's; the model has no default, because guessing one would spend money.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment,
                                       baseURL: String? = nil, model: String? = nil) throws -> LLMConfiguration {
        func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
        let url = nonEmpty(baseURL) ?? nonEmpty(env["DESCRY_LLM_BASE_URL"]) ?? "https://api.openai.com/v1"
        guard let m = nonEmpty(model) ?? nonEmpty(env["DESCRY_LLM_MODEL"]) else {
            throw LLMError.configuration("no model: set DESCRY_LLM_MODEL or pass --model")
        }
        let key = nonEmpty(env["DESCRY_LLM_API_KEY"]) ?? nonEmpty(env["OPENAI_API_KEY"])
        let c = LLMConfiguration(baseURL: url, model: m, apiKey: key)
        try c.validate()
        return c
    }

    /// Checks the URL and the numbers, with a message naming the bad one.
    public func validate() throws {
        guard let u = URL(string: baseURL), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https", u.host != nil else {
            throw LLMError.configuration("base URL '\(baseURL)' is not an http(s) URL (e.g. http://localhost:8000/v1)")
        }
        guard concurrency >= 1 && concurrency <= 256 else { throw LLMError.configuration("concurrency must be 1…256, got \(concurrency)") }
        guard (1...Self.attemptsRange.upperBound).contains(maxAttempts) else {
            throw LLMError.configuration("attempts must be 1…\(Self.attemptsRange.upperBound), got \(maxAttempts)")
        }
        guard timeout.isFinite, timeout > 0, timeout <= Self.maximumTimeout else {
            throw LLMError.configuration("timeout must be a number of seconds above 0 and at most \(Int(Self.maximumTimeout)), got \(timeout)")
        }
        guard Self.responseBytesRange.contains(maxResponseBytes) else {
            throw LLMError.configuration("the response cap must be \(Self.responseBytesRange.lowerBound)…\(Self.responseBytesRange.upperBound) bytes, got \(maxResponseBytes)")
        }
        guard maxTokens > 0 else { throw LLMError.configuration("max tokens must be positive") }
    }

    /// Accepted attempts per request.
    public static let attemptsRange = 1...20
    /// Longest per-request deadline accepted, in seconds (`inf` or 1e308 crashed FoundationNetworking).
    public static let maximumTimeout = 3600.0
    /// Accepted response caps, in bytes.
    public static let responseBytesRange = 1024...(1 << 30)

    /// The chat-completions endpoint.
    public var completionsURL: String {
        (baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL) + "/chat/completions"
    }

    /// Everything but the key.
    public var description: String {
        "model \(model) at \(baseURL) (key \(apiKey == nil ? "not set" : "set"), concurrency \(concurrency), timeout \(timeout)s)"
    }
}
