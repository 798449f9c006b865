import DescryStore
import Foundation

/// What the store holds for one report, as records: read by `ReportBuilder.load`, or built by
/// hand (tests). No HTML, no derived values.
public struct ReportRecords: Sendable, Equatable {
    /// One confused pair with its differential sentences.
    public struct PairConfusion: Sendable, Equatable {
        /// The confusion.
        public var confusion: ConfusionRecord
        /// The pair's sentences with their margins.
        public var sentences: [PairSentence]

        /// A confused pair.
        public init(confusion: ConfusionRecord, sentences: [PairSentence]) {
            self.confusion = confusion
            self.sentences = sentences
        }
    }

    /// The dataset's name.
    public var dataset: String
    /// The VLM's name.
    public var vlm: String
    /// The dataset's classes.
    public var classes: [ClassRecord]
    /// The latest run of every method, k and aggregation (see `RunRepository.latest`).
    public var runs: [RunRecord]
    /// Attribute preference, best mean lift first.
    public var preferences: [AttributePreference]
    /// EX2's view: kinds of description among each class's best-aligned ones, against all.
    public var preferredTypes: [PreferredType] = []
    /// The most confused pairs, most frequent first.
    public var confusions: [PairConfusion]
    /// Rule-audit verdicts, most frequent first.
    public var verdicts: [VerdictCount]
    /// Content-check verdicts under the VLM, by verdict.
    public var contentVerdicts: [VerdictCount]
    /// Examples of the spurious, then the non-visual verdicts.
    public var examples: [AuditExample]

    /// Records from parts.
    public init(dataset: String, vlm: String, classes: [ClassRecord], runs: [RunRecord] = [], preferences: [AttributePreference] = [],
                confusions: [PairConfusion] = [], verdicts: [VerdictCount] = [], contentVerdicts: [VerdictCount] = [],
                examples: [AuditExample] = []) {
        self.dataset = dataset
        self.vlm = vlm
        self.classes = classes
        self.runs = runs
        self.preferences = preferences
        self.confusions = confusions
        self.verdicts = verdicts
        self.contentVerdicts = contentVerdicts
        self.examples = examples
    }
}

/// What the report page shows, built from `ReportRecords` without a store: class ids resolved
/// to names, the accuracy-vs-k lines, the sections that are empty. `ReportBuilder.render`
/// turns it into HTML.
public struct ReportModel: Sendable, Equatable {
    /// One point of an accuracy line.
    public struct Point: Sendable, Equatable {
        /// The x label (FuDD's k; empty for a baseline).
        public var label: String
        /// Top-1 accuracy.
        public var accuracy: Double

        /// A point.
        public init(label: String, accuracy: Double) {
            self.label = label
            self.accuracy = accuracy
        }
    }

    /// One line of the accuracy chart: a FuDD aggregation over k, or a baseline drawn flat.
    public struct Line: Sendable, Equatable {
        /// Legend label.
        public var name: String
        /// Points in k order (one for a baseline).
        public var points: [Point]
        /// A baseline, drawn as a dashed horizontal line.
        public var isBaseline: Bool

        /// A line.
        public init(name: String, points: [Point], isBaseline: Bool) {
            self.name = name
            self.points = points
            self.isBaseline = isBaseline
        }
    }

    /// A differential sentence of a confused pair.
    public struct Sentence: Sendable, Equatable {
        /// The attribute as the source wrote it ("" when none).
        public var attribute: String
        /// The name of the class it describes ("?" when unknown).
        public var describes: String
        /// The sentence.
        public var text: String
        /// Its margin under the VLM, when scored.
        public var margin: Double?

        /// A sentence.
        public init(attribute: String, describes: String, text: String, margin: Double?) {
            self.attribute = attribute
            self.describes = describes
            self.text = text
            self.margin = margin
        }
    }

    /// A confused pair and its differential sentences.
    public struct ConfusedPair: Sendable, Equatable {
        /// The true class's name ("?" when unknown).
        public var trueClass: String
        /// The predicted class's name ("?" when unknown).
        public var predictedClass: String
        /// Images confused.
        public var images: Int
        /// The pair's sentences; empty when it has none.
        public var sentences: [Sentence]

