import DescryStore

/// `descry search`: FTS5 full-text search, ranked and highlighted.
enum SearchCommand: Command {
    static let name = "search"
    static let summary = "full-text search of descriptions (FTS5, bm25-ranked, highlighted)"
    static let help = """
    Usage: descry search <query> [--dataset NAME] [--kind KIND] [--limit N]

    The query uses FTS5 syntax: words (all must match), "exact phrases", OR, NOT,
    prefix* and NEAR(a b). Results come best-ranked first with matches highlighted.
    """

    static func run(_ args: [String], context: Context) throws {
        let a = try Arguments(args, command: name, options: ["--dataset", "--kind", "--limit"], flags: [])
        let query = try a.positionals(["query"])[0]
        var kind: DescriptionKind?
        if let k = a.value("--kind") {
            guard let parsed = DescriptionKind(rawValue: k) else { throw UsageError("unknown kind '\(k)' (class, differential, template, classname)", command: name) }
            kind = parsed
        }
        let color = Console.stdoutIsTerminal && !context.json
        let marks = color ? ("\u{1B}[1;33m", "\u{1B}[0m") : ("[", "]")
        let hits = try context.openStore().search(query, dataset: a.value("--dataset"), kind: kind,
                                                   limit: try a.int("--limit", default: 20), highlight: marks)
        if context.json { try Console.json(hits); return }
        if hits.isEmpty { Console.out("no matches for \(query)"); return }
        for h in hits {
            let where_ = [h.dataset, h.className].compactMap { $0 }.joined(separator: "/")
            let attr = h.attribute.map { " · \($0)" } ?? ""
            Console.out("\(where_) [\(h.kind)\(attr)] \(h.highlighted)")
        }
    }
}
