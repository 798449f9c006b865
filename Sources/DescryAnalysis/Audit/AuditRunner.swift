import DescryStore
import Foundation

/// Audits a dataset's descriptions and stores the findings in `audits` under the auditor's
/// method (`model` for the learned auditor, `rules` for the rule-based one), and, given a VLM whose `scores` hold content, method `content:<vlm>`
/// flagging descriptions whose alignment collapses without the class name.
public struct AuditRunner {
    /// The store.
    public let store: Store
    /// The auditor (learned or rules).
    public let auditor: any DescriptionAuditor

    /// A runner.
    public init(store: Store, auditor: any DescriptionAuditor) {
        self.store = store
        self.auditor = auditor
    }

    /// Audits every description of `dataset` (its templates and the global ones too).
    /// With `vlm`, descriptions whose alignment drops by more than `contentDrop` (cosine)
    /// when the class name is replaced are flagged `name-driven`, the others `content-bearing`.
    public func run(dataset: String, vlm: String? = nil, contentDrop: Double = 0.05) throws -> AuditSummary {
        do {
            let dsID = try store.datasetID(named: dataset)
            let subjects = try store.descriptions.withClassNames(datasetID: dsID)
            var summary = AuditSummary()
            try store.write {
                var verdicts: [AuditRecord] = []
                verdicts.reserveCapacity(subjects.count)
                for s in subjects {
                    let d = s.description
                    let f = auditor.audit(text: d.text, kind: d.kind, attributeRaw: d.attributeRaw, className: s.className, twin: nil)
                    verdicts.append(AuditRecord(descriptionID: d.id, method: auditor.method, verdict: f.verdict.rawValue, rationale: f.rationale))
                    summary.byVerdict[f.verdict.rawValue, default: 0] += 1
                }
                // The rule auditor's verdicts are kept beside the model's: they are its fallback
                // and what the report and score means read (method 'rules').
                if let learned = auditor as? LearnedAuditor {
                    try store.audits.upsert(subjects.map { s in
                        let f = learned.featurizer.rules.audit(text: s.description.text, kind: s.description.kind, attributeRaw: s.description.attributeRaw,
                                                               className: s.className, twin: nil)
                        return AuditRecord(descriptionID: s.description.id, method: "rules", verdict: f.verdict.rawValue, rationale: f.rationale)
                    })
                }
                try store.audits.upsert(verdicts)
                guard let vlm else { return }
                let vlmID = try store.vlms.id(named: vlm)
                let method = "content:\(vlm)"
                // A re-run replaces the whole method: descriptions no longer scored lose their verdict.
                try store.audits.delete(method: method, datasetID: dsID)
                let scored = try store.scores.list(vlmID: vlmID, datasetID: dsID).compactMap { s -> ContentCheck? in
                    guard let alignment = s.alignment, let content = s.content else { return nil }
                    return ContentCheck(descriptionID: s.descriptionID, alignment: alignment, content: content)
                }
                let checks = scored.map { $0.verdict(threshold: contentDrop, method: method) }
                try store.audits.upsert(checks)
                summary.nameDriven = checks.filter { $0.verdict == "name-driven" }.count
                summary.contentChecked = scored.count
            }
            return summary
        } catch let e as StoreError { throw AnalysisError.store(e) }
    }
}

/// One description's alignment with and without its class name.
struct ContentCheck {
    var descriptionID: Int64
    var alignment: Double
    var content: Double

    /// `name-driven` when the alignment drops by more than `threshold` without the name.
    func verdict(threshold: Double, method: String) -> AuditRecord {
        let drop = alignment - content
        return AuditRecord(descriptionID: descriptionID, method: method, verdict: drop > threshold ? "name-driven" : "content-bearing",
                           rationale: String(format: "alignment %.4f, without the class name %.4f (drop %.4f, threshold %.4f)", alignment, content, drop, threshold),
                           score: drop)
    }
}
