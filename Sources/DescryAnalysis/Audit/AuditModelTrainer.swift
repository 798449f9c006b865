import DescryStore
import Foundation

/// Trains the learned auditor on the **dev** split of the evaluation set: hyper-parameters per
/// head by k-fold cross-validation within dev, then both heads on all of dev. Deterministic
/// (fixed seed, fixed order): the same labels and corpora give the same model, byte for byte.
/// Test-split items never reach it: `train` throws if one is handed in.
public struct AuditModelTrainer: Sendable {
    public let featurizer: AuditFeaturizer
    public var folds = 5
    public var seed: UInt64 = 20_261_202
    /// Stored entries (feature, class) kept per head after training: the largest weights.
    public var categoryCap = 30_000
    public var attributeCap = 50_000
    /// AdaGrad step.
    public var learningRate = 0.5
    /// Weak attribute labels (`AuditEvaluationSet.weakAttributeItems`): when present, the
    /// attribute head's grid also tries each configuration with them added to every training
    /// fold at `weakWeights`, their source-attribute features removed (so the words, not the
    /// attribute they came with, must carry the label); cross-validation decides. Never scored.
    public var weak: [AuditEvaluationSet.Item] = []
    public var weakWeights: [Double] = [0.3]
    /// Weak labels drawn (seeded) from the corpora's unlabelled items with a source attribute.
    public var weakLimit = 2000

    /// This trainer, offered the weak attribute labels of `set`'s corpora (none of the items
    /// the labels file names, nor a duplicate text of one; `AuditEvaluationSet.weakAttributeItems`).
    public func offeringWeakLabels(from set: AuditEvaluationSet, labelsPath: String, corporaDirectory: String) throws -> AuditModelTrainer {
        var t = self
        t.weak = try set.weakAttributeItems(corporaDirectory: corporaDirectory, taxonomy: featurizer.rules.taxonomy,
                                            labelledKeys: try AuditEvaluationSet.labelledKeys(labelsPath: labelsPath), limit: weakLimit, seed: seed)
        return t
    }

    /// A trainer over the rule auditor (a feature source).
    public init(rules: RuleAuditor) { featurizer = AuditFeaturizer(rules: rules) }

    /// The hyper-parameters tried, in order (the first best on cross-validation wins).
    public static let grid: [AuditModel.Config] = {
        let all = AuditFeatureGroup.allCases
        let sets: [[AuditFeatureGroup]] = [all, all.filter { $0 != .chars }, all.filter { $0 != .rules }]
        var out: [AuditModel.Config] = []
        for g in sets { for l2 in [3e-4, 1e-3, 3e-3] { for b in [0.0, 0.5] {
            out.append(AuditModel.Config(l2: l2, epochs: 30, balance: b, groups: g))
        } } }
        return out
    }()

    /// A configuration as the category head uses it: without the word → attribute prior.
    static func categoryConfig(_ c: AuditModel.Config) -> AuditModel.Config {
        var c = c
        c.groups.removeAll { $0 == .attributeWords }
        return c
    }

    /// The attribute head's grid: `grid`, then, with weak labels, each of it at each weak weight.
    public var attributeGrid: [AuditModel.Config] {
        weak.isEmpty ? Self.grid : Self.grid + weakWeights.flatMap { w in Self.grid.map { c in var c = c; c.weakWeight = w; return c } }
    }

    /// Why training cannot run.
    public enum TrainingError: Error, Sendable, CustomStringConvertible {
        case testItem(String)
        case tooFew(Int)
        case weakOverlap(String)
        public var description: String {
            switch self {
            case .weakOverlap(let k): return "weak label \(k) is also a gold label; weak labels come from unlabelled items only"
            case .testItem(let k): return "test-split item \(k) handed to training; the model trains on dev only"
            case .tooFew(let n): return "\(n) dev items are too few to cross-validate"
            }
        }
    }

    /// One cross-validation result.
    public struct Trial: Sendable {
        public var config: AuditModel.Config
        /// Category head: macro F1 over visual, non-visual, spurious; attribute head: agreement.
        public var score: Double
        public var accuracy: Double
    }

