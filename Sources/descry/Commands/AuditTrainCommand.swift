import DescryAnalysis
import DescryStore
import Foundation

/// `descry audit train`: trains the learned auditor on the dev split of the labels.
enum AuditTrainCommand: Command {
    static let name = "audit train"
    static let summary = "train the learned auditor on the dev split of the labels"
    static let corpora = Option<String>.path("--corpora", "DIR", default: "../shared/corpora", help: "the corpora the labels point into")
    static let labels = Option<String?>.path("--labels", "FILE", help: "the labels (default: Data/audit/labels.tsv in the data folder)")
    static let out = Option<String>.path("--out", "FILE", default: "Data/audit/model.generated.json", help: "where the model goes")
    static let weakLabels = Option<Bool>.flag("--weak-labels", help: "also offer the attribute head weak labels (FuDD attr_type, TAP keys); CV decides")

    static let signature = Signature(about: """
    Trains the learned auditor (two logistic-regression heads over hashed word, bigram and
    character n-grams, lexicon cues, the source attribute, the words that differ from a twin
    and the rule auditor's verdict) on the dev split of the labels only; test-split items
    never reach training. Hyper-parameters (L2, epochs, class balance, feature groups) are
    chosen per head by 5-fold cross-validation within dev (seed fixed). With --weak-labels the
    attribute head is also offered 2,000 weak labels (FuDD's attr_type and TAP's keys through
    the taxonomy, from corpus items the labels do not name, weighted 0.3 against a gold label)
    and uses them only if cross-validation says so (it did not for the shipped model; it
    doubles the training time). Deterministic: the same labels and corpora give the same
    file, byte for byte. The file holds weights over hashed feature ids only (no corpus
    text), with a header naming the labels' SHA-256.
    """, options: [corpora, labels, out, weakLabels])

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let data = try context.dataDirectory()
        let labelsPath = a[labels] ?? (data as NSString).appendingPathComponent("audit/labels.tsv")
        guard let raw = FileManager.default.contents(atPath: labelsPath) else { throw UsageError("cannot read the labels at \(labelsPath)") }
        let set = try AuditEvaluationSet(labelsPath: labelsPath, corporaDirectory: a[corpora])
        let rules = RuleAuditor(lexicon: try AuditLexicon.shipped(dataDirectory: data), taxonomy: try context.taxonomy())
        let dev = AuditModelTrainer.trainingItems(set)
        let started = Date()
        var trainer = AuditModelTrainer(rules: rules)
        if a[weakLabels] { trainer = try trainer.offeringWeakLabels(from: set, labelsPath: labelsPath, corporaDirectory: a[corpora]) }
        let outcome = try trainer.train(items: dev, labelsSHA256: Hashing.sha256Hex(raw))
        let bytes = outcome.model.serialized()
        let path = a[out]
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: bytes) else { throw UsageError("cannot write \(path)") }
        let seconds = Date().timeIntervalSince(started)
        if context.json {
            try Console.json(["out": AnyEncodable(path), "bytes": AnyEncodable(bytes.count), "training_items": AnyEncodable(outcome.trainingItems),
                              "unresolved": AnyEncodable(set.unresolved.count), "seconds": AnyEncodable(seconds),
                              "category_config": AnyEncodable(outcome.model.categoryConfig.summary), "attribute_config": AnyEncodable(outcome.model.attributeConfig.summary)])
            return
        }
        for (k, v) in outcome.model.header { Console.out("\(k): \(v)") }
        if !trainer.weak.isEmpty {
            // The best attribute configuration with and without the weak labels, as CV scored them.
            for (name, trials) in [("without", outcome.attributeTrials.filter { $0.config.weakWeight == 0 }),
                                   ("with", outcome.attributeTrials.filter { $0.config.weakWeight > 0 })] {
                if let b = trials.max(by: { $0.score < $1.score }) {
                    Console.out(String(format: "attribute CV %@ weak labels: best agreement %.4f (%@)", name, b.score, b.config.summary))
                }
            }
        }
        Console.out(String(format: "wrote %@ (%d bytes, %d + %d weights) in %.1f s; %d label(s) not found in the corpora",
                           path, bytes.count, outcome.model.category.entries, outcome.model.attribute.entries, seconds, set.unresolved.count))
    }
}
