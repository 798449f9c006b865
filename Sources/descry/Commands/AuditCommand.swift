import DescryAnalysis
import DescryStore
import Foundation

/// `descry audit`: category of every description (visual / non-visual / spurious) with a reason.
enum AuditCommand: Command {
    static let name = "audit"
    static let summary = "audit descriptions: visual, non-visual or spurious, with reasons"
    static let dataset = Option<String?>.string("--dataset", "NAME", help: "the dataset to audit")
    static let vlm = Option<String?>.string("--vlm", "NAME", help: "also the content check under this VLM")
    static let contentDrop = Option<Double>.double("--content-drop", "X", default: 0.05, bounds: .closed(0, 2),
                                                   help: "the alignment drop that makes a description name-driven")
    static let show = Option<Int>.int("--show", default: 3, range: 0...1000, help: "examples shown per verdict")
    static let sample = Option<Bool>.flag("--sample", help: "measure the auditor on Descry's labelled evaluation set instead")
    static let labels = Option<String?>.path("--labels", "FILE", help: "(--sample) the labels (default: Data/audit/labels.tsv)")
    static let split = Option<String>.choice("--split", "S", among: ["test", "dev", "all"], default: "test",
                                             help: "(--sample) which split to measure on")
    static let corpora = Option<String>.path("--corpora", "DIR", default: "../shared/corpora", help: "(--sample) the corpora the labels point into")
    static let showErrors = Option<Bool>.flag("--show-errors", help: "(--sample) list the descriptions the auditor got wrong")

    static let signature = Signature(usage: [
        "--dataset NAME [--vlm NAME] [--content-drop X] [--show N]",
        "--sample [--split test|dev|all] [--labels FILE] [--corpora DIR] [--show-errors]",
    ], about: """
    Rule-based (Data/audit-lexicon.json and the attribute taxonomy), deterministic: every
    description of the dataset gets a verdict and the rule that decided, stored in `audits`
    (method 'rules'). With --vlm, the content scores of `descry score` flag descriptions whose
    alignment drops by more than X (default 0.05) without the class name (method
    'content:<vlm>', verdict name-driven or content-bearing).

    --sample measures the auditor on Descry's evaluation set (Data/audit/labels.tsv: 1,650
    descriptions from every corpus in ../shared/corpora, labelled by reading them, split into
    dev and test before any tuning), on the test split by default: precision and recall per
    category pooled over the sources, accuracy per source, and attribute agreement.
    """, options: [dataset, vlm, contentDrop, show, sample, labels, split, corpora, showErrors])

    static func validate(_ a: ParsedArguments) throws {
        if !a[sample] && a[dataset] == nil { throw a.usageError("audit needs --dataset NAME (or --sample)") }
    }

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let data = try context.dataDirectory()
        let auditor = RuleAuditor(lexicon: try AuditLexicon.shipped(dataDirectory: data), taxonomy: try context.taxonomy())
        if a[sample] {
            let set = try AuditEvaluationSet(labelsPath: a[labels] ?? (data as NSString).appendingPathComponent("audit/labels.tsv"),
                                             corporaDirectory: a[corpora])
            let items = set.items.filter { a[split] == "all" || $0.split.rawValue == a[split] }
            func judge(_ i: AuditEvaluationSet.Item) -> AuditFinding {
                auditor.audit(text: i.text, kind: i.kind, attributeRaw: i.attributeRaw, className: i.className, twin: i.twin)
            }
            let m = AuditEvaluation(items) { i in let f = judge(i); return (f.verdict, f.attribute) }
            if context.json { try Console.json(m); return }
            Console.out("rule auditor on the \(a[split]) split: \(m.items) labelled descriptions from \(m.sources.count) sources; \(set.unresolved.count) label(s) not found in the corpora")
            Console.out(measurementTable(m))
            if a[showErrors] {
                for i in items {
                    let f = judge(i)
                    if f.verdict != i.label {
                        Console.out("  [\(i.source)] label \(i.label.rawValue), auditor \(f.verdict.rawValue) (\(f.rationale)): \(Excerpt.quote(i.text, limit: 160))")
                    } else if i.attribute != "none" && i.attribute != "other" && f.attribute != i.attribute {
                        Console.out("  [\(i.source)] attribute: label \(i.attribute), auditor \(f.attribute ?? "-"): \(Excerpt.quote(i.text, limit: 160))")
                    }
                }
            }
            return
        }
        guard let dataset = a[Self.dataset] else { throw a.usageError("audit needs --dataset NAME (or --sample)") }
        let drop = a[contentDrop]
        let store = try context.openStore()
        let summary = try AuditRunner(store: store, auditor: auditor).run(dataset: dataset, vlm: a[vlm], contentDrop: drop)
        if context.json {
            // Verdicts are data, so they are values, not keys: [{"verdict": "visual", "count": 154}, …].
            let byVerdict = summary.byVerdict.sorted { $0.key < $1.key }.map { ["verdict": AnyEncodable($0.key), "count": AnyEncodable($0.value)] }
            try Console.json(["by_verdict": AnyEncodable(byVerdict), "name_driven": AnyEncodable(summary.nameDriven),
                              "content_checked": AnyEncodable(summary.contentChecked)])
            return
        }
        Console.out("audited '\(dataset)': " + summary.byVerdict.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        if let n = summary.nameDriven, let c = summary.contentChecked, let vlm = a[Self.vlm] {
            Console.out("content check under \(vlm): \(n) of \(c) scored descriptions are name-driven (alignment drops > \(drop) without the class name)")
            if c == 0 { Console.err("note: no content scores yet; run `descry score --vlm \(vlm) --dataset \(dataset)` first") }
        }
        let show = a[Self.show]
        let dsID = try store.datasetID(named: dataset)
        for verdict in ["spurious", "non-visual"] {
            let examples = try store.audits.examples(verdict: verdict, datasetID: dsID, limit: show)
            if examples.isEmpty { continue }
            Console.out("  \(verdict), e.g.:")
            for x in examples { Console.out("    \(x.text)  — \(x.rationale ?? "")") }
        }
    }

    /// Precision and recall per category.
    static func measurementTable(_ m: AuditEvaluation) -> String {
        func pct(_ v: Double?) -> String { v.map { String(format: "%.1f", $0 * 100) } ?? "-" }
        let categories = Console.table(["category", "labelled", "predicted", "correct", "precision %", "recall %"], m.categories.map {
            [$0.category.rawValue, String($0.labelled), String($0.predicted), String($0.correct), pct($0.precision), pct($0.recall)]
        })
        let sources = Console.table(["source", "items", "correct", "accuracy %"], m.sources.map {
            [$0.source, String($0.items), String($0.correct), pct($0.accuracy)]
        })
        return categories + "\naccuracy \(pct(m.accuracy)) %\n\n" + sources
            + "\nattribute agreement \(pct(m.attributeAgreement)) % (\(m.attributeAgreeing) of \(m.attributeLabelled) labels that name an attribute)"
    }
}
