import DescryStore

/// `descry stats`: what the store holds.
enum StatsCommand: Command {
    static let name = "stats"
    static let summary = "datasets, classes, descriptions by kind / attribute / category"
    static let dataset = Option<String?>.string("--dataset", "NAME", help: "only this dataset")

    static let signature = Signature(about: """
    Counts per dataset: classes, descriptions by kind, category and canonical attribute,
    class pairs and pair slots, images; and store-wide sources, VLMs and cached embeddings.
    """, options: [dataset])

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let stats = try context.openStore(readOnly: true).stats(dataset: a[dataset])
        if context.json { try Console.json(stats); return }
        Console.out("store: \(context.storePath) (schema v\(stats.schemaVersion)) — \(stats.datasets.count) datasets, \(stats.sources) sources, \(stats.vlms) VLMs, \(stats.embeddings) cached embeddings, \(stats.globalTemplates) global templates")
        if stats.datasets.isEmpty { Console.out("no datasets yet: try `descry import fudd DIR --dataset NAME`"); return }
        let kinds = ["class", "differential", "template", "classname"]
        let rows = stats.datasets.map { d in
            [d.name, "\(d.classes)"] + kinds.map { "\(d.byKind[$0] ?? 0)" } + ["\(d.pairs)", "\(d.pairSlots)", "\(d.images)"]
        }
        Console.out("")
        Console.out(Console.table(["dataset", "classes"] + kinds + ["pairs", "slots", "images"], rows))
        for d in stats.datasets {
            let cats = d.byCategory.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let attrs = d.byAttribute.filter { $0.key != "(none)" }.sorted { $0.value > $1.value }.prefix(8).map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            Console.out("\n\(d.name): categories: \(cats)")
            if !attrs.isEmpty { Console.out("\(d.name): top attributes: \(attrs)") }
        }
    }
}