    /// What training did.
    public struct Outcome: Sendable {
        public var model: AuditModel
        public var categoryTrials: [Trial]
        public var attributeTrials: [Trial]
        public var trainingItems: Int
        /// The keys (`source key`) trained on: asserted free of test keys by the tests.
        public var trainingKeys: [String]
    }

    /// A training example: its features (all groups), category and attribute label indices.
    struct Example {
        var features: [AuditFeature]
        var category: Int
        var attribute: Int?
    }

    /// The weak labels as attribute examples over `attributes` (those naming another are
    /// dropped), without their source-attribute features.
    func weakExamples(attributes: [String]) -> [Example] {
        let keep = Set(AuditFeatureGroup.allCases.filter { $0 != .source })
        return examples(weak, attributes: attributes).compactMap { e in
            e.attribute == nil ? nil : Example(features: Self.restricted(e.features, to: keep), category: e.category, attribute: e.attribute)
        }
    }

    /// Throws when a weak label is a test item or shares a key with a gold item.
    func checkWeak(_ items: [AuditEvaluationSet.Item]) throws {
        let gold = Set(items.map { $0.source + "\t" + $0.key })
        for w in weak {
            if w.split != .dev { throw TrainingError.testItem(w.source + " " + w.key) }
            if gold.contains(w.source + "\t" + w.key) { throw TrainingError.weakOverlap(w.source + " " + w.key) }
        }
    }

    /// The group a feature name was made by, from its one-letter prefix ("w:", "c:", …; "bias"
    /// has none). Read from the UTF-8 bytes: typing at import calls this for every feature of
    /// every text, and comparing `prefix(2)` substrings cost about a second per 22k texts.
    static func group(of name: String) -> AuditFeatureGroup? {
        var bytes = name.utf8.makeIterator()
        if let first = bytes.next(), bytes.next() == UInt8(ascii: ":") {
            switch first {
            case UInt8(ascii: "w"): return .words
            case UInt8(ascii: "b"): return .bigrams
            case UInt8(ascii: "c"): return .chars
            case UInt8(ascii: "r"): return .rules
            case UInt8(ascii: "l"): return .lexicon
            case UInt8(ascii: "s"): return .source
            case UInt8(ascii: "d"): return .twin
            case UInt8(ascii: "a"): return .attributeWords
            default: return .shape
            }
        }
        return name == "bias" ? nil : .shape
    }

    static func restricted(_ f: [AuditFeature], to groups: Set<AuditFeatureGroup>) -> [AuditFeature] {
        f.filter { group(of: $0.name).map(groups.contains) ?? true }
    }

    /// The attribute classes of a training set: every attribute its visual and non-visual items name.
    static func attributeClasses(_ items: [AuditEvaluationSet.Item]) -> [String] {
        Array(Set(items.filter { $0.label != .spurious }.map(\.attribute))).sorted()
    }

    func examples(_ items: [AuditEvaluationSet.Item], attributes: [String]) -> [Example] {
        let cats = AuditVerdict.allCases
        return items.map { i in
            let s = AuditSubject(text: i.text, kind: i.kind, attributeRaw: i.attributeRaw, className: i.className, twin: i.twin)
            return Example(features: featurizer.features(s), category: cats.firstIndex(of: i.label) ?? 0,
                           attribute: i.label == .spurious ? nil : attributes.firstIndex(of: i.attribute))
        }
    }

    /// Fold of each item: a seeded permutation of the items in key order, dealt round-robin.
    func foldAssignment(_ items: [AuditEvaluationSet.Item]) -> [Int] {
        let order = items.indices.sorted { (items[$0].source, items[$0].key) < (items[$1].source, items[$1].key) }
        var rng = AuditRandom(seed: seed)
        var perm = order
        if perm.count > 1 {
            for i in stride(from: perm.count - 1, to: 0, by: -1) {
                let j = Int(rng.next() % UInt64(i + 1))
                perm.swapAt(i, j)
            }
        }
        var fold = [Int](repeating: 0, count: items.count)
        for (pos, idx) in perm.enumerated() { fold[idx] = pos % folds }
        return fold
    }

