/// What a best-of-N selection did.
public struct BestOfNOutcome: Sendable, Equatable, Codable {
    /// Classes whose candidates were ranked.
    public var classesSelected = 0
    /// Candidates kept (the best K of each class).
    public var kept = 0
    /// Candidates recorded as rejected, with their scores.
    public var rejected = 0
    /// Classes skipped because some candidates have no alignment score yet.
    public var unscoredClasses: [String] = []
    /// Candidates without a score.
    public var unscoredCandidates = 0
    /// Classes with no candidates at all.
    public var classesWithoutCandidates: [String] = []

    /// Creates an empty outcome.
    public init() {}
}
