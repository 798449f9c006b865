import DescryStore

/// Differential descriptions for class pairs: one request per pair asks which attributes tell
/// the two classes apart, with one sentence per class per attribute. Answers are written like
/// a FuDD import: each sentence once, linked to its pair with side, twin, position and raw
/// attribute type; the pair is keyed by the VLM when one is given.
public struct DifferentialGenerator {
    /// A parsed answer for one pair.
    public struct Answer {
        /// The class whose sentences are `textA`.
        public let a: ClassRecord
        /// The class whose sentences are `textB`.
        public let b: ClassRecord
        /// The attributes.
        public let items: [DifferentialItem]
    }

    /// The store.
    public let store: Store
    /// The dataset's name.
    public let dataset: String
    /// The dataset's id.
    public let datasetID: Int64
    /// Model and sampling parameters.
    public let configuration: LLMConfiguration
    /// The differential prompt.
    public let prompt: PromptTemplate
    /// How many attributes to ask for per pair.
    public var attributesPerPair = 5
    private let classes: [ClassRecord]

    /// Creates a generator for a dataset of the store.
    public init(store: Store, dataset: String, configuration: LLMConfiguration, prompt: PromptTemplate) throws {
        self.store = store
        self.dataset = dataset
        self.datasetID = try store.datasetID(named: dataset)
        self.configuration = configuration
        self.prompt = prompt
        self.classes = try store.classes(ofDataset: datasetID)
        if classes.isEmpty { throw LLMError.notFoundInStore("dataset '\(dataset)' has no classes; import its class list first") }
    }

    /// A class by name (matched ignoring case, underscores and spacing) or index.
    public func resolve(_ name: String) throws -> ClassRecord {
        let key = ClassName.matchKey(name)
        if let c = classes.first(where: { ClassName.matchKey($0.name) == key }) { return c }
        if let i = Int(name), let c = classes.first(where: { $0.index == i }) { return c }
        let near = classes.filter { ClassName.matchKey($0.name).contains(key) }.prefix(5).map { "'\($0.displayName)'" }
        throw LLMError.notFoundInStore("dataset '\(dataset)' has no class '\(name)'" + (near.isEmpty ? "" : " (did you mean \(near.joined(separator: ", "))?)"))
    }

    /// One job per distinct pair; each pair is put in class-index order so the request (and
    /// its cache key) does not depend on the order the user named the classes.
    public func jobs(pairs: [(ClassRecord, ClassRecord)]) throws -> [LLMJob<Answer>] {
        var seen = Set<[Int64]>()
        let distinct = pairs.filter { seen.insert([min($0.0.id, $0.1.id), max($0.0.id, $0.1.id)]).inserted }
        return try distinct.map { p in
            guard p.0.id != p.1.id else { throw LLMError.notFoundInStore("a pair needs two different classes, got '\(p.0.displayName)' twice") }
            let (a, b) = p.0.index < p.1.index ? (p.0, p.1) : (p.1, p.0)
            let messages = prompt.messages(["class_a": a.displayName, "class_b": b.displayName, "dataset": dataset, "n": String(attributesPerPair)])
            let request = ChatRequest(messages: messages, configuration: configuration)
            return LLMJob(label: "\(a.displayName) / \(b.displayName)", request: request, prompt: prompt) { text in
                Answer(a: a, b: b, items: try DifferentialItem.parse(text, classA: a.displayName, classB: b.displayName))
            }
        }
    }

    /// Writes one answer (inside the runner's transaction), keyed to `vlmID` when given.
    /// Slots already linked (a re-run from the cache) are not linked again.
    public func writer(vlmID: Int64?) -> (LLMJob<Answer>, Answer) throws -> GenerationRunner.Written {
        let store = self.store, datasetID = self.datasetID
        let info = LLMSource.info(model: configuration.model, prompt: prompt)
        return { _, answer in
            let source = try store.addSource(info)
            let w = try DescriptionWriter(store: store, sourceID: source.id)
            let pairID = try w.pair(datasetID: datasetID, classA: answer.a, classB: answer.b, vlmID: vlmID)
            var position = try store.pairs.nextPosition(pairID: pairID)
            for item in answer.items {
                let da = try w.add(NewDescription(datasetID: datasetID, classID: answer.a.id, text: item.textA, kind: .differential, attributeRaw: item.attribute))
                let dbb = try w.add(NewDescription(datasetID: datasetID, classID: answer.b.id, text: item.textB, kind: .differential, attributeRaw: item.attribute))
                if try store.pairs.isLinked(pairID: pairID, side: answer.a.id, descriptionID: da.id, twinID: dbb.id) { continue }
                try w.link(pairID: pairID, position: position, side: answer.a.id, descriptionID: da.id, twinID: dbb.id, attributeRaw: item.attribute)
                try w.link(pairID: pairID, position: position, side: answer.b.id, descriptionID: dbb.id, twinID: da.id, attributeRaw: item.attribute)
                position += 1
            }
            try w.finish()
            return GenerationRunner.Written(added: w.added, existing: w.existing, pairs: w.pairsAdded)
        }
    }
}
