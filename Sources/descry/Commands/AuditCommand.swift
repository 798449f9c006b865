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
    static let showErrors = Option<Bool>.flag("--show-errors", help: "(--sample) list the descriptions the default auditor got wrong")
    static let predictions = Option<String?>.path("--predictions", "FILE",
                                                  help: "(--sample) write every item's labels and verdicts as TSV (no text) for analysis")
    static let method = Option<String>.choice("--method", "M", among: AuditMethod.allCases.map(\.rawValue), default: AuditMethod.default.rawValue,
                                              help: "the auditor: the learned model (Data/audit/model.generated.json) or the rules")

    static let subcommands: [any Command.Type] = [AuditTrainCommand.self]

    static let signature = Signature(usage: [
        "--dataset NAME [--method model|rules] [--vlm NAME] [--content-drop X] [--show N]",
        "--sample [--split test|dev|all] [--labels FILE] [--corpora DIR] [--show-errors] [--predictions FILE]",
        "train …   (retrains the learned auditor; its options below)",
    ], about: """
    Every description of the dataset gets a verdict (visual, non-visual, spurious), an
    attribute and the reason, stored in `audits`. The default auditor is the learned model
    (method 'model'; Data/audit/model.generated.json, made by `descry audit train`); the rule
    auditor (Data/audit-lexicon.json and the attribute taxonomy) is always stored beside it
    (method 'rules'), and is the only one with --method rules. With --vlm, the content
    scores of `descry score` flag descriptions whose alignment drops by more than X (default
    0.05) without the class name (method 'content:<vlm>', verdict name-driven or
    content-bearing).

    --sample measures the rules and the learned model side by side on Descry's evaluation set
    (Data/audit/labels.tsv: 2,100 descriptions from every corpus in ../shared/corpora,
    labelled by reading them, 1,275 dev and 825 test, split before any tuning), on the test split by
    default: precision and recall per category pooled over the sources, accuracy per source,
    and attribute agreement. The model was trained on dev, so its dev figures are
    cross-validated (each dev item predicted by a model trained on the other folds).
    """, options: [dataset, method, vlm, contentDrop, show, sample, labels, split, corpora, showErrors, predictions])

    static func validate(_ a: ParsedArguments) throws {
        if !a[sample] && a[dataset] == nil { throw a.usageError("audit needs --dataset NAME (or --sample)") }
    }

    /// The rules and the model measured on the same items.
    struct SideBySide: Encodable {
        var split: String
        var rules: AuditEvaluation
        var model: AuditEvaluation
        /// True when dev items were predicted by cross-validation, not by the shipped model.
        var modelDevCrossValidated: Bool
        var unresolved: Int
    }

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let data = try context.dataDirectory()
        let taxonomy = try context.taxonomy()
        let rules = RuleAuditor(lexicon: try AuditLexicon.shipped(dataDirectory: data), taxonomy: taxonomy)
        if a[sample] {
            let labelsPath = a[labels] ?? (data as NSString).appendingPathComponent("audit/labels.tsv")
            let set = try AuditEvaluationSet(labelsPath: labelsPath, corporaDirectory: a[corpora])
            let items = set.items.filter { a[split] == "all" || $0.split.rawValue == a[split] }
            let shipped = try AuditModel(contentsOf: AuditModel.shippedPath(dataDirectory: data))
            let learned = LearnedAuditor(model: shipped, rules: rules)
            let ruleFindings = items.map { rules.audit(text: $0.text, kind: $0.kind, attributeRaw: $0.attributeRaw, className: $0.className, twin: $0.twin) }
            // Dev items trained the shipped model: their figures come from cross-validation.
            let dev = items.indices.filter { items[$0].split == .dev }
            var modelFindings = items.map { learned.audit(text: $0.text, kind: $0.kind, attributeRaw: $0.attributeRaw, className: $0.className, twin: $0.twin) }
            if !dev.isEmpty {
                var trainer = AuditModelTrainer(rules: rules)
                if shipped.attributeConfig.weakWeight > 0 {
                    trainer = try trainer.offeringWeakLabels(from: set, labelsPath: labelsPath, corporaDirectory: a[corpora])
                }
                let cv = try trainer.crossValidatedFindings(items: dev.map { items[$0] }, categoryConfig: shipped.categoryConfig,
                                                            attributeConfig: shipped.attributeConfig)
                for (n, i) in dev.enumerated() { modelFindings[i] = cv[n] }
            }
            func evaluate(_ f: [AuditFinding]) -> AuditEvaluation {
                var n = 0
                return AuditEvaluation(items) { _ in defer { n += 1 }; return (f[n].verdict, f[n].attribute) }
            }
            let r = SideBySide(split: a[split], rules: evaluate(ruleFindings), model: evaluate(modelFindings), modelDevCrossValidated: !dev.isEmpty,
                               unresolved: set.unresolved.count)
            if let path = a[predictions] {
                // Keys, labels and verdicts only: the file never holds corpus text.
                var tsv = "# source\tkey\tsplit\tlabel\tattribute\tmodel\tmodel_attribute\trules\trules_attribute\n"
                for (n, i) in items.enumerated() {
                    tsv += [i.source, i.key, i.split.rawValue, i.label.rawValue, i.attribute, modelFindings[n].verdict.rawValue,
                            modelFindings[n].attribute ?? "-", ruleFindings[n].verdict.rawValue, ruleFindings[n].attribute ?? "-"].joined(separator: "\t") + "\n"
                }
                do { try tsv.write(toFile: path, atomically: true, encoding: .utf8) } catch {
                    throw CommandFailure("cannot write the predictions to \(path): \(error.localizedDescription)")
                }
            }
            if context.json { try Console.json(r); return }
            Console.out("rules and learned model on the \(a[split]) split: \(r.rules.items) labelled descriptions from \(r.rules.sources.count) sources; \(set.unresolved.count) label(s) not found in the corpora"
                        + (dev.isEmpty ? "" : "; the model's dev figures are \(AuditModelTrainer(rules: rules).folds)-fold cross-validated within dev"))
            Console.out(measurementTable(rules: r.rules, model: r.model))
            if a[showErrors] {
                for (n, i) in items.enumerated() {
                    let f = modelFindings[n]
                    if f.verdict != i.label {
                        Console.out("  [\(i.source)] label \(i.label.rawValue), model \(f.verdict.rawValue) (\(f.rationale)): \(Excerpt.quote(i.text, limit: 160))")
                    } else if i.attribute != "none" && i.attribute != "other" && f.attribute != i.attribute {
                        Console.out("  [\(i.source)] attribute: label \(i.attribute), model \(f.attribute ?? "-"): \(Excerpt.quote(i.text, limit: 160))")
                    }
                }
            }
            return
        }
        let auditor = try Auditor.shipped(dataDirectory: data, taxonomy: taxonomy, method: AuditMethod(rawValue: a[method]) ?? .default)
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
        Console.out("audited '\(dataset)' (\(auditor.method)): " + summary.byVerdict.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        if let n = summary.nameDriven, let c = summary.contentChecked, let vlm = a[Self.vlm] {
            Console.out("content check under \(vlm): \(n) of \(c) scored descriptions are name-driven (alignment drops > \(drop) without the class name)")
            if c == 0 { Console.err("note: no content scores yet; run `descry score --vlm \(vlm) --dataset \(dataset)` first") }
        }
        let show = a[Self.show]
        let dsID = try store.datasetID(named: dataset)
        for verdict in ["spurious", "non-visual"] {
            let examples = try store.audits.examples(verdict: verdict, method: auditor.method, datasetID: dsID, limit: show)
            if examples.isEmpty { continue }
            Console.out("  \(verdict), e.g.:")
            for x in examples { Console.out("    \(x.text)  — \(x.rationale ?? "")") }
        }
    }

    /// Precision and recall per category, accuracy per source and attribute agreement, rules and model side by side.
    static func measurementTable(rules: AuditEvaluation, model: AuditEvaluation) -> String {
        func pct(_ v: Double?) -> String { v.map { String(format: "%.1f", $0 * 100) } ?? "-" }
        let categories = Console.table(["category", "labelled", "rules P %", "rules R %", "model P %", "model R %"], zip(rules.categories, model.categories).map { r, m in
            [r.category.rawValue, String(r.labelled), pct(r.precision), pct(r.recall), pct(m.precision), pct(m.recall)]
        })
        let modelBySource = Dictionary(uniqueKeysWithValues: model.sources.map { ($0.source, $0) })
        let sources = Console.table(["source", "items", "rules %", "model %"], rules.sources.map {
            [$0.source, String($0.items), pct($0.accuracy), pct(modelBySource[$0.source]?.accuracy)]
        })
        return categories + "\naccuracy: rules \(pct(rules.accuracy)) %, model \(pct(model.accuracy)) %\n\n" + sources
            + "\nattribute agreement: rules \(pct(rules.attributeAgreement)) % (\(rules.attributeAgreeing) of \(rules.attributeLabelled)), model \(pct(model.attributeAgreement)) % (\(model.attributeAgreeing) of \(model.attributeLabelled) labels that name an attribute)"
    }
}
