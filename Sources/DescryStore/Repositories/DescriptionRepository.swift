/// Descriptions and their full-text index (`descriptions`, `descriptions_fts`), read side; writes go through `DescriptionWriter`.
///
/// The one owner of SQL against these tables: other modules call its methods and get records
/// back, never rows. See `Docs/architecture.md` for which repository owns which table.
public struct DescriptionRepository {
    let store: Store

    init(store: Store) { self.store = store }
}

extension Store {
    /// Descriptions and their full-text index (`descriptions`, `descriptions_fts`), read side; writes go through `DescriptionWriter`.
    public var descriptions: DescriptionRepository { DescriptionRepository(store: self) }
}
