import DescryStore

/// Text vectors read from the embedding cache only; a missing text is an error that names the
/// `descry embed texts` command to run.
public struct CachedTextVectors: TextVectorSource {
    /// The store.
    public let store: Store
    /// The VLM's id.
    public let vlmID: Int64
    /// The VLM's name (for messages).
    public let vlm: String
    /// The dataset (for messages).
    public let dataset: String

    /// A cache reader for one VLM.
    public init(store: Store, vlm: String, dataset: String) throws {
        self.store = store
        self.vlm = vlm
        self.dataset = dataset
        do { self.vlmID = try store.vlms.id(named: vlm) } catch let e as StoreError { throw AnalysisError.store(e) }
    }

    /// The cached vectors of `texts`, or an error naming the `embed texts` command.
    public func vectors(for texts: [String]) throws -> [[Float]] {
        let cache = store.embeddings(vlmID: vlmID)
        let keys = texts.map(EmbeddingCache.key(text:))
        let found: [String: [Float]]
        do { found = try cache.vectors(.text, keys: keys) } catch let e as StoreError { throw AnalysisError.store(e) }
        var vectors: [[Float]] = []
        vectors.reserveCapacity(keys.count)
        var missing: [(key: String, text: String)] = []
        for (k, t) in zip(keys, texts) {
            if let v = found[k] { vectors.append(v) } else { missing.append((k, t)) }
        }
        if let first = missing.first {
            throw AnalysisError.missingTextEmbeddings(vlm: vlm, dataset: dataset, count: Set(missing.map(\.key)).count, example: first.text)
        }
        return vectors
    }
}
