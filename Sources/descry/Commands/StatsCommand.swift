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
        if context.json { try Console.json(JSONView(stats)); return }
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

    /// `stats --json`: the store's counts with every key a field name, never data: the counts
    /// by kind, category and attribute are lists of `{"kind": …, "count": …}` objects (largest
    /// first), and descriptions without a value count under null (`"attribute": null`).
    struct JSONView: Encodable {
        struct Dataset: Encodable {
            let name: String
            let classes: Int
            let byKind: [[String: AnyEncodable]]
            let byCategory: [[String: AnyEncodable]]
            let byAttribute: [[String: AnyEncodable]]
            let pairs: Int
            let pairSlots: Int
            let images: Int
        }
        let schemaVersion: Int
        let datasets: [Dataset]
        let globalTemplates: Int
        let sources: Int
        let vlms: Int
        let embeddings: Int

        init(_ s: StoreStats) {
            func counts(_ field: String, _ map: [String: Int]) -> [[String: AnyEncodable]] {
                map.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { key, count in
                    // The store counts NULLs under "(none)"; JSON says null.
                    [field: key == "(none)" ? AnyEncodable(String?.none) : AnyEncodable(key), "count": AnyEncodable(count)]
                }
            }
            schemaVersion = s.schemaVersion
            datasets = s.datasets.map { d in
                Dataset(name: d.name, classes: d.classes, byKind: counts("kind", d.byKind), byCategory: counts("category", d.byCategory),
                        byAttribute: counts("attribute", d.byAttribute), pairs: d.pairs, pairSlots: d.pairSlots, images: d.images)
            }
            globalTemplates = s.globalTemplates
            sources = s.sources
            vlms = s.vlms
            embeddings = s.embeddings
        }
    }
}
