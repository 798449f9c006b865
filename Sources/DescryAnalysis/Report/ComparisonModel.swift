import DescryStore
import Foundation

/// Several VLMs on one dataset, side by side: what the comparison page shows, derived from
/// one `ReportModel` per VLM without a store. Every value is one the runs and scores of the
/// store hold; nothing is estimated.
public struct ComparisonModel: Sendable, Equatable {
    /// One method, k and aggregation, with its top-1 accuracy under each VLM.
    public struct AccuracyRow: Sendable, Equatable {
        /// The method's name (`ZeroShotMethod.rawValue`).
        public var method: String
        /// FuDD's k (nil for the other methods).
        public var k: Int?
        /// The aggregation (nil when the run has none).
        public var aggregation: String?
        /// Top-1 accuracy per VLM, in `vlms` order (nil: not evaluated under that VLM).
        public var accuracy: [Double?]

        /// A row.
        public init(method: String, k: Int?, aggregation: String?, accuracy: [Double?]) {
            self.method = method
            self.k = k
            self.aggregation = aggregation
            self.accuracy = accuracy
        }
    }

    /// FuDD against the single template it re-ranks, for one VLM (similarity of mean).
    public struct FuDDGain: Sendable, Equatable {
        /// The template's top-1 accuracy.
        public var template: Double
        /// FuDD's best k.
        public var bestK: Int
        /// FuDD's top-1 accuracy at that k.
        public var best: Double
        /// `best - template`, as a fraction (0.1 = 10 points).
        public var gain: Double { best - template }

        /// A gain.
        public init(template: Double, bestK: Int, best: Double) {
            self.template = template
            self.bestK = bestK
            self.best = best
        }
    }

    /// One attribute's mean lift under each VLM (over every category of the attribute,
    /// weighted by the number of scored descriptions).
    public struct AttributeRow: Sendable, Equatable {
        /// The canonical attribute.
        public var attribute: String
        /// Mean lift per VLM, in `vlms` order (nil: nothing of the attribute scored).
        public var lift: [Double?]
        /// Scored descriptions per VLM.
        public var count: [Int]

        /// A row.
        public init(attribute: String, lift: [Double?], count: [Int]) {
            self.attribute = attribute
            self.lift = lift
            self.count = count
        }
    }

    /// One kind of description (category and attribute): its share among each class's
    /// best-aligned descriptions minus its share among all, per VLM (EX2's view).
    public struct TypeRow: Sendable, Equatable {
        /// The audit category.
        public var category: String
        /// The attribute.
        public var attribute: String
        /// Percentage points per VLM, in `vlms` order (nil: the VLM scored nothing of the dataset).
        public var shift: [Double?]

        /// A row.
        public init(category: String, attribute: String, shift: [Double?]) {
            self.category = category
            self.attribute = attribute
            self.shift = shift
        }
    }

    /// The dataset's name.
    public var dataset: String
    /// The VLMs, in the order asked for.
    public var vlms: [String]
    /// The per-VLM models (confused pairs, audit, runs), in `vlms` order.
    public var models: [ReportModel]
    /// Accuracy of every method, k and aggregation any VLM was evaluated with.
    public var accuracy: [AccuracyRow]
    /// FuDD's best gain over the template per VLM (nil: FuDD or the template not evaluated).
    public var fuddGain: [FuDDGain?]
    /// Attributes by the best lift any VLM gives them, highest first.
    public var attributes: [AttributeRow]
    /// The attribute with the highest mean lift per VLM (nil: nothing scored).
    public var topAttribute: [String?]
    /// Kinds of description, most over-represented among the top-aligned (under any VLM) first.
    public var preferredTypes: [TypeRow]

