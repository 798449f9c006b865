/// One unit of LLM work: the request, how to read its answer, and a label for reports.
/// `Output` is what the answer turns into (sentences, differential items, a verdict).
public struct LLMJob<Output> {
    /// A short name for progress and failure reports ("beagle / basset hound").
    public var label: String
    /// The first request.
    public var request: ChatRequest
    /// The prompt, for the corrective turn.
    public var prompt: PromptTemplate
    /// Validates and parses the answer's text; throws `LLMError.invalidAnswer` when unusable.
    public var parse: (String) throws -> Output

    /// Creates a job.
    public init(label: String, request: ChatRequest, prompt: PromptTemplate, parse: @escaping (String) throws -> Output) {
        self.label = label
        self.request = request
        self.prompt = prompt
        self.parse = parse
    }
}
