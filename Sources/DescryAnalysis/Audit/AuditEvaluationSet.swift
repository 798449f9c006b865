import DescryStore
import Foundation

/// Descry's audit evaluation set (`Data/audit/labels.tsv`): descriptions sampled from every
/// corpus in `../shared/corpora`, labelled by reading them against the rubric in
/// `Docs/analysis.md`, split into dev and test when they were drawn. The file holds keys and
/// hashes only; the texts are read back from the corpora, and a text whose hash no longer
/// matches its key is reported, not used.
public struct AuditEvaluationSet: Sendable {
    public enum Split: String, Sendable, CaseIterable, Codable { case dev, test }

    /// One labelled description, resolved against the corpora.
    public struct Item: Sendable {
        public var source: String
        public var key: String
        public var split: Split
        public var label: AuditVerdict
        /// The attribute the label names (`none` for spurious text, `other` outside the taxonomy).
        public var attribute: String
        public var confidence: String
        public var text: String
        /// The other side's sentence, for a differential description.
        public var twin: String?
        public var className: String
        /// The raw attribute the corpus gives (FuDD's `attr_type`, TAP's key), if any.
        public var attributeRaw: String?
        /// How the text arrives in a store: FuDD sentences as differential, everything else
        /// (CLIP templates filled with a class included, as per-class corpora carry them) as
        /// class descriptions.
        public var kind: DescriptionKind
    }

    public var items: [Item]
    /// Rows whose key is missing from the corpora or whose text's hash differs.
    public var unresolved: [String]

