import DescryAnalysis
import DescryStore
import Foundation

/// `descry audit`: category of every description (visual / non-visual / spurious) with a reason.
enum AuditCommand: Command {
    static let name = "audit"
    static let summary = "audit descriptions: visual, non-visual or spurious, with reasons"
    static let help = """
    Usage: descry audit --dataset NAME [--vlm NAME] [--content-drop X] [--show N]
           descry audit --sample FILE [--corpora DIR] [--show-errors]

    Rule-based (Data/audit-lexicon.json and the attribute taxonomy), deterministic: every
    description of the dataset gets a verdict and the rule that decided, stored in `audits`
    (method 'rules'). With --vlm, the content scores of `descry score` flag descriptions whose
    alignment drops by more than X (default 0.05) without the class name (method
    'content:<vlm>', verdict name-driven or content-bearing).

    --sample measures the auditor on hand-labelled FuDD sentences (Data/audit-labels.tsv) read
    from the corpora in --corpora (default ../shared/corpora/fudd): precision and recall per
    category.
    """

    static func run(_ args: [String], context: Context) throws {
        let a = try Arguments(args, command: name, options: ["--dataset", "--vlm", "--content-drop", "--show", "--sample", "--corpora"],
                              flags: ["--show-errors"])
        _ = try a.positionals([])
        let data = try context.dataDirectory()
        let auditor = RuleAuditor(lexicon: try AuditLexicon.shipped(dataDirectory: data), taxonomy: try context.taxonomy())
        if let sample = a.value("--sample") {
            let m = try AuditMeasurement(labelsPath: sample, corporaDirectory: a.value("--corpora") ?? "../shared/corpora/fudd", auditor: auditor)
            if context.json { try Console.json(m.scores); return }
            Console.out("auditor on \(m.items.count) hand-labelled sentences (\(Set(m.items.map(\.dataset)).sorted().joined(separator: ", "))); \(m.unresolved) label(s) not found")
            Console.out(measurementTable(m))
            if a.flag("--show-errors") {
                for i in m.items where i.label != i.finding.verdict {
                    Console.out("  [\(i.dataset)] label \(i.label.rawValue), auditor \(i.finding.verdict.rawValue) (\(i.finding.rationale)): \(i.text)")
                }
            }
            return
        }
        guard let dataset = a.value("--dataset") else { throw UsageError("audit needs --dataset NAME (or --sample FILE)", command: name) }
        let drop = a.value("--content-drop").map { Double($0) } ?? 0.05
        guard let drop else { throw UsageError("--content-drop expects a number", command: name) }
        let store = try context.openStore()
        let summary = try AuditRunner(store: store, auditor: auditor).run(dataset: dataset, vlm: a.value("--vlm"), contentDrop: drop)
        if context.json { try Console.json(summary); return }
        Console.out("audited '\(dataset)': " + summary.byVerdict.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        if let n = summary.nameDriven, let c = summary.contentChecked {
            Console.out("content check under \(a.value("--vlm")!): \(n) of \(c) scored descriptions are name-driven (alignment drops > \(drop) without the class name)")
            if c == 0 { Console.err("note: no content scores yet; run `descry score --vlm \(a.value("--vlm")!) --dataset \(dataset)` first") }
        }
        let show = try a.int("--show", default: 3)
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