    /// The items training may see: the dev split, nothing else (asserted by the tests).
    public static func trainingItems(_ set: AuditEvaluationSet) -> [AuditEvaluationSet.Item] {
        set.items.filter { $0.split == .dev }
    }

    /// Trains and returns the model (header filled with provenance and cross-validation scores).
    public func train(items: [AuditEvaluationSet.Item], labelsSHA256: String) throws -> Outcome {
        if let t = items.first(where: { $0.split != .dev }) { throw TrainingError.testItem(t.source + " " + t.key) }
        guard items.count >= folds * 4 else { throw TrainingError.tooFew(items.count) }
        try checkWeak(items)
        let attributes = Self.attributeClasses(items)
        let ex = examples(items, attributes: attributes)
        let weakEx = weakExamples(attributes: attributes)
        let fold = foldAssignment(items)
        var catTrials: [Trial] = [], attrTrials: [Trial] = []
        var restrictedCache: [Set<AuditFeatureGroup>: [[AuditFeature]]] = [:], weakCache: [Set<AuditFeatureGroup>: [[AuditFeature]]] = [:]
        for (n, config) in attributeGrid.enumerated() {
            let g = Set(config.groups)
            let feats = restrictedCache[g] ?? ex.map { Self.restricted($0.features, to: g) }
            restrictedCache[g] = feats
            if n < Self.grid.count {
            // Category head (the weak labels and the word → attribute prior are for the
            // attribute head only).
            let cc = Self.categoryConfig(config)
            let cg = Set(cc.groups)
            let catFeats = restrictedCache[cg] ?? ex.map { Self.restricted($0.features, to: cg) }
            restrictedCache[cg] = catFeats
            var pred = [Int](repeating: 0, count: ex.count)
            for k in 0..<folds {
                let train = ex.indices.filter { fold[$0] != k }
                let head = trainHead(train.map { (catFeats[$0], ex[$0].category) }, classes: 3, config: cc, cap: categoryCap)
                let h = AuditModel.Head(classes: AuditVerdict.allCases.map(\.rawValue), weights: head)
                for i in ex.indices where fold[i] == k { pred[i] = Self.argmax(h.probabilities(catFeats[i])) }
            }
            catTrials.append(Trial(config: cc, score: Self.macroF1(pred, ex.map(\.category), classes: 3),
                                   accuracy: Double(zip(pred, ex.map(\.category)).filter { $0 == $1 }.count) / Double(ex.count)))
            }
            // Attribute head, scored on the gold items whose label names an attribute.
            let scored = ex.indices.filter { ex[$0].attribute != nil && !["none", "other"].contains(items[$0].attribute) }
            let weakFeats = config.weakWeight > 0 ? (weakCache[g] ?? weakEx.map { Self.restricted($0.features, to: g) }) : []
            if config.weakWeight > 0 { weakCache[g] = weakFeats }
            var ok = 0
            for k in 0..<folds {
                let train = ex.indices.filter { fold[$0] != k && ex[$0].attribute != nil }
                let data = train.map { (feats[$0], ex[$0].attribute ?? 0) } + weakFeats.indices.map { (weakFeats[$0], weakEx[$0].attribute ?? 0) }
                let weights = [Double](repeating: 1, count: train.count) + [Double](repeating: config.weakWeight, count: weakFeats.count)
                let head = trainHead(data, weights: weights, classes: attributes.count, config: config, cap: attributeCap)
                let h = AuditModel.Head(classes: attributes, weights: head)
                for i in scored where fold[i] == k {
                    if Self.argmax(h.probabilities(feats[i])) == ex[i].attribute { ok += 1 }
                }
            }
            let agreement = scored.isEmpty ? 0 : Double(ok) / Double(scored.count)
            attrTrials.append(Trial(config: config, score: agreement, accuracy: agreement))
        }
        func best(_ t: [Trial]) -> Trial { t.indices.max { t[$0].score < t[$1].score || (t[$0].score == t[$1].score && $0 > $1) }.map { t[$0] } ?? t[0] }
        let cc = best(catTrials).config, ac = best(attrTrials).config
        let model = fit(ex, attributes: attributes, categoryConfig: cc, attributeConfig: ac)
        var m = model
        m.header = [
            ("generated_by", "descry audit train (trains on the dev split of the labels only; Docs/analysis.md, \"The learned auditor\")"),
            ("labels_sha256", labelsSHA256),
            ("training_items", "\(items.count) dev items (\(attributes.count) attribute classes)"
                + (weak.isEmpty ? "" : "; \(weakEx.count) weak attribute labels offered (FuDD attr_type, TAP keys), " + (ac.weakWeight > 0 ? "used" : "not used"))),
            ("cross_validation", "\(folds)-fold within dev, seed \(seed), \(Self.grid.count) configurations for the category head, \(attributeGrid.count) for the attribute head"),
            ("category_cv", String(format: "macro F1 %.4f, accuracy %.4f (%@)", best(catTrials).score, best(catTrials).accuracy, cc.summary)),
            ("attribute_cv", String(format: "agreement %.4f (%@)", best(attrTrials).score, ac.summary)),
        ]
        return Outcome(model: m, categoryTrials: catTrials, attributeTrials: attrTrials, trainingItems: items.count,
                       trainingKeys: items.map { $0.source + " " + $0.key })
    }

