/// One full-text search result.
public struct SearchHit: Sendable, Codable, Equatable {
    /// Description id.
    public var id: Int64
    /// Dataset name (nil for global templates).
    public var dataset: String?
    /// Class name (nil for templates).
    public var className: String?
    /// Kind.
    public var kind: String
    /// Canonical attribute, when known.
    public var attribute: String?
    /// The text with matches wrapped in the highlight markers.
    public var highlighted: String
    /// The plain text.
    public var text: String
    /// bm25 rank (lower is better, as FTS5 reports it).
    public var rank: Double
}
