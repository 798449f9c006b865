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
    /// The shard embedded (`I/N`), nil for the whole dataset.
    public var shard: String?
    /// Distinct image contents of the whole dataset, when a shard was embedded (`total` is the
    /// shard's part of them).
    public var datasetTotal: Int?

    enum CodingKeys: String, CodingKey {
        case total, cached, embedded, failures, shard
        case datasetTotal = "dataset_total"
    }

    /// An empty report.
    public init() {}
}
