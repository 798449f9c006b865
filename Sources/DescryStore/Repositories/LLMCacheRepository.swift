/// The LLM request cache (`llm_cache`), keyed by the SHA-256 of the exact request.
///
/// The one owner of SQL against these tables: other modules call its methods and get records
/// back, never rows. See `Docs/architecture.md` for which repository owns which table.
public struct LLMCacheRepository {
    let store: Store

    init(store: Store) { self.store = store }
}

extension Store {
    /// The LLM request cache (`llm_cache`), keyed by the SHA-256 of the exact request.
    public var llmCache: LLMCacheRepository { LLMCacheRepository(store: self) }
}