    /// Reads the labels and resolves every row against the corpora root (`../shared/corpora`).
    public init(labelsPath: String, corporaDirectory: String) throws {
        guard let raw = FileManager.default.contents(atPath: labelsPath) else {
            throw AnalysisError.badDataFile(path: labelsPath, reason: "cannot be read")
        }
        let units = try Self.units(corporaDirectory)
        var items: [Item] = []
        var unresolved: [String] = []
        for (n, line) in String(decoding: raw, as: UTF8.self).split(separator: "\n").enumerated() where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 7, let split = Split(rawValue: f[3]), let label = AuditVerdict(rawValue: f[4]) else {
                throw AnalysisError.badDataFile(path: labelsPath, reason: "line \(n + 1): expected source, key, sha256, dev|test, category, attribute, confidence")
            }
            guard let u = units[f[0] + "\t" + f[1]], Hashing.sha256Hex(u.text) == f[2] else {
                unresolved.append(f[0] + " " + f[1])
                continue
            }
            items.append(Item(source: f[0], key: f[1], split: split, label: label, attribute: f[5], confidence: f[6], text: u.text,
                              twin: u.twin, className: u.className, attributeRaw: u.attributeRaw, kind: u.kind))
        }
        self.items = items
        self.unresolved = unresolved
    }

    struct Unit { var text: String; var twin: String?; var className: String; var attributeRaw: String?; var kind: DescriptionKind }

    /// Weak attribute labels for training: corpus descriptions that carry a source attribute
    /// (FuDD's `attr_type`, TAP's keys) mapped through the taxonomy to a canonical attribute
    /// of a known category, labelled with that attribute and category (confidence `weak`).
    /// Left out: every key the labels name (dev or test, resolved or not), and every text
    /// whose SHA-256 equals a labelled item's of the same source (a duplicate of a test item
    /// would carry its label into training; of a dev item, into another fold's score). A
    /// seeded sample of `limit` in key order; all marked dev.
    public func weakAttributeItems(corporaDirectory: String, taxonomy: AttributeTaxonomy, labelledKeys: Set<String>,
                                   limit: Int, seed: UInt64) throws -> [Item] {
        let units = try Self.units(corporaDirectory)
        let labelledHashes = Set(items.map { $0.source + "\t" + Hashing.sha256Hex($0.text) })
        var pool: [Item] = []
        for key in units.keys.sorted() where !labelledKeys.contains(key) {
            guard let u = units[key], let raw = u.attributeRaw else { continue }
            let m = taxonomy.map(raw)
            guard m.category == .visual || m.category == .nonVisual, let label = AuditVerdict(rawValue: m.category.rawValue) else { continue }
            let parts = key.split(separator: "\t", maxSplits: 1).map(String.init)
            guard parts.count == 2, !labelledHashes.contains(parts[0] + "\t" + Hashing.sha256Hex(u.text)) else { continue }
            pool.append(Item(source: parts[0], key: parts[1], split: .dev, label: label, attribute: m.attribute, confidence: "weak",
                             text: u.text, twin: u.twin, className: u.className, attributeRaw: raw, kind: u.kind))
        }
        var rng = AuditRandom(seed: seed)
        if pool.count > 1 {
            for i in stride(from: pool.count - 1, to: 0, by: -1) { pool.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        }
        return Array(pool.prefix(limit))
    }

    /// Every key (`source<TAB>key`) a labels file names, resolved or not, in any split.
    public static func labelledKeys(labelsPath: String) throws -> Set<String> {
        guard let raw = FileManager.default.contents(atPath: labelsPath) else {
            throw AnalysisError.badDataFile(path: labelsPath, reason: "cannot be read")
        }
        var out = Set<String>()
        for line in String(decoding: raw, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            if f.count >= 2 { out.insert(f[0] + "\t" + f[1]) }
        }
        return out
    }

    /// Every labellable description of the corpora, keyed `source<TAB>key` exactly as
    /// `Data/audit/sample_audit_set.py` keys them.
    static func units(_ root: String) throws -> [String: Unit] {
        func json(_ rel: String) throws -> Any {
            let path = (root as NSString).appendingPathComponent(rel)
            guard let d = FileManager.default.contents(atPath: path), let v = try? JSONSerialization.jsonObject(with: d) else {
                throw AnalysisError.badDataFile(path: path, reason: "cannot be read as JSON; point --corpora at ../shared/corpora")
            }
            return v
        }
        var out: [String: Unit] = [:]
        let datasets = ["pets", "dtd", "eurosat"]
        for ds in datasets {
            guard let names = try json("fudd/\(ds)_class_names.json") as? [String],
                  let pairs = try json("fudd/\(ds)_prompt_pairs.json") as? [String: [String: Any]] else { continue }
            for (k, entry) in pairs {
                guard let cls = entry["classes"] as? [Int], cls.count == 2, cls.allSatisfy({ $0 >= 0 && $0 < names.count }),
                      let list = entry["prompt_pairs"] as? [[String: Any]] else { continue }
                for (p, pp) in list.enumerated() {
                    guard let t = pp["prompt_pair"] as? [String], t.count == 2 else { continue }
                    let attr = pp["attr_type"] as? String
                    out["fudd-\(ds)\t\(ds)/\(k)/\(p)/0"] = Unit(text: t[0], twin: t[1], className: names[cls[0]], attributeRaw: attr, kind: .differential)
                    out["fudd-\(ds)\t\(ds)/\(k)/\(p)/1"] = Unit(text: t[1], twin: t[0], className: names[cls[1]], attributeRaw: attr, kind: .differential)
                }
            }
        }
        if let templates = try json("fudd/clip_templates.json") as? [String] {
            for ds in datasets {
                guard let names = try json("fudd/\(ds)_class_names.json") as? [String] else { continue }
                for (t, tpl) in templates.enumerated() {
                    for (c, n) in names.enumerated() {
                        out["templates\t\(ds)/\(t)/\(c)"] = Unit(text: tpl.replacingOccurrences(of: "{}", with: n.replacingOccurrences(of: "_", with: " ")),
                                                                  twin: nil, className: n, attributeRaw: nil, kind: .class)
                    }
                }
            }
        }
        func perClass(_ source: String, _ rel: String, _ prefix: String) throws {
            guard let d = try json(rel) as? [String: Any] else { return }
            for (c, v) in d {
                if let byAttribute = v as? [String: [String]] {
                    for (a, texts) in byAttribute {
                        for (n, t) in texts.enumerated() {
                            out["\(source)\t\(prefix)/\(c)/\(a)/\(n)"] = Unit(text: t, twin: nil, className: c, attributeRaw: a, kind: .class)
                        }
                    }
                } else if let texts = v as? [String] {
                    for (n, t) in texts.enumerated() {
                        out["\(source)\t\(prefix)/\(c)/\(n)"] = Unit(text: t, twin: nil, className: c, attributeRaw: nil, kind: .class)
                    }
                }
            }
        }
        for ds in ["pets", "dtd"] { try perClass("cupl", "cupl/\(ds).json", ds) }
        for ds in datasets { try perClass("dclip", "dclip/\(ds).json", ds) }
        try perClass("labo", "labo/dtd.json", "dtd")
        try perClass("tap", "tap/eurosat.json", "eurosat")
        try perClass("mpvr-gpt", "mpvr/gpt-eurosat.json", "eurosat")
        try perClass("mpvr-mixtral", "mpvr/mixtral-eurosat.json", "eurosat")
        let folder = (root as NSString).appendingPathComponent("adaptclipzs/eurosat")
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where file.hasSuffix(".txt") {
            let c = String(file.dropLast(4))
            guard let d = FileManager.default.contents(atPath: folder + "/" + file) else { continue }
            // Python's line iteration with strip(): "\n" splits, CR and spaces are trimmed.
            let lines = String(decoding: d, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            for (n, line) in lines.enumerated() {
                let t = line.trimmingCharacters(in: .whitespacesAndNewlines)
                if !t.isEmpty { out["adaptclipzs\teurosat/\(c)/\(n)"] = Unit(text: t, twin: nil, className: c, attributeRaw: nil, kind: .class) }
            }
        }
        return out
    }
}

/// How an auditor does on items of the evaluation set.
public struct AuditEvaluation: Sendable, Codable {
    public struct SourceScore: Sendable, Codable, Equatable {
        public var source: String
        public var items: Int
        public var correct: Int
        public var accuracy: Double { items > 0 ? Double(correct) / Double(items) : 0 }
    }

    /// Per category, pooled over every source.
    public var categories: [CategoryScore]
    public var sources: [SourceScore]
    public var items: Int
    public var correct: Int
    public var accuracy: Double { items > 0 ? Double(correct) / Double(items) : 0 }
    /// Items whose label names an attribute (not `none` or `other`), and how many of those the
    /// auditor's attribute matches (nil attribute counts as a miss).
    public var attributeLabelled: Int
    public var attributeAgreeing: Int
    public var attributeAgreement: Double { attributeLabelled > 0 ? Double(attributeAgreeing) / Double(attributeLabelled) : 0 }

    /// Scores `verdict` (category and attribute) on `items`.
    public init(_ items: [AuditEvaluationSet.Item], verdict: (AuditEvaluationSet.Item) -> (AuditVerdict, String?)) {
        var cats = Dictionary(uniqueKeysWithValues: AuditVerdict.allCases.map { ($0, CategoryScore(category: $0, labelled: 0, predicted: 0, correct: 0)) })
        var bySource: [String: SourceScore] = [:]
        var correct = 0, attrN = 0, attrOK = 0
        for item in items {
            let (v, attribute) = verdict(item)
            cats[item.label]?.labelled += 1
            cats[v]?.predicted += 1
            var s = bySource[item.source] ?? SourceScore(source: item.source, items: 0, correct: 0)
            s.items += 1
            if v == item.label { cats[v]?.correct += 1; correct += 1; s.correct += 1 }
            bySource[item.source] = s
            if item.attribute != "none" && item.attribute != "other" {
                attrN += 1
                if attribute == item.attribute { attrOK += 1 }
            }
        }
        categories = AuditVerdict.allCases.compactMap { cats[$0] }
        sources = bySource.values.sorted { $0.source < $1.source }
        self.items = items.count
        self.correct = correct
        attributeLabelled = attrN
        attributeAgreeing = attrOK
    }
}

// The derived rates are part of the encoded form, so JSON readers get what the table shows.
extension AuditEvaluation.SourceScore {
    private enum EncodedKeys: String, CodingKey { case source, items, correct, accuracy }

    /// Encodes the counts and the accuracy derived from them.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: EncodedKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(items, forKey: .items)
        try c.encode(correct, forKey: .correct)
        try c.encode(accuracy, forKey: .accuracy)
    }
}

extension AuditEvaluation {
    private enum EncodedKeys: String, CodingKey {
        case categories, sources, items, correct, accuracy, attributeLabelled, attributeAgreeing, attributeAgreement
    }

    /// Encodes the counts and the accuracy and attribute agreement derived from them.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: EncodedKeys.self)
        try c.encode(categories, forKey: .categories)
        try c.encode(sources, forKey: .sources)
        try c.encode(items, forKey: .items)
        try c.encode(correct, forKey: .correct)
        try c.encode(accuracy, forKey: .accuracy)
        try c.encode(attributeLabelled, forKey: .attributeLabelled)
        try c.encode(attributeAgreeing, forKey: .attributeAgreeing)
        try c.encode(attributeAgreement, forKey: .attributeAgreement)
    }
}
