import DescryStore

/// Asks the LLM about each description of a dataset — informative? which attribute? visible
/// in a photo? — and stores the verdict in `audits` with method `llm-judge`.
public struct DescriptionJudge {
    /// The audit method name.
    public static let method = "llm-judge"

    /// A description to judge.
    public struct Item: Sendable, Equatable {
        /// Its id.
        public let id: Int64
        /// Its text.
        public let text: String
        /// Its class's display name.
        public let className: String
    }

    /// A parsed verdict for one description.
    public struct Answer {
        /// The description judged.
        public let item: Item
        /// The verdict.
        public let verdict: JudgeVerdict
    }

    /// The store.
    public let store: Store
    /// The dataset's name.
    public let dataset: String
    /// The dataset's id.
    public let datasetID: Int64
    /// Model and sampling parameters.
    public let configuration: LLMConfiguration
    /// The judge prompt.
    public let prompt: PromptTemplate

    /// Creates a judge for a dataset of the store.
    public init(store: Store, dataset: String, configuration: LLMConfiguration, prompt: PromptTemplate) throws {
        self.store = store
        self.dataset = dataset
        self.datasetID = try store.datasetID(named: dataset)
        self.configuration = configuration
        self.prompt = prompt
    }

    /// The dataset's class and differential descriptions, by id; with `unjudged`, only those
    /// without an `llm-judge` verdict; at most `limit`.
    public func items(unjudged: Bool = false, limit: Int? = nil) throws -> [Item] {
        try store.descriptions.classAndDifferential(datasetID: datasetID, withoutVerdictOf: unjudged ? Self.method : nil, limit: limit).map {
            Item(id: $0.id, text: $0.text, className: ClassName.display($0.className))
        }
    }

    /// One job per description.
    public func jobs(_ items: [Item]) -> [LLMJob<Answer>] {
        items.map { item in
            let messages = prompt.messages(["class": item.className, "dataset": dataset, "description": item.text])
            return LLMJob(label: "#\(item.id)", request: ChatRequest(messages: messages, configuration: configuration), prompt: prompt) { text in
                Answer(item: item, verdict: try JudgeVerdict.parse(text))
            }
        }
    }

    /// Stores one verdict, replacing an older `llm-judge` verdict of the same description.
    public func writer() -> (LLMJob<Answer>, Answer) throws -> GenerationRunner.Written {
        let store = self.store, model = configuration.model, promptID = prompt.id
        return { _, answer in
            let v = answer.verdict
            let rationale = "attribute: \(v.attribute); informative: \(v.informative); visual: \(v.visual)"
                + (v.rationale.map { "; \($0)" } ?? "") + " [\(model), \(promptID)]"
            try store.audits.upsert(AuditRecord(descriptionID: answer.item.id, method: Self.method, verdict: v.category, rationale: rationale))
            return GenerationRunner.Written(added: 1)
        }
    }
}
