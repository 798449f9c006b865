/// The read-only queries behind `descry report`.
///
/// The one owner of SQL against these tables: other modules call its methods and get records
/// back, never rows. See `Docs/architecture.md` for which repository owns which table.
public struct ReportRepository {
    let store: Store

    init(store: Store) { self.store = store }
}

extension Store {
    /// The read-only queries behind `descry report`.
    public var reportData: ReportRepository { ReportRepository(store: self) }
}
