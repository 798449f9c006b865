/// One row of the LLM request cache: the exact request and the answer it got.
public struct LLMCacheEntry: Sendable, Equatable {
    /// SHA-256 of the exact request body: the key.
    public var requestHash: String
    /// The model the request named.
    public var model: String
    /// The exact request body (JSON), as sent.
    public var request: String
    /// The answer's text; nil when none was kept.
    public var response: String?
    /// Token usage of the answer, as JSON (`prompt_tokens`, `completion_tokens`, `total_tokens`).
    public var usage: String?
    /// `ok` for a usable answer, `invalid` for one that failed validation (kept for inspection).
    public var status: String
    /// When the row was first written (ISO 8601, UTC); set by the store.
    public var created: String?

    /// Creates an entry to write; `created` is left to the store.
    public init(requestHash: String, model: String, request: String, response: String?, usage: String?, status: String) {
        self.requestHash = requestHash
        self.model = model
        self.request = request
        self.response = response
        self.usage = usage
        self.status = status
        self.created = nil
    }
}

/// What a cache lookup needs to replay an answer, without the (large) request body.
public struct LLMCachedResponse: Sendable, Equatable {
    /// The answer's text.
    public var response: String
    /// Token usage as JSON, when recorded.
    public var usage: String?
    /// The entry's status (`ok` or `invalid`).
    public var status: String

    /// Creates a record.
    public init(response: String, usage: String?, status: String) {
        self.response = response
        self.usage = usage
        self.status = status
    }
}

/// The LLM request cache (`llm_cache`), keyed by the SHA-256 of the exact request.
///
/// The one owner of SQL against this table: other modules call its methods and get records
/// back, never rows. See `Docs/architecture.md` for which repository owns which table.
public struct LLMCacheRepository {
    let store: Store

    init(store: Store) { self.store = store }

    static let responseSQL = "SELECT response, usage, status FROM llm_cache WHERE request_hash = ?"

    // A second answer to the same request replaces answer, usage and status; model, request
    // body and creation time stay those of the first write (the key already fixes the body).
    static let putSQL = """
        INSERT INTO llm_cache(request_hash, model, request, response, usage, status) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(request_hash) DO UPDATE SET response = excluded.response, usage = excluded.usage, status = excluded.status
        """

    /// The stored answer to a request, nil when the request is not cached or has no answer text.
    public func response(requestHash: String) throws -> LLMCachedResponse? {
        try store.wrap {
            guard let row = try store.database.row(Self.responseSQL, [requestHash]),
                  let response = try row.optionalString("response") else { return nil }
            return LLMCachedResponse(response: response, usage: try row.optionalString("usage"), status: try row.string("status"))
        }
    }

    /// Stores an entry, or replaces the answer, usage and status of the one with its hash.
    /// Not a transaction of its own: call it inside `Store.write` when other rows depend on it.
    public func put(_ entry: LLMCacheEntry) throws {
        try store.wrap {
            try store.database.cachedStatement(Self.putSQL).execute(
                [entry.requestHash, entry.model, entry.request, entry.response, entry.usage, entry.status])
        }
    }

    /// The entry with a request hash, nil when absent.
    public func entry(requestHash: String) throws -> LLMCacheEntry? {
        try store.wrap {
            try store.database.row(
                "SELECT request_hash, model, request, response, usage, status, created FROM llm_cache WHERE request_hash = ?",
                [requestHash]
            ).map(Self.entry)
        }
    }

    /// Every entry of `status` that has answer text, in request-hash order (stable across runs).
    public func answered(status: String) throws -> [LLMCacheEntry] {
        try store.wrap {
            try store.database.rows("""
                SELECT request_hash, model, request, response, usage, status, created FROM llm_cache
                WHERE status = ? AND response IS NOT NULL ORDER BY request_hash
                """, [status]).map(Self.entry)
        }
    }

    /// Entries in the cache, for one model or all.
    public func count(model: String? = nil) throws -> Int {
        try store.wrap {
            if let model { return try store.database.scalar(Int.self, "SELECT count(*) AS n FROM llm_cache WHERE model = ?", [model]) }
            return try store.database.scalar(Int.self, "SELECT count(*) AS n FROM llm_cache")
        }
    }

    static func entry(_ row: Row) throws -> LLMCacheEntry {
        var e = LLMCacheEntry(requestHash: try row.string("request_hash"), model: try row.string("model"),
                              request: try row.string("request"), response: try row.optionalString("response"),
                              usage: try row.optionalString("usage"), status: try row.string("status"))
        e.created = try row.optionalString("created")
        return e
    }
}

extension Store {
    /// The LLM request cache (`llm_cache`), keyed by the SHA-256 of the exact request.
    public var llmCache: LLMCacheRepository { LLMCacheRepository(store: self) }
}
