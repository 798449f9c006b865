/// A range of a query's text, in Unicode scalar offsets from the start of the query.
/// Offsets (not line/column) are stored so spans stay cheap; `QueryError` turns them into
/// line, column and a caret when it renders.
public struct SourceSpan: Sendable, Equatable, Hashable {
    /// Offset of the first scalar.
    public var start: Int
    /// Offset one past the last scalar (equal to `start` for an empty span, e.g. end of input).
    public var end: Int

    /// Creates a span.
    public init(start: Int, end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest span covering both.
    public func union(_ other: SourceSpan) -> SourceSpan {
        SourceSpan(start: min(start, other.start), end: max(end, other.end))
    }

    /// Number of scalars covered.
    public var length: Int { end - start }
}
