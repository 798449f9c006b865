import Foundation

/// Every failure of the LLM module, each with a one-line message that says what to fix.
/// Messages never contain the API key: text that came from a server passes through
/// `Redaction` before it is kept.
public enum LLMError: Error, CustomStringConvertible, Sendable {
    /// A setting is missing or malformed (base URL, model, concurrency…).
    case configuration(String)
    /// The server refused the key (401/403). Stops the run: retrying cannot help.
    case unauthorized(url: String, status: Int, message: String)
    /// The server does not know the URL or the model (404). Stops the run.
    case notFound(url: String, message: String)
    /// A non-retryable HTTP error for one request (400, 422…).
    case http(status: Int, message: String)
    /// Retries were exhausted on 429, 5xx, timeouts or dropped connections.
    case retriesExhausted(attempts: Int, last: String)
    /// The answer's body passed the size cap (counted after content decoding); nothing of it is kept.
    case responseTooLarge(limit: Int)
    /// The server redirected to another origin. Not followed: the key is never sent across origins.
    case redirectRefused(from: String, to: String)
    /// The server answered 200 with a body that is not a chat completion.
    case malformedResponse(String)
    /// `--offline` and the request is not in the cache.
    case offlineMiss(requestHash: String)
    /// A prompt file is missing or malformed.
    case promptFile(path: String, message: String)
    /// The answer did not match what was asked, even after the corrective retry.
    case invalidAnswer(reason: String, raw: String)
    /// What was asked of the store does not exist (dataset, class, VLM, rows).
    case notFoundInStore(String)
    /// The store failed underneath.
    case store(String)

    /// Whether this error ends the whole run rather than one request.
    public var isFatal: Bool {
        switch self {
        case .unauthorized, .notFound, .configuration, .redirectRefused: return true
        default: return false
        }
    }

    /// The message shown to the user.
    public var description: String {
        switch self {
        case .configuration(let m): return "LLM configuration: \(m)"
        case .unauthorized(let url, let status, let m):
            return "the LLM server at \(url) refused the API key (HTTP \(status)): \(m). Check DESCRY_LLM_API_KEY or OPENAI_API_KEY"
        case .notFound(let url, let m):
            return "the LLM server answered 404 for \(url): \(m). Check DESCRY_LLM_BASE_URL (it usually ends in /v1) and DESCRY_LLM_MODEL"
        case .http(let status, let m): return "the LLM server answered HTTP \(status): \(m)"
        case .retriesExhausted(let n, let last): return "gave up after \(n) attempts: \(last)"
        case .responseTooLarge(let limit):
            return "the LLM server's answer is larger than the \(limit)-byte cap (--max-response-bytes); nothing of it was kept"
        case .redirectRefused(let from, let to):
            return "the LLM server at \(from) redirected to another origin (\(to)); not followed, so the API key is never sent there. Point DESCRY_LLM_BASE_URL at the final server"
        case .malformedResponse(let m): return "the LLM server's answer is not a chat completion: \(m)"
        case .offlineMiss(let h): return "offline: request \(h.prefix(12)) is not in the cache"
        case .promptFile(let p, let m): return "\(p): \(m)"
        case .invalidAnswer(let reason, let raw):
            return "the answer does not match the request (\(reason)); raw text: \(Redaction.excerpt(raw, limit: 200))"
        case .notFoundInStore(let m): return m
        case .store(let m): return m
        }
    }
}
