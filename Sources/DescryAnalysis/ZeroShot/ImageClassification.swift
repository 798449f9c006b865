/// One image's zero-shot answer: the best classes and, for FuDD, the sentences that decided.
public struct ImageClassification: Sendable {
    /// The best classes with raw cosine scores, best first.
    public var ranking: Ranking
    /// For the leading classes, the sentences they were scored with and each one's cosine to
    /// the image, best first (FuDD and descriptions; empty for single-prompt methods).
    public var evidence: [(classPosition: Int, sentences: [(text: String, cosine: Float)])]
    /// The k actually used (FuDD), after clamping.
    public var k: Int?
    /// Notes for the user (k clamped, fallbacks).
    public var notes: [String]
}
