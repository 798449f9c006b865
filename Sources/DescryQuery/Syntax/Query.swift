/// A parsed query: a source and its pipeline of stages.
public struct Query: Sendable, Equatable {
    /// The source's name as written.
    public let source: String
    /// Where the source name stands.
    public let sourceSpan: SourceSpan
    /// The stages, in order.
    public let stages: [Stage]
    /// The full text, for error rendering.
    public let text: String

    /// Creates a query.
    public init(source: String, sourceSpan: SourceSpan, stages: [Stage], text: String) {
        self.source = source
        self.sourceSpan = sourceSpan
        self.stages = stages
        self.text = text
    }
}
