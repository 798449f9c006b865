import DescryStore
import Foundation

/// The request cache in `llm_cache`: request hash → the exact request body and its answer.
/// Rows are written in the same transaction as the descriptions made from them, and first,
/// so a killed run loses at most the requests in flight.
public struct RequestCache {
    /// Status of a usable answer.
    public static let ok = "ok"
    /// Status of an answer that failed validation; its raw text is kept.
    public static let invalid = "invalid"

    /// The store holding the cache.
    public let store: Store

    /// Creates a cache view over a store.
    public init(store: Store) { self.store = store }

    /// The stored answer for a request hash, if any.
    public func lookup(_ hash: String) throws -> CachedAnswer? {
        guard let hit = try store.llmCache.response(requestHash: hash) else { return nil }
        return CachedAnswer(content: hit.response, usage: hit.usage.map(Self.decodeUsage) ?? TokenUsage(), status: hit.status)
    }

    /// Stores (or replaces) the answer to a request. Call inside `Store.write` when other rows
    /// depend on it; alone it is its own statement.
    public func save(_ request: ChatRequest, answer: String, usage: TokenUsage, status: String) throws {
        try store.llmCache.put(LLMCacheEntry(requestHash: request.hash, model: request.model, request: request.body,
                                             response: answer, usage: usage.json, status: status))
    }

    /// Rows in the cache, for one model or all.
    public func count(model: String? = nil) throws -> Int {
        try store.llmCache.count(model: model)
    }

    static func decodeUsage(_ json: String) -> TokenUsage {
        guard let obj = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return TokenUsage() }
        func int(_ k: String) -> Int { (obj[k] as? NSNumber)?.intValue ?? 0 }
        return TokenUsage(promptTokens: int("prompt_tokens"), completionTokens: int("completion_tokens"), totalTokens: int("total_tokens"))
    }
}
