/// Registered images (`images`).
///
/// The one owner of SQL against these tables: other modules call its methods and get records
/// back, never rows. See `Docs/architecture.md` for which repository owns which table.
public struct ImageRepository {
    let store: Store

    init(store: Store) { self.store = store }
}

extension Store {
    /// Registered images (`images`).
    public var images: ImageRepository { ImageRepository(store: self) }
}
