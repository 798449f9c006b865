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
    static let sample = Option<String?>.path("--sample", "FILE", help: "measure the auditor on these hand-labelled sentences")
    static let corpora = Option<String>.path("--corpora", "DIR", default: "../shared/corpora/fudd", help: "(--sample) the FuDD corpora")
    static let showErrors = Option<Bool>.flag("--show-errors", help: "(--sample) list the sentences the auditor got wrong")

    static let signature = Signature(usage: [
        "--dataset NAME [--vlm NAME] [--content-drop X] [--show N]",
        "--sample FILE [--corpora DIR] [--show-errors]",
    ], about: """
    Rule-based (Data/audit-lexicon.json and the attribute taxonomy), deterministic: every
    description of the dataset gets a verdict and the rule that decided, stored in `audits`
    (method 'rules'). With --vlm, the content scores of `descry score` flag descriptions whose
    alignment drops by more than X (default 0.05) without the class name (method
    'content:<vlm>', verdict name-driven or content-bearing).

    --sample measures the auditor on hand-labelled FuDD sentences (Data/audit-labels.tsv) read
    from the corpora in --corpora (default ../shared/corpora/fudd): precision and recall per
    category.
    """, options: [dataset, vlm, contentDrop, show, sample, corpora, showErrors])

    static func validate(_ a: ParsedArguments) throws {
        if a[sample] == nil && a[dataset] == nil { throw a.usageError("audit needs --dataset NAME (or --sample FILE)") }
    }

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let data = try context.dataDirectory()
        let auditor = RuleAuditor(lexicon: try AuditLexicon.shipped(dataDirectory: data), taxonomy: try context.taxonomy())
        if let sample = a[Self.sample] {
            let m = try AuditMeasurement(labelsPath: sample, corporaDirectory: a[corpora], auditor: auditor)
            if context.json { try Console.json(m.scores); return }
            Console.out("auditor on \(m.items.count) hand-labelled sentences (\(Set(m.items.map(\.dataset)).sorted().joined(separator: ", "))); \(m.unresolved) label(s) not found")
            Console.out(measurementTable(m))
            if a[showErrors] {
                for i in m.items where i.label != i.finding.verdict {
                    Console.out("  [\(i.dataset)] label \(i.label.rawValue), auditor \(i.finding.verdict.rawValue) (\(i.finding.rationale)): \(i.text)")
                }
            }
            return
        }
        guard let dataset = a[Self.dataset] else { throw a.usageError("audit needs --dataset NAME (or --sample FILE)") }
        let drop = a[contentDrop]
        let store = try context.openStore()
        let summary = try AuditRunner(store: store, auditor: auditor).run(dataset: dataset, vlm: a[vlm], contentDrop: drop)
        if context.json { try Console.json(summary); return }
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
    static func measurementTable(_ m: AuditMeasurement) -> String {
        func pct(_ v: Double?) -> String { v.map { String(format: "%.1f", $0 * 100) } ?? "-" }
        return Console.table(["category", "labelled", "predicted", "correct", "precision %", "recall %"], m.scores.map {
            [$0.category.rawValue, String($0.labelled), String($0.predicted), String($0.correct), pct($0.precision), pct($0.recall)]
        }) + "\naccuracy \(pct(m.accuracy)) %"
    }
}
