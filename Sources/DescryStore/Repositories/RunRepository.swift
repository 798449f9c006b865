/// Evaluation runs (`runs`).
///
/// The one owner of SQL against these tables: other modules call its methods and get records
/// back, never rows. See `Docs/architecture.md` for which repository owns which table.
public struct RunRepository {
    let store: Store

    init(store: Store) { self.store = store }
}

extension Store {
    /// Evaluation runs (`runs`).
    public var runs: RunRepository { RunRepository(store: self) }
}
