import DescryStore

/// `descry search`: FTS5 full-text search, ranked and highlighted.
enum SearchCommand: Command {
    static let name = "search"
    static let summary = "full-text search of descriptions (FTS5, bm25-ranked, highlighted)"
    static let dataset = Option<String?>.string("--dataset", "NAME", help: "only descriptions of this dataset")
    static let kind = Option<DescriptionKind?>.choice("--kind", "KIND", defaultText: "every kind", help: "only descriptions of this kind")
    static let limit = Option<Int>.int("--limit", default: 20, range: 1...Int.max, help: "results to show")

    static let signature = Signature(about: """
    The query uses FTS5 syntax: words (all must match), "exact phrases", OR, NOT,
    prefix* and NEAR(a b). Results come best-ranked first with matches highlighted.
    """, positionals: [.required("query")], options: [dataset, kind, limit])

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let query = a.positionals[0]
        let kind = a[Self.kind]
        let color = Console.stdoutIsTerminal && !context.json
        let marks = color ? ("\u{1B}[1;33m", "\u{1B}[0m") : ("[", "]")
        let hits = try context.openStore(readOnly: true).search(query, dataset: a[dataset], kind: kind,
                                                   limit: a[limit], highlight: marks)
        if context.json { try Console.json(hits); return }
        if hits.isEmpty { Console.out("no matches for \(query)"); return }
        for h in hits {
            let where_ = [h.dataset, h.className].compactMap { $0 }.joined(separator: "/")
            let attr = h.attribute.map { " · \($0)" } ?? ""
            Console.out("\(where_) [\(h.kind)\(attr)] \(h.highlighted)")
        }
    }
}
