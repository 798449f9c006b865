extension Store {
    /// The statement that recomputes `score_rollup` from `scores` and `descriptions`.
    static let scoreRollupRebuild = """
        INSERT INTO score_rollup
        SELECT s.vlm_id, coalesce(d.dataset_id, 0), d.kind, coalesce(d.attribute, ''), d.category, count(*),
               count(s.alignment), coalesce(sum(s.alignment), 0), coalesce(sum(s.alignment * s.alignment), 0), min(s.alignment), max(s.alignment),
               count(s.lift), coalesce(sum(s.lift), 0), coalesce(sum(s.lift * s.lift), 0), min(s.lift), max(s.lift),
               count(s.margin), coalesce(sum(s.margin), 0), coalesce(sum(s.margin * s.margin), 0), min(s.margin), max(s.margin),
               count(s.content), coalesce(sum(s.content), 0), coalesce(sum(s.content * s.content), 0), min(s.content), max(s.content)
        FROM scores s JOIN descriptions d ON d.id = s.description_id
        GROUP BY 1, 2, 3, 4, 5
        """

    /// True when the store has the score rollup (schema 2) and no score changed since it was
    /// last rebuilt.
    public func isScoreRollupFresh() throws -> Bool {
        try wrap {
            let exists = try database.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'score_rollup_state'").int ?? 0
            guard exists == 1 else { return false }
            return try database.scalar("SELECT stale FROM score_rollup_state WHERE id = 1").int == 0
        }
    }

    /// Rebuilds the score rollup when scores changed since the last rebuild, in one
    /// transaction. Writers of scores may call it after a batch; `descry query` calls it when
    /// the store is writable. Returns true when it rebuilt.
    @discardableResult
    public func refreshScoreRollup() throws -> Bool {
        guard try !isScoreRollupFresh() else { return false }
        try write {
            try database.execute("DELETE FROM score_rollup")
            try database.execute(Self.scoreRollupRebuild)
            try database.execute("UPDATE score_rollup_state SET stale = 0 WHERE id = 1")
        }
        return true
    }
}
