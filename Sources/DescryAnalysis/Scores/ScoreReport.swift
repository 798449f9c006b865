/// What a scoring pass did.
public struct ScoreReport: Sendable, Equatable, Codable {
    /// Descriptions scored now.
    public var computed = 0
    /// Descriptions whose inputs had not changed (kept as stored).
    public var unchanged = 0
    /// Descriptions of classes without labelled, embedded images (not scored).
    public var withoutImages = 0

    /// An empty report.
    public init() {}
}
