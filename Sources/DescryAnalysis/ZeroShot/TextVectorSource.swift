/// Where text embeddings come from: the cache alone (`CachedTextVectors`), or an `Embedder`
/// that embeds and caches what is missing.
public protocol TextVectorSource {
    /// Unit vectors for `texts`, in order.
    func vectors(for texts: [String]) throws -> [[Float]]
}
