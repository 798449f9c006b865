import DescryStore
import Foundation

/// The learned auditor's weights: two multinomial logistic-regression heads over hashed
/// features, one for the category, one for the canonical attribute. Read from and written to
/// `Data/audit/model.generated.json` (made by `descry audit train`; format in `Docs/analysis.md`).
public struct AuditModel: Sendable, Equatable {
    /// One softmax head: its classes and, per feature id, one weight per class.
    public struct Head: Sendable, Equatable {
        public var classes: [String]
        /// Feature id → weights (one per class, zero where pruned).
        public var weights: [Int: [Float]]

        /// A head.
        public init(classes: [String], weights: [Int: [Float]]) {
            self.classes = classes
            self.weights = weights
        }

        /// Class probabilities for sparse features.
        public func probabilities(_ features: [AuditFeature]) -> [Double] {
            var z = [Double](repeating: 0, count: classes.count)
            for f in features {
                guard let w = weights[f.id] else { continue }
                for k in 0..<classes.count { z[k] += Double(w[k]) * Double(f.value) }
            }
            return Self.softmax(z)
        }

        static func softmax(_ z: [Double]) -> [Double] {
            let m = z.max() ?? 0
            let e = z.map { Foundation.exp($0 - m) }
            let s = e.reduce(0, +)
            return e.map { $0 / s }
        }

        /// Entries with a non-zero weight.
        public var entries: Int { weights.values.reduce(0) { $0 + $1.filter { $0 != 0 }.count } }
    }

    /// The hyper-parameters of one head, chosen by cross-validation on dev.
    public struct Config: Sendable, Equatable, Hashable, Codable {
        /// L2 penalty per update.
        public var l2: Double
        public var epochs: Int
        /// Class weights ∝ (1 / frequency)^balance: 0 = none, 1 = fully balanced.
        public var balance: Double
        public var groups: [AuditFeatureGroup]
        /// Weight of each weak attribute label (FuDD `attr_type`, TAP keys; the attribute head
        /// only) against 1 for a gold label; 0: no weak labels.
        public var weakWeight: Double

        /// A configuration.
        public init(l2: Double, epochs: Int, balance: Double, groups: [AuditFeatureGroup], weakWeight: Double = 0) {
            self.l2 = l2
            self.epochs = epochs
            self.balance = balance
            self.groups = groups
            self.weakWeight = weakWeight
        }

        /// A short text form for the file header and reports.
        public var summary: String {
            "l2 \(l2), epochs \(epochs), balance \(balance), features " + groups.map(\.rawValue).joined(separator: "+")
                + (weakWeight > 0 ? ", weak labels weighted \(weakWeight)" : "")
        }
    }

    /// Quantisation step of the stored weights.
    public static let scale: Double = 1.0 / 1024
    public static let format = "descry-audit-model"
    public static let formatVersion = 1

    public var category: Head
    public var attribute: Head
    public var categoryConfig: Config
    public var attributeConfig: Config
    /// The header fields written before the weights (provenance, cross-validation scores).
    public var header: [(String, String)]

    public static func == (a: AuditModel, b: AuditModel) -> Bool {
        a.category == b.category && a.attribute == b.attribute && a.categoryConfig == b.categoryConfig && a.attributeConfig == b.attributeConfig
    }

    /// A model.
    public init(category: Head, attribute: Head, categoryConfig: Config, attributeConfig: Config, header: [(String, String)] = []) {
        self.category = category
        self.attribute = attribute
        self.categoryConfig = categoryConfig
        self.attributeConfig = attributeConfig
        self.header = header
    }

    /// The shipped model's path in a data folder.
    public static func shippedPath(dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent("audit/model.generated.json")
    }

    // MARK: file

