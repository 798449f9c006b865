import DescryStore
import Foundation

/// Computes alignment, lift, margin and content for every description of a dataset under one
/// VLM and stores them in `scores`. Because a mean of cosines with unit image vectors equals
/// the cosine's numerator with the mean image vector, each score is one dot product with the
/// class's mean image vector. Rows whose inputs are unchanged (same `input_hash`) are skipped.
public struct ScoreCalculator {
    /// The word that replaces the class name for the content score.
    public static let neutralWord = "object"

    /// The store.
    public let store: Store
    /// The VLM's name.
    public let vlm: String
    /// The dataset.
    public let dataset: String
    /// Text vectors (content needs texts no import holds: pass an embedder for it).
    public let source: TextVectorSource
    /// Whether to compute the content score.
    public var content: Bool

    /// A calculator.
    public init(store: Store, vlm: String, dataset: String, source: TextVectorSource, content: Bool = true) {
        self.store = store
        self.vlm = vlm
        self.dataset = dataset
        self.source = source
        self.content = content
    }

    /// `text` with the class name (any case, underscores or spaces) replaced by the neutral
    /// word; unchanged when the name does not occur.
    public static func neutralized(_ text: String, className: String) -> String {
        var out = text
        for form in Set([ClassName.display(className), className]) where !form.isEmpty {
            out = out.replacingOccurrences(of: form, with: neutralWord, options: [.caseInsensitive])
        }
        return out
    }

    /// Scores every description of the dataset with a class, storing new or changed rows:
    /// `load` from the store, `score` (no store), `save`.
    public func run() throws -> ScoreReport {
        do {
            let vlmID = try store.vlms.id(named: vlm)
            let inputs = try load(vlmID: vlmID)
            let (scores, report) = try Self.score(inputs, source: source, content: content)
            try save(scores, vlmID: vlmID)
            return report
        } catch let e as StoreError { throw AnalysisError.store(e) }
    }

    /// Reads what scoring the dataset under the VLM needs.
    public func load(vlmID: Int64) throws -> ScoreInputs {
        do {
            let dsID = try store.datasetID(named: dataset)
            let library = try PromptLibrary.load(store: store, dataset: dataset, vlmID: vlmID)
            let images = try LabelledImages.load(store: store, dataset: dataset, vlm: vlm, classes: library.classes)
            let position = Dictionary(uniqueKeysWithValues: library.classes.enumerated().map { ($1.id, $0) })
            let model = try store.vlms.record(id: vlmID)?.manifestHash ?? vlm
            // Descriptions of a class no longer in the class list are left out.
            let descriptions: [ScoreInputs.Description] = try store.descriptions.list(datasetID: dsID).compactMap { d in
                guard d.kind != .template, let c = d.classID.flatMap({ position[$0] }) else { return nil }
                return ScoreInputs.Description(id: d.id, classPosition: c, text: d.text)
            }
            var twins: [Int64: [ScoreInputs.Twin]] = [:]
            for t in try store.pairs.twins(datasetID: dsID, vlmID: vlmID) {
                guard let side = position[t.side] else { continue }
                twins[t.descriptionID, default: []].append(ScoreInputs.Twin(side: side, text: t.twinText))
            }
            return ScoreInputs(model: model, library: library, images: images, descriptions: descriptions, twins: twins,
                               storedHashes: try store.scores.inputHashes(vlmID: vlmID))
        } catch let e as StoreError { throw AnalysisError.store(e) }
    }

    /// Stores scores, replacing the VLM's earlier scores of the same descriptions.
    public func save(_ scores: [DescriptionScore], vlmID: Int64) throws {
        do {
            try store.scores.save(scores.map {
                ScoreRecord(vlmID: vlmID, descriptionID: $0.descriptionID, alignment: $0.alignment, lift: $0.lift, margin: $0.margin,
                            content: $0.content, images: $0.images, inputHash: $0.inputHash)
            })
        } catch let e as StoreError { throw AnalysisError.store(e) }
    }

