/// What an `embed` run did.
public struct EmbedReport: Sendable, Equatable, Codable {
    /// Items considered.
    public var total = 0
    /// Items found in the cache (no inference).
    public var cached = 0
    /// Items embedded now.
    public var embedded = 0
    /// Items that failed, each with its path or text and the reason.
    public var failures: [String] = []

    /// An empty report.
    public init() {}
}
