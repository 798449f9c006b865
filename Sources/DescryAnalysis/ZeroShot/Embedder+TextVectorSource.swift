import DescryVision

/// An embedder embeds (and caches) the texts the cache lacks.
extension Embedder: TextVectorSource {
    /// Cached vectors, embedding and caching the missing texts.
    public func vectors(for texts: [String]) throws -> [[Float]] { try textVectors(texts) }
}
