/// Vision-language models (`vlms`).
///
/// The one owner of SQL against these tables: other modules call its methods and get records
/// back, never rows. See `Docs/architecture.md` for which repository owns which table.
public struct VLMRepository {
    let store: Store

    init(store: Store) { self.store = store }
}

extension Store {
    /// Vision-language models (`vlms`).
    public var vlms: VLMRepository { VLMRepository(store: self) }
}
