/// Length statistics of the FTS5 index, as bm25 uses them.
public struct SearchStatistics: Sendable, Equatable {
    /// Indexed rows.
    public let rows: Int
    /// Tokens in all rows.
    public let tokens: Int
    /// Tokens in the shortest row.
    public let minTokens: Int

    /// Creates statistics.
    public init(rows: Int, tokens: Int, minTokens: Int) {
        self.rows = rows
        self.tokens = tokens
        self.minTokens = minTokens
    }
}
