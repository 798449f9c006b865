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
        try store.wrap {
            let st = try store.database.cachedStatement("SELECT response, usage, status FROM llm_cache WHERE request_hash = ?")
            defer { st.reset() }
            try st.bind([hash])
            guard try st.step(), !st.isNull(at: 0) else { return nil }
            let usage = st.isNull(at: 1) ? TokenUsage() : Self.decodeUsage(st.text(at: 1))
            return CachedAnswer(content: st.text(at: 0), usage: usage, status: st.text(at: 2))
        }
    }

    /// Stores (or replaces) the answer to a request. Call inside `Store.write` when other rows
    /// depend on it; alone it is its own statement.
    public func save(_ request: ChatRequest, answer: String, usage: TokenUsage, status: String) throws {
        try store.wrap {
            try store.database.cachedStatement("""
                INSERT INTO llm_cache(request_hash, model, request, response, usage, status) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(request_hash) DO UPDATE SET response = excluded.response, usage = excluded.usage, status = excluded.status
                """).execute([request.hash, request.model, request.body, answer, usage.json, status])
        }
    }

    /// Rows in the cache, for one model or all.
    public func count(model: String? = nil) throws -> Int {
        try store.wrap {
            if let model { return try store.database.scalar("SELECT count(*) FROM llm_cache WHERE model = ?", [model]).int ?? 0 }
            return try store.database.scalar("SELECT count(*) FROM llm_cache").int ?? 0
        }
    }

    static func decodeUsage(_ json: String) -> TokenUsage {
        guard let obj = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return TokenUsage() }
        func int(_ k: String) -> Int { (obj[k] as? NSNumber)?.intValue ?? 0 }
        return TokenUsage(promptTokens: int("prompt_tokens"), completionTokens: int("completion_tokens"), totalTokens: int("total_tokens"))
    }
}
