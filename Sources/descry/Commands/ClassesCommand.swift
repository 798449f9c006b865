import DescryStore

/// `descry classes`: a dataset's classes and the aliases other projects' names need.
enum ClassesCommand: Command {
    static let name = "classes"
    static let summary = "class names across projects: alias, unalias, list"

    static let subcommands: [any Command.Type] = [ClassesAliasCommand.self, ClassesUnaliasCommand.self, ClassesListCommand.self]

    static let signature = Signature(usage: ["alias|unalias|list …"], about: """
    Other projects name the same classes differently ("Sea or Lake" for "lake or sea"). An
    alias, stored per dataset, makes every later import match such a key to its class; imports
    compare keys by their normalised form (case, hyphens, punctuation, camelCase, articles), and
    so do aliases. Lookup order at import: exact name, normalised name, --map, aliases, fuzzy.
    """, positionals: [.verb("alias|unalias|list")])

    static func validate(_ a: ParsedArguments) throws {
        let words = subcommands.map { String($0.name.dropFirst("classes ".count)) }
        let hint = a.positionals.first.flatMap { EditDistance.nearest($0, among: words) }.map { " (did you mean '\($0)'?)" } ?? ""
        let given = a.positionals.first.map { "unknown classes command '\($0)'\(hint); " } ?? ""
        throw a.usageError(given + "use one of \(words.joined(separator: ", ")) (see `descry classes --help`)")
    }

    static func run(_ a: ParsedArguments, context: Context) async throws {}
}

/// `descry classes alias DATASET ALIAS CLASS`.
enum ClassesAliasCommand: Command {
    static let name = "classes alias"
    static let replace = Option<Bool>.flag("--replace", help: "point an alias that names another class at this one")

    static let signature = Signature(about: """
    Makes ALIAS name the class CLASS (its name as stored, or any spelling that normalises to
    it) of DATASET. Adding the same alias again changes nothing; an alias that names another
    class needs --replace. An unknown class is an error with the nearest classes.
    Example: descry classes alias eurosat "Sea or Lake" "lake or sea"
    """, positionals: [.required("dataset"), .required("alias"), .required("class")], options: [replace])

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let p = a.positionals
        let store = try context.openStore()
        let change = try store.classMatching.addAlias(dataset: p[0], alias: p[1], className: p[2], replace: a[replace])
        let target = try store.classMatching.matcher(datasetID: try store.datasetID(named: p[0])).className(p[2])
        let className = target?.name ?? p[2]
        let what: String
        switch change {
        case .added: what = "added"
        case .unchanged: what = "unchanged"
        case .replaced: what = "replaced"
        }
        if context.json {
            var out: [String: AnyEncodable] = ["dataset": AnyEncodable(p[0]), "alias": AnyEncodable(p[1]), "class": AnyEncodable(className), "change": AnyEncodable(what)]
            if case .replaced(let previous) = change { out["previous_class"] = AnyEncodable(previous.name) }
            try Console.json(out)
            return
        }
        switch change {
        case .added: Console.out("alias '\(p[1])' -> '\(className)' added to '\(p[0])'")
        case .unchanged: Console.out("alias '\(p[1])' -> '\(className)' already in '\(p[0])'; nothing changed")
        case .replaced(let previous): Console.out("alias '\(p[1])' now names '\(className)' in '\(p[0])' (it named '\(previous.name)')")
        }
    }
}

/// `descry classes unalias DATASET ALIAS`.
enum ClassesUnaliasCommand: Command {
    static let name = "classes unalias"

    static let signature = Signature(about: """
    Removes an alias of DATASET (compared by its normalised form); an unknown alias is an
    error listing the dataset's aliases.
    """, positionals: [.required("dataset"), .required("alias")])

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let p = a.positionals
        let removed = try context.openStore().classMatching.removeAlias(dataset: p[0], alias: p[1])
        if context.json {
            try Console.json(["dataset": p[0], "alias": removed.alias, "class": removed.className, "change": "removed"])
            return
        }
        Console.out("alias '\(removed.alias)' -> '\(removed.className)' removed from '\(p[0])'")
    }
}

/// `descry classes list DATASET`.
enum ClassesListCommand: Command {
    static let name = "classes list"

    static let signature = Signature(about: """
    The classes of DATASET by index, with their aliases.
    """, positionals: [.required("dataset")])

    /// One class in `--json`.
    struct Entry: Encodable {
        let index: Int
        let name: String
        let aliases: [String]
    }

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let dataset = a.positionals[0]
        let store = try context.openStore(readOnly: true)
        let id = try store.datasetID(named: dataset)
        let aliases = Dictionary(grouping: try store.classMatching.aliases(datasetID: id), by: \.classID)
        let entries = try store.classes(ofDataset: id).map { c in
            Entry(index: c.index, name: c.name, aliases: (aliases[c.id] ?? []).map(\.alias))
        }
        if context.json { try Console.json(entries); return }
        if entries.isEmpty { Console.out("'\(dataset)' has no classes; import a class list with `descry import classes FILE --dataset \(dataset)`"); return }
        Console.out(Console.table(["index", "name", "aliases"], entries.map { ["\($0.index)", $0.name, $0.aliases.joined(separator: "; ")] }))
        let n = entries.reduce(0) { $0 + $1.aliases.count }
        Console.out("\n\(entries.count) classes, \(n) aliases")
    }
}
