/// Class pairs and their differential descriptions (`pairs`, `pair_members`), keyed by dataset, class pair and VLM.
///
/// The one owner of SQL against these tables: other modules call its methods and get records
/// back, never rows. See `Docs/architecture.md` for which repository owns which table.
public struct PairRepository {
    let store: Store

    init(store: Store) { self.store = store }
}

extension Store {
    /// Class pairs and their differential descriptions (`pairs`, `pair_members`), keyed by dataset, class pair and VLM.
    public var pairs: PairRepository { PairRepository(store: self) }
}