    /// Reads a model file.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AnalysisError.badDataFile(path: path, reason: "cannot be read; the learned auditor ships in Data/audit (make it with `descry audit train`)")
        }
        func bad(_ why: String) -> AnalysisError { .badDataFile(path: path, reason: why) }
        guard let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw bad("is not a JSON object") }
        guard obj["format"] as? String == Self.format, obj["format_version"] as? Int == Self.formatVersion else {
            throw bad("expected \"format\": \"\(Self.format)\", \"format_version\": \(Self.formatVersion)")
        }
        func config(_ key: String) throws -> Config {
            guard let c = obj[key] as? [String: Any], let l2 = (c["l2"] as? NSNumber)?.doubleValue, let epochs = c["epochs"] as? Int,
                  let balance = (c["balance"] as? NSNumber)?.doubleValue, let g = c["groups"] as? [String] else { throw bad("'\(key)' is missing or malformed") }
            let groups = try g.map { name -> AuditFeatureGroup in
                guard let x = AuditFeatureGroup(rawValue: name) else { throw bad("'\(key)': unknown feature group '\(name)'") }
                return x
            }
            return Config(l2: l2, epochs: epochs, balance: balance, groups: groups, weakWeight: (c["weak_weight"] as? NSNumber)?.doubleValue ?? 0)
        }
        func head(_ key: String) throws -> Head {
            guard let h = obj[key] as? [String: Any], let classes = h["classes"] as? [String], !classes.isEmpty,
                  let rows = h["weights"] as? [[Int]] else { throw bad("'\(key)' needs classes and weights") }
            var weights: [Int: [Float]] = [:]
            for (n, row) in rows.enumerated() {
                // [feature id, class index, quantised weight, class index, quantised weight, …]
                guard row.count >= 3, row.count % 2 == 1, row[0] >= 0, row[0] < (1 << AuditFeaturizer.hashBits) else {
                    throw bad("'\(key)'.weights[\(n)]: expected [feature id, class, weight, …]")
                }
                var w = [Float](repeating: 0, count: classes.count)
                for i in stride(from: 1, to: row.count, by: 2) {
                    guard row[i] >= 0, row[i] < classes.count else { throw bad("'\(key)'.weights[\(n)]: class index \(row[i]) out of range") }
                    w[row[i]] = Float(Double(row[i + 1]) * Self.scale)
                }
                weights[row[0]] = w
            }
            return Head(classes: classes, weights: weights)
        }
        category = try head("category")
        attribute = try head("attribute")
        guard category.classes == AuditVerdict.allCases.map(\.rawValue) else { throw bad("'category'.classes must be \(AuditVerdict.allCases.map(\.rawValue))") }
        categoryConfig = try config("category_config")
        attributeConfig = try config("attribute_config")
        header = ((obj["header"] as? [String: Any]) ?? [:]).compactMap { k, v in (v as? String).map { (k, $0) } }.sorted { $0.0 < $1.0 }
    }

    /// The file's bytes: fixed key order, integers only in the weights (quantised by `scale`),
    /// one feature per line, so the same model always gives the same bytes.
    public func serialized() -> Data {
        func str(_ s: String) -> String {
            var o = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": o += "\\\""
                case "\\": o += "\\\\"
                case "\n": o += "\\n"
                case "\t": o += "\\t"
                default: if u.value < 0x20 { o += String(format: "\\u%04x", u.value) } else { o.unicodeScalars.append(u) }
                }
            }
            return o + "\""
        }
        func config(_ c: Config) -> String {
            "{\"l2\": \(c.l2), \"epochs\": \(c.epochs), \"balance\": \(c.balance), \"groups\": [" + c.groups.map { str($0.rawValue) }.joined(separator: ", ") + "]"
                + (c.weakWeight > 0 ? ", \"weak_weight\": \(c.weakWeight)" : "") + "}"
        }
        func head(_ h: Head) -> String {
            let rows = h.weights.keys.sorted().compactMap { id -> String? in
                guard let w = h.weights[id] else { return nil }
                var parts = [String(id)]
                for (k, x) in w.enumerated() {
                    let q = Int((Double(x) / Self.scale).rounded())
                    if q != 0 { parts.append(String(k)); parts.append(String(q)) }
                }
                return parts.count > 1 ? "[" + parts.joined(separator: ",") + "]" : nil
            }
            return "{\"classes\": [" + h.classes.map(str).joined(separator: ", ") + "],\n  \"weights\": [\n" + rows.joined(separator: ",\n") + "\n]}"
        }
        var o = "{\"format\": \(str(Self.format)), \"format_version\": \(Self.formatVersion),\n"
        o += "\"header\": {" + header.sorted { $0.0 < $1.0 }.map { "\n  " + str($0.0) + ": " + str($0.1) }.joined(separator: ",") + "\n},\n"
        o += "\"category_config\": \(config(categoryConfig)),\n\"attribute_config\": \(config(attributeConfig)),\n"
        o += "\"category\": \(head(category)),\n\"attribute\": \(head(attribute))\n}\n"
        return Data(o.utf8)
    }
}
