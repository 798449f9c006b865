/// Confused class pairs per run (`confusions`): where the FuDD loop hands Analysis's findings to the LLM.
///
/// The one owner of SQL against these tables: other modules call its methods and get records
/// back, never rows. See `Docs/architecture.md` for which repository owns which table.
public struct ConfusionRepository {
    let store: Store

    init(store: Store) { self.store = store }
}

extension Store {
    /// Confused class pairs per run (`confusions`): where the FuDD loop hands Analysis's findings to the LLM.
    public var confusions: ConfusionRepository { ConfusionRepository(store: self) }
}
