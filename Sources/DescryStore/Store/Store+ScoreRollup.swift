/// The score rollup: shorthands for `scores` (`ScoreRepository`), which owns the tables.
extension Store {
    /// True when the store has the score rollup (schema 2) and no score changed since it was
    /// last rebuilt.
    public func isScoreRollupFresh() throws -> Bool { try scores.isRollupFresh() }

    /// Rebuilds the score rollup when scores changed since the last rebuild (see
    /// `ScoreRepository.refreshRollup`). Returns true when it rebuilt.
    @discardableResult
    public func refreshScoreRollup() throws -> Bool { try scores.refreshRollup() }
}
