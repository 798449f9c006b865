import DescryStore

/// Per-class descriptions from a prompt set (EX2- or CuPL-style): for every class, each
/// question of the set is asked once for a share of the sentences wanted, so that `perClass`
/// sentences come from varied questions.
public struct DescriptionGenerator {
    /// A parsed answer for one class and question.
    public struct Answer {
        /// The class described.
        public let target: ClassRecord
        /// The sentences, at most the share asked for.
        public let sentences: [String]
    }

    /// The store.
    public let store: Store
    /// The dataset's name.
    public let dataset: String
    /// The dataset's id.
    public let datasetID: Int64
    /// Model and sampling parameters.
    public let configuration: LLMConfiguration
    /// The prompt set (must have questions).
    public let prompt: PromptTemplate
    /// The dataset's classes.
    public let classes: [ClassRecord]

    /// Creates a generator for a dataset of the store.
    public init(store: Store, dataset: String, configuration: LLMConfiguration, prompt: PromptTemplate) throws {
        guard !prompt.questions.isEmpty else {
            throw LLMError.promptFile(path: prompt.path, message: "a description prompt set needs 'questions'")
        }
        self.store = store
        self.dataset = dataset
        self.datasetID = try store.datasetID(named: dataset)
        self.configuration = configuration
        self.prompt = prompt
        self.classes = try store.classes(ofDataset: datasetID)
        if classes.isEmpty { throw LLMError.notFoundInStore("dataset '\(dataset)' has no classes; import its class list first") }
    }

    /// How many sentences each question is asked for, question by question, to make `perClass`.
    public func shares(perClass: Int) -> [Int] {
        let q = prompt.questions.count
        guard perClass > 0 else { return [] }
        return (0..<min(q, perClass)).map { i in perClass / q + (i < perClass % q ? 1 : 0) }
    }

    /// One job per class and question (only `classes` when given).
    public func jobs(perClass: Int, only: [ClassRecord]? = nil) -> [LLMJob<Answer>] {
        let shares = shares(perClass: perClass)
        var out: [LLMJob<Answer>] = []
        for c in only ?? classes {
            for (qi, n) in shares.enumerated() {
                let question = PromptTemplate.fill(prompt.questions[qi], ["class": c.displayName, "dataset": dataset])
                let messages = prompt.messages(["class": c.displayName, "dataset": dataset, "question": question, "n": String(n)])
                out.append(LLMJob(label: "\(c.displayName) · q\(qi + 1)", request: ChatRequest(messages: messages, configuration: configuration),
                                  prompt: prompt) { text in
                    Answer(target: c, sentences: Array(try DescriptionList.parse(text).prefix(n)))
                })
            }
        }
        return out
    }

    /// Writes one answer's sentences as `class` descriptions (inside the runner's transaction).
    public func writer() -> (LLMJob<Answer>, Answer) throws -> GenerationRunner.Written {
        let store = self.store, datasetID = self.datasetID
        let info = LLMSource.info(model: configuration.model, prompt: prompt)
        return { _, answer in
            let w = try DescriptionWriter(store: store, sourceID: try store.addSource(info).id)
            for s in answer.sentences {
                try w.add(NewDescription(datasetID: datasetID, classID: answer.target.id, text: s, kind: .class))
            }
            try w.finish()
            return GenerationRunner.Written(added: w.added, existing: w.existing)
        }
    }
}
