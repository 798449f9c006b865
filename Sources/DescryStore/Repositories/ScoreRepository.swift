/// Per-description scores per VLM (`scores`) and their rollup (`score_rollup`, `score_rollup_state`).
///
/// The one owner of SQL against these tables: other modules call its methods and get records
/// back, never rows. See `Docs/architecture.md` for which repository owns which table.
public struct ScoreRepository {
    let store: Store

    init(store: Store) { self.store = store }
}

extension Store {
    /// Per-description scores per VLM (`scores`) and their rollup (`score_rollup`, `score_rollup_state`).
    public var scores: ScoreRepository { ScoreRepository(store: self) }
}
