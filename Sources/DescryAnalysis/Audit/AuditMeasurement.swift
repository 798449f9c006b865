import DescryStore
import Foundation

/// Measures the rule-based auditor on hand-labelled FuDD sentences. The labels file holds no
/// sentence, only `dataset<TAB>sha256-prefix<TAB>label` lines; the sentences are read from the
/// FuDD corpora (`<dataset>_prompt_pairs.json` and `<dataset>_class_names.json`).
public struct AuditMeasurement: Sendable {
    /// One labelled sentence, resolved against the corpora.
    public struct Item: Sendable {
        /// The dataset.
        public var dataset: String
        /// The sentence.
        public var text: String
        /// Its raw attribute type.
        public var attributeRaw: String
        /// The class it describes.
        public var className: String
        /// The hand label.
        public var label: AuditVerdict
        /// The auditor's finding.
        public var finding: AuditFinding
    }

    /// The resolved items.
    public var items: [Item]
    /// Labels whose sentence was not found in the corpora.
    public var unresolved: Int

    /// Reads the labels and the corpora, and audits every labelled sentence.
    public init(labelsPath: String, corporaDirectory: String, auditor: RuleAuditor) throws {
        guard let raw = FileManager.default.contents(atPath: labelsPath) else {
            throw AnalysisError.badDataFile(path: labelsPath, reason: "cannot be read")
        }
        var wanted: [String: [String: AuditVerdict]] = [:]
        for (n, line) in String(decoding: raw, as: UTF8.self).split(separator: "\n").enumerated() where !line.hasPrefix("#") {
            let f = line.split(separator: "\t").map(String.init)
            guard f.count == 3, let v = AuditVerdict(rawValue: f[2]) else {
                throw AnalysisError.badDataFile(path: labelsPath, reason: "line \(n + 1): expected dataset, hash prefix and visual|non-visual|spurious separated by tabs")
            }
            wanted[f[0], default: [:]][f[1]] = v
        }
        var items: [Item] = []
        var found = 0
        for (dataset, labels) in wanted.sorted(by: { $0.key < $1.key }) {
            let base = (corporaDirectory as NSString).appendingPathComponent(dataset)
            guard let pairsData = FileManager.default.contents(atPath: base + "_prompt_pairs.json"),
                  let namesData = FileManager.default.contents(atPath: base + "_class_names.json"),
                  let pairs = try? JSONSerialization.jsonObject(with: pairsData) as? [String: [String: Any]],
                  let names = try? JSONSerialization.jsonObject(with: namesData) as? [String] else {
                throw AnalysisError.badDataFile(path: base + "_prompt_pairs.json", reason: "the FuDD corpus of '\(dataset)' cannot be read; point --corpora at the folder holding it")
            }
            var seen = Set<String>()
            for key in pairs.keys.sorted() {
                guard let entry = pairs[key], let classes = entry["classes"] as? [Int], classes.count == 2,
                      let list = entry["prompt_pairs"] as? [[String: Any]] else { continue }
                for pp in list {
                    guard let texts = pp["prompt_pair"] as? [String], texts.count == 2 else { continue }
                    for (side, text) in texts.enumerated() {
                        let h = String(Hashing.sha256Hex(text).prefix(16))
                        guard let label = labels[h], seen.insert(h).inserted, classes[side] < names.count else { continue }
                        let attr = pp["attr_type"] as? String ?? ""
                        let cls = names[classes[side]]
                        items.append(Item(dataset: dataset, text: text, attributeRaw: attr, className: cls, label: label,
                                          finding: auditor.audit(text: text, kind: .differential, attributeRaw: attr, className: cls)))
                        found += 1
                    }
                }
            }
        }
        self.items = items
        self.unresolved = wanted.values.map(\.count).reduce(0, +) - found
    }

    /// Precision and recall per category.
    public var scores: [CategoryScore] {
        AuditVerdict.allCases.map { v in
            CategoryScore(category: v, labelled: items.filter { $0.label == v }.count, predicted: items.filter { $0.finding.verdict == v }.count,
                          correct: items.filter { $0.label == v && $0.finding.verdict == v }.count)
        }
    }

    /// Share of items where auditor and label agree.
    public var accuracy: Double { items.isEmpty ? 0 : Double(items.filter { $0.label == $0.finding.verdict }.count) / Double(items.count) }
}