    func fit(_ ex: [Example], attributes: [String], categoryConfig cc: AuditModel.Config, attributeConfig ac: AuditModel.Config) -> AuditModel {
        let cg = Set(cc.groups), ag = Set(ac.groups)
        let cat = trainHead(ex.map { (Self.restricted($0.features, to: cg), $0.category) }, classes: 3, config: cc, cap: categoryCap)
        let gold = ex.compactMap { e in e.attribute.map { (Self.restricted(e.features, to: ag), $0) } }
        let weakData = ac.weakWeight > 0 ? weakExamples(attributes: attributes).map { (Self.restricted($0.features, to: ag), $0.attribute ?? 0) } : []
        let attr = trainHead(gold + weakData, weights: [Double](repeating: 1, count: gold.count) + [Double](repeating: ac.weakWeight, count: weakData.count),
                             classes: attributes.count, config: ac, cap: attributeCap)
        return AuditModel(category: AuditModel.Head(classes: AuditVerdict.allCases.map(\.rawValue), weights: cat),
                          attribute: AuditModel.Head(classes: attributes, weights: attr), categoryConfig: cc, attributeConfig: ac)
    }

    /// Cross-validated findings for dev items: each predicted by a model trained, with the given
    /// hyper-parameters, on the other folds. This is how dev figures of the model are honest.
    public func crossValidatedFindings(items: [AuditEvaluationSet.Item], categoryConfig: AuditModel.Config,
                                       attributeConfig: AuditModel.Config) throws -> [AuditFinding] {
        if let t = items.first(where: { $0.split != .dev }) { throw TrainingError.testItem(t.source + " " + t.key) }
        guard items.count >= folds * 4 else { throw TrainingError.tooFew(items.count) }
        try checkWeak(items)
        let fold = foldAssignment(items)
        var out = [AuditFinding?](repeating: nil, count: items.count)
        for k in 0..<folds {
            let trainItems = items.indices.filter { fold[$0] != k }.map { items[$0] }
            let attributes = Self.attributeClasses(trainItems)
            let model = fit(examples(trainItems, attributes: attributes), attributes: attributes, categoryConfig: categoryConfig, attributeConfig: attributeConfig)
            let auditor = LearnedAuditor(model: model, rules: featurizer.rules)
            for i in items.indices where fold[i] == k {
                let it = items[i]
                out[i] = auditor.audit(text: it.text, kind: it.kind, attributeRaw: it.attributeRaw, className: it.className, twin: it.twin)
            }
        }
        return out.map { $0 ?? AuditFinding(verdict: .visual, rationale: "not predicted") }
    }

    static func argmax(_ p: [Double]) -> Int { p.indices.max { p[$0] < p[$1] } ?? 0 }

