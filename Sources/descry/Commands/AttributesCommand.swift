import DescryAnalysis
import DescryStore

/// `descry attributes`: the taxonomy mapping, inspectable.
enum AttributesCommand: Command {
    static let name = "attributes"
    static let summary = "raw attribute types -> canonical attribute + category, with counts"
    static let dataset = Option<String?>.string("--dataset", "NAME", help: "only raw types used in this dataset")
    static let map = Option<[String]>.strings("--map", "\"RAW TYPE\"", help: "map raw types without a store")
    static let taxonomy = Option<Bool>.flag("--taxonomy", help: "list the canonical attributes and their categories")
    static let remap = Option<Bool>.flag("--remap", help: "re-apply the taxonomy, and type again the descriptions without a source attribute")
    static let explain = Option<String?>.string("--explain", "\"TEXT\"", help: "show how one text is typed: attribute, category, confidence, reason")
    static let className = Option<String?>.string("--class", "NAME", help: "(--explain) the class the text describes, read past by the auditor")
    static let method = Option<String>.choice("--method", "M", among: AuditMethod.allCases.map(\.rawValue), default: AuditMethod.default.rawValue,
                                              help: "(--explain) the auditor: the learned model or the rules")

    static let signature = Signature(about: """
    Lists every raw attribute type stored (for one dataset or all), the canonical attribute
    and category the taxonomy (Data/attribute-taxonomy.json) maps it to, the rule that
    decided, and how many pair slots and descriptions use it.

    Descriptions without a source attribute (per-class corpora) are typed at import from their
    text by the learned auditor (Data/audit/model.generated.json; Docs/analysis.md): a
    canonical attribute ("none" for spurious text), a category, a confidence and a one-line
    reason naming the strongest features. --explain shows it for one text (--method rules for
    the rule auditor).
    """, options: [dataset, map, taxonomy, remap, explain, className, method])

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let taxonomy = try context.taxonomy()
        if a[Self.taxonomy] {
            if context.json {
                try Console.json(taxonomy.attributes.map { ["name": $0.name, "category": $0.category.rawValue, "summary": $0.summary] })
                return
            }
            Console.out(Console.table(["attribute", "category", "covers"], taxonomy.attributes.map { [$0.name, $0.category.rawValue, $0.summary] }))
            return
        }
        if !a[map].isEmpty {
            let maps = a[map].map { taxonomy.map($0) }
            if context.json { try Console.json(maps); return }
            Console.out(Console.table(["raw type", "attribute", "category", "rule"], maps.map { [$0.raw, $0.attribute, $0.category.rawValue, $0.rule] }))
            return
        }
        if let text = a[explain] {
            let auditor = try Auditor.shipped(dataDirectory: try context.dataDirectory(), taxonomy: taxonomy, method: AuditMethod(rawValue: a[method]) ?? .default)
            let t = auditor.type(text: text, kind: .class, attributeRaw: nil, className: a[className])
            if context.json { try Console.json(t); return }
            Console.out(Console.table(["attribute", "category", "confidence", "reason"],
                                      [[t.attribute, t.category.rawValue, String(format: "%.2f", t.confidence), t.reason]]))
            return
        }
        // Only --remap writes; reading commands never create or migrate a store.
        let store = try context.openStore(readOnly: !a[remap])
        if a[remap] {
            let n = try store.remapAttributes()
            let typed = try store.typer.map { try store.retypeDescriptions(with: $0) } ?? 0
            Console.out("re-mapped \(n) descriptions; typed \(typed) again from their text")
            return
        }
        let usage = try store.attributeUsage(dataset: a[dataset])
        if context.json { try Console.json(usage); return }
        if usage.isEmpty { Console.out("no raw attribute types stored yet"); return }
        Console.out(Console.table(["raw type", "attribute", "category", "slots", "descriptions", "rule"],
                                  usage.map { [$0.mapping.raw, $0.mapping.attribute, $0.mapping.category.rawValue, "\($0.slots)", "\($0.descriptions)", $0.mapping.rule] }))
        let unknown = usage.filter { $0.mapping.category == .unknown }.count
        Console.out("\n\(usage.count) raw types, \(unknown) unmapped")
    }
}
