import DescryStore

/// Resolves a parsed query against the catalog: names to fields or columns, types on every
/// expression, aggregate rules, stage order. Produces a `Plan` or a positioned `QueryError`
/// with a hint (nearest name, what is available at that point).
public struct Checker {
    /// The catalog names are resolved in.
    public let catalog: Catalog

    /// Creates a checker.
    public init(catalog: Catalog = .standard) { self.catalog = catalog }

    /// Checks a query.
    public func check(_ query: Query) throws -> Plan {
        guard let source = catalog.source(query.source) else {
            let names = catalog.sources.map(\.name)
            let hint = EditDistance.nearest(query.source, among: names).map { "did you mean '\($0)'?" }
                ?? "sources are \(names.joined(separator: ", "))"
            throw QueryError(.check, "unknown source '\(query.source)'", at: query.sourceSpan, hint: hint, source: query.text)
        }
        var state = CheckState(source: source, text: query.text)
        return try state.run(query.stages)
    }
}