    /// The comparison of the per-VLM models (all of one dataset).
    public init(_ models: [ReportModel]) {
        self.models = models
        dataset = models.first?.dataset ?? ""
        vlms = models.map(\.vlm)

        // Accuracy rows in the methods' order, then aggregation, then k.
        struct Key: Hashable { var method: String; var k: Int?; var aggregation: String? }
        var keys: [Key] = []
        for m in models { for r in m.runs where !keys.contains(Key(method: r.method, k: r.k, aggregation: r.aggregation)) {
            keys.append(Key(method: r.method, k: r.k, aggregation: r.aggregation))
        } }
        let order = Dictionary(uniqueKeysWithValues: ZeroShotMethod.allCases.enumerated().map { ($0.element.rawValue, $0.offset) })
        keys.sort { a, b in
            let ma = order[a.method] ?? order.count, mb = order[b.method] ?? order.count
            if (a.aggregation ?? "") != (b.aggregation ?? "") {
                // Similarity of mean (the default) first.
                let da = a.aggregation == Aggregation.meanOfSimilarities.rawValue ? 1 : 0, db = b.aggregation == Aggregation.meanOfSimilarities.rawValue ? 1 : 0
                if da != db { return da < db }
            }
            if ma != mb { return ma < mb }
            if (a.aggregation ?? "") != (b.aggregation ?? "") { return (a.aggregation ?? "") < (b.aggregation ?? "") }
            return (a.k ?? 0) < (b.k ?? 0)
        }
        accuracy = keys.map { key in
            AccuracyRow(method: key.method, k: key.k, aggregation: key.aggregation, accuracy: models.map { m in
                m.runs.first { $0.method == key.method && $0.k == key.k && $0.aggregation == key.aggregation }?.accuracy
            })
        }

        fuddGain = models.map { m in
            guard let template = m.runs.first(where: { $0.method == ZeroShotMethod.template.rawValue })?.accuracy else { return nil }
            var best: (k: Int, accuracy: Double)?
            for r in m.runs where r.method == ZeroShotMethod.fudd.rawValue && r.aggregation == Aggregation.similarityOfMean.rawValue {
                guard let k = r.k, let a = r.accuracy else { continue }
                // Ties go to the smaller k: the cheaper follow-up.
                if let b = best, a < b.accuracy || (a == b.accuracy && k > b.k) { continue }
                best = (k, a)
            }
            guard let best else { return nil }
            return FuDDGain(template: template, bestK: best.k, best: best.accuracy)
        }

        var names: [String] = []
        for m in models { for p in m.preferences where !names.contains(p.attribute) { names.append(p.attribute) } }
        let rows = names.map { name -> AttributeRow in
            var lifts: [Double?] = [], counts: [Int] = []
            for m in models {
                let of = m.preferences.filter { $0.attribute == name }
                let n = of.reduce(0) { $0 + $1.count }
                counts.append(n)
                lifts.append(n == 0 ? nil : of.reduce(0.0) { $0 + $1.lift * Double($1.count) } / Double(n))
            }
            return AttributeRow(attribute: name, lift: lifts, count: counts)
        }
        attributes = rows.sorted { a, b in
            let x = a.lift.compactMap { $0 }.max() ?? -.infinity, y = b.lift.compactMap { $0 }.max() ?? -.infinity
            return x != y ? x > y : a.attribute < b.attribute
        }
        topAttribute = models.indices.map { i in
            var top: (attribute: String, lift: Double)?
            for r in rows {
                guard let l = r.lift[i] else { continue }
                if let t = top, l < t.lift || (l == t.lift && r.attribute > t.attribute) { continue }
                top = (r.attribute, l)
            }
            return top?.attribute
        }

        struct Kind: Hashable { var category: String; var attribute: String }
        var kinds: [Kind] = []
        for m in models { for t in m.preferredTypes where !kinds.contains(Kind(category: t.category, attribute: t.attribute)) {
            kinds.append(Kind(category: t.category, attribute: t.attribute))
        } }
        let types = kinds.map { kind in
            TypeRow(category: kind.category, attribute: kind.attribute, shift: models.map { m in
                let top = m.preferredTypes.reduce(0) { $0 + $1.top }, all = m.preferredTypes.reduce(0) { $0 + $1.all }
                guard top > 0, all > 0 else { return nil }
                let t = m.preferredTypes.first { $0.category == kind.category && $0.attribute == kind.attribute }
                return (Double(t?.top ?? 0) / Double(top) - Double(t?.all ?? 0) / Double(all)) * 100
            })
        }
        preferredTypes = types.sorted { a, b in
            let x = a.shift.compactMap { $0 }.max() ?? -.infinity, y = b.shift.compactMap { $0 }.max() ?? -.infinity
            return x != y ? x > y : (a.category, a.attribute) < (b.category, b.attribute)
        }
    }
}