    /// Scores the descriptions whose inputs changed since their stored hash, with no store:
    /// text vectors come from `source`. `content` adds the content score. The report counts
    /// what was computed, what was unchanged and what had no images.
    public static func score(_ inputs: ScoreInputs, source: TextVectorSource, content: Bool) throws -> (scores: [DescriptionScore], report: ScoreReport) {
        let library = inputs.library, images = inputs.images
        let classCount = library.classes.count
        let d = images.matrix.columns
        // Mean image vector and image hashes per class.
        var mean = [[Float]](repeating: [Float](repeating: 0, count: d), count: classCount)
        var count = [Int](repeating: 0, count: classCount)
        var hashes = [[String]](repeating: [], count: classCount)
        for (i, y) in images.labels.enumerated() {
            guard mean.indices.contains(y) else {
                throw AnalysisError.invalidArgument("image \(i) is labelled with class position \(y), but '\(library.dataset)' has \(classCount) classes")
            }
            let row = images.matrix.row(i)
            for j in 0..<d { mean[y][j] += row[j] }
            count[y] += 1
            hashes[y].append(images.records.isEmpty ? "\(i)" : images.records[i].contentHash)
        }
        for c in mean.indices where count[c] > 0 { mean[c] = mean[c].map { $0 / Float(count[c]) } }
        let classHash = hashes.map { Hashing.sha256Hex($0.sorted().joined(separator: ",")) }

        var report = ScoreReport()
        var todo: [(id: Int64, c: Int, text: String, hash: String)] = []
        for r in inputs.descriptions {
            let c = r.classPosition
            guard mean.indices.contains(c) else {
                throw AnalysisError.invalidArgument("description \(r.id) is of class position \(c), but '\(library.dataset)' has \(classCount) classes")
            }
            guard count[c] > 0 else { report.withoutImages += 1; continue }
            let twinTexts = (inputs.twins[r.id] ?? []).map(\.text).sorted().joined(separator: "\u{1F}")
            let hash = Hashing.sha256Hex([inputs.model, r.text, library.templatePrompt(c), twinTexts, classHash[c], content ? neutralWord : "-"].joined(separator: "\u{1E}"))
            if inputs.storedHashes[r.id] == hash { report.unchanged += 1; continue }
            todo.append((r.id, c, r.text, hash))
        }
        guard !todo.isEmpty else { return ([], report) }
        var texts: [String] = []
        for t in todo {
            texts.append(t.text)
            texts.append(library.templatePrompt(t.c))
            texts += (inputs.twins[t.id] ?? []).map(\.text)
            if content { texts.append(neutralized(t.text, className: library.classes[t.c].name)) }
        }
        var unique: [String] = [], seen = Set<String>()
        for t in texts where seen.insert(t).inserted { unique.append(t) }
        let found = try source.vectors(for: unique)
        guard found.count == unique.count else {
            throw AnalysisError.invalidArgument("the text vector source returned \(found.count) vectors for \(unique.count) texts")
        }
        let vectors = Dictionary(uniqueKeysWithValues: zip(unique, found))
        func vector(_ s: String) throws -> [Float] {
            // Every text asked for is in `unique`; a miss would be a bug here, not bad data.
            guard let v = vectors[s] else { throw AnalysisError.invalidArgument("no text vector for '\(s)'") }
            guard v.count == d else { throw AnalysisError.dimensionMismatch(expected: d, found: v.count, what: "the text embedding of '\(s)'") }
            return v
        }
        var scores: [DescriptionScore] = []
        for t in todo {
            let m = mean[t.c]
            func align(_ s: String) throws -> Double { Double(Matrix.dot(m, try vector(s))) }
            let a = try align(t.text)
            let slots = inputs.twins[t.id] ?? []
            // The margin of each slot is measured on the images of the class this sentence describes.
            let own = try vector(t.text)
            var margin: Double?
            if !slots.isEmpty {
                var sum = 0.0
                for s in slots { sum += Double(Matrix.dot(mean[s.side], own) - Matrix.dot(mean[s.side], try vector(s.text))) }
                margin = sum / Double(slots.count)
            }
            let template = try align(library.templatePrompt(t.c))
            let contentScore: Double? = try content ? align(neutralized(t.text, className: library.classes[t.c].name)) : nil
            scores.append(DescriptionScore(descriptionID: t.id, alignment: a, lift: a - template, margin: margin,
                                           content: contentScore, images: count[t.c], inputHash: t.hash))
        }
        report.computed = scores.count
        return (scores, report)
    }
}

/// What `ScoreCalculator.score` works on: the dataset's prompts and labelled image vectors,
/// the descriptions to score with their twins, and the input hashes already stored. Built by
/// `ScoreCalculator.load` from the store, or by hand (tests).
public struct ScoreInputs: Sendable {
    /// A description to score.
    public struct Description: Sendable, Equatable {
        /// Its row id.
        public var id: Int64
        /// The position of its class in the library's class list.
        public var classPosition: Int
        /// Its text.
        public var text: String

        /// A description.
        public init(id: Int64, classPosition: Int, text: String) {
            self.id = id
            self.classPosition = classPosition
            self.text = text
        }
    }

    /// The other side of one pair slot a differential description fills.
    public struct Twin: Sendable, Equatable {
        /// The class position the description describes (its margin is measured on that
        /// class's images).
        public var side: Int
        /// The twin's text.
        public var text: String

        /// A twin.
        public init(side: Int, text: String) {
            self.side = side
            self.text = text
        }
    }

    /// What stands for the model in input hashes: its manifest hash, else its name.
    public var model: String
    /// The dataset's classes and templates.
    public var library: PromptLibrary
    /// Labelled image vectors.
    public var images: LabelledImages
    /// The descriptions to score, in order.
    public var descriptions: [Description]
    /// Twins by description id.
    public var twins: [Int64: [Twin]]
    /// Input hashes stored with earlier scores, by description id.
    public var storedHashes: [Int64: String]

    /// Inputs from parts.
    public init(model: String, library: PromptLibrary, images: LabelledImages, descriptions: [Description],
                twins: [Int64: [Twin]] = [:], storedHashes: [Int64: String] = [:]) {
        self.model = model
        self.library = library
        self.images = images
        self.descriptions = descriptions
        self.twins = twins
        self.storedHashes = storedHashes
    }
}