    static func macroF1(_ pred: [Int], _ gold: [Int], classes: Int) -> Double {
        var total = 0.0
        for c in 0..<classes {
            let tp = Double(zip(pred, gold).filter { $0 == c && $1 == c }.count)
            let p = Double(pred.filter { $0 == c }.count), g = Double(gold.filter { $0 == c }.count)
            total += p + g > 0 ? 2 * tp / (p + g) : 0
        }
        return total / Double(classes)
    }

    /// Multinomial logistic regression by AdaGrad SGD over the examples in a seeded order per
    /// epoch, L2 applied to the weights an example touches; then the `cap` largest weights are
    /// kept, quantised as the file stores them (so what is measured is what ships).
    func trainHead(_ data: [([AuditFeature], Int)], weights: [Double]? = nil, classes K: Int, config: AuditModel.Config, cap: Int) -> [Int: [Float]] {
        let ids = Array(Set(data.flatMap { $0.0.map(\.id) })).sorted()
        let local = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        // Flat rows (CSR): this loop is the training's whole cost.
        var offsets = [0], cols: [Int] = [], vals: [Double] = []
        for d in data {
            for f in d.0 { if let c = local[f.id] { cols.append(c); vals.append(Double(f.value)) } }
            offsets.append(cols.count)
        }
        var counts = [Double](repeating: 0, count: K)
        for d in data { counts[d.1] += 1 }
        let classWeight = counts.map { c in c > 0 ? pow(Double(data.count) / (Double(K) * c), config.balance) : 0 }
        let labels = data.map(\.1)
        // Per-example weight (a weak label's below a gold one's); 1 leaves the arithmetic as it was.
        let exampleWeight = weights ?? [Double](repeating: 1, count: data.count)
        var W = [Double](repeating: 0, count: ids.count * K)
        var G = [Double](repeating: 1e-8, count: ids.count * K)
        var zs = [Double](repeating: 0, count: K)
        let lr = learningRate, l2 = config.l2
        for epoch in 0..<config.epochs {
            var rng = AuditRandom(seed: seed &+ UInt64(epoch) &* 0x9E37_79B9)
            var order = Array(data.indices)
            if order.count > 1 {
                for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            }
            W.withUnsafeMutableBufferPointer { w in
                G.withUnsafeMutableBufferPointer { g in
                    zs.withUnsafeMutableBufferPointer { z in
                        cols.withUnsafeBufferPointer { cb in
                            vals.withUnsafeBufferPointer { vb in
                                for n in order {
                                    let lo = offsets[n], hi = offsets[n + 1], y = labels[n], sw = classWeight[y] * exampleWeight[n]
                                    for k in 0..<K { z[k] = 0 }
                                    for j in lo..<hi { let b = cb[j] * K, x = vb[j]; for k in 0..<K { z[k] += w[b + k] * x } }
                                    var m = z[0]
                                    for k in 1..<K where z[k] > m { m = z[k] }
                                    var s = 0.0
                                    for k in 0..<K { z[k] = Foundation.exp(z[k] - m); s += z[k] }
                                    for k in 0..<K { z[k] = sw * (z[k] / s - (k == y ? 1 : 0)) }
                                    for j in lo..<hi {
                                        let b = cb[j] * K, x = vb[j]
                                        for k in 0..<K {
                                            let grad = z[k] * x + l2 * w[b + k]
                                            g[b + k] += grad * grad
                                            w[b + k] -= lr * grad / g[b + k].squareRoot()
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Keep the largest weights (ties by position), quantised.
        var order = W.indices.filter { Int((W[$0] / AuditModel.scale).rounded()) != 0 }
        if order.count > cap {
            order.sort { abs(W[$0]) != abs(W[$1]) ? abs(W[$0]) > abs(W[$1]) : $0 < $1 }
            order = Array(order.prefix(cap))
        }
        var out: [Int: [Float]] = [:]
        for i in order {
            let f = i / K, k = i % K
            out[ids[f], default: [Float](repeating: 0, count: K)][k] = Float((W[i] / AuditModel.scale).rounded() * AuditModel.scale)
        }
        return out
    }
}

/// SplitMix64: a small, fixed pseudo-random sequence (the same on every platform).
struct AuditRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