        /// A pair.
        public init(trueClass: String, predictedClass: String, images: Int, sentences: [Sentence]) {
            self.trueClass = trueClass
            self.predictedClass = predictedClass
            self.images = images
            self.sentences = sentences
        }
    }

    /// The audit section, present once the rules audited the dataset.
    public struct Audit: Sendable, Equatable {
        /// Rule-audit verdicts, most frequent first.
        public var verdicts: [VerdictCount]
        /// Content-check verdicts under the VLM (empty when not checked).
        public var contentVerdicts: [VerdictCount]
        /// Example descriptions of the non-visual verdicts.
        public var examples: [AuditExample]

        /// An audit section.
        public init(verdicts: [VerdictCount], contentVerdicts: [VerdictCount], examples: [AuditExample]) {
            self.verdicts = verdicts
            self.contentVerdicts = contentVerdicts
            self.examples = examples
        }
    }

    /// The dataset's name.
    public var dataset: String
    /// The VLM's name.
    public var vlm: String
    /// Classes in the dataset.
    public var classCount: Int
    /// When the report was made.
    public var generated: Date
    /// The latest runs, for the accuracy table (empty: nothing evaluated yet).
    public var runs: [RunRecord]
    /// FuDD's k values, the chart's x labels (no chart when empty).
    public var ks: [String]
    /// FuDD lines by aggregation, then the baselines.
    public var lines: [Line]
    /// Attribute preference (empty: nothing scored yet).
    public var preferences: [AttributePreference]
    /// EX2's view (see `ReportRecords.preferredTypes`), most over-represented first.
    public var preferredTypes: [PreferredType]
    /// How many best-aligned descriptions per class `preferredTypes` counts.
    public static let topPerClass = 5
    /// The most confused pairs (empty: no confusions recorded).
    public var confusedPairs: [ConfusedPair]
    /// The audit section; nil when the dataset was not audited.
    public var audit: Audit?

    /// The model of the records, dated `generated`.
    public init(_ records: ReportRecords, generated: Date = Date()) {
        dataset = records.dataset
        vlm = records.vlm
        classCount = records.classes.count
        self.generated = generated
        runs = records.runs
        let fudd = records.runs.filter { $0.method == ZeroShotMethod.fudd.rawValue }
        ks = Array(Set(fudd.compactMap(\.k))).sorted().map(String.init)
        var lines: [Line] = []
        for agg in Array(Set(fudd.compactMap(\.aggregation))).sorted() {
            lines.append(Line(name: "FuDD (\(agg == Aggregation.similarityOfMean.rawValue ? "mean emb" : "mean sim"))",
                              points: fudd.filter { $0.aggregation == agg }.compactMap { r in r.k.map { Point(label: String($0), accuracy: r.accuracy ?? 0) } },
                              isBaseline: false))
        }
        for r in records.runs where r.method != ZeroShotMethod.fudd.rawValue {
            let suffix = r.aggregation == Aggregation.meanOfSimilarities.rawValue ? " (mean sim)" : ""
            lines.append(Line(name: r.method + suffix, points: [Point(label: "", accuracy: r.accuracy ?? 0)], isBaseline: true))
        }
        self.lines = lines
        preferences = records.preferences
        let top = max(1, records.preferredTypes.reduce(0) { $0 + $1.top }), all = max(1, records.preferredTypes.reduce(0) { $0 + $1.all })
        preferredTypes = records.preferredTypes.sorted {
            (Double($0.top) / Double(top) - Double($0.all) / Double(all), $1.category + $1.attribute)
                > (Double($1.top) / Double(top) - Double($1.all) / Double(all), $0.category + $0.attribute)
        }
        let name = Dictionary(records.classes.map { ($0.id, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        confusedPairs = records.confusions.map { p in
            ConfusedPair(trueClass: name[p.confusion.classA] ?? "?", predictedClass: name[p.confusion.classB] ?? "?", images: p.confusion.count,
                         sentences: p.sentences.map { Sentence(attribute: $0.attributeRaw ?? "", describes: name[$0.side] ?? "?", text: $0.text, margin: $0.margin) })
        }
        audit = records.verdicts.isEmpty ? nil : Audit(verdicts: records.verdicts, contentVerdicts: records.contentVerdicts, examples: records.examples)
    }
}
