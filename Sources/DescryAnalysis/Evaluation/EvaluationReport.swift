/// Everything one evaluation measured.
public struct EvaluationReport: Sendable, Codable {
    /// The dataset.
    public var dataset: String
    /// Class names by position.
    public var classNames: [String]
    /// One result per method and k, in the order evaluated.
    public var results: [MethodResult]
    /// The single template's confusions (true → predicted), most frequent first, plus pairs
    /// among FuDD's top-k that lack differential descriptions.
    public var confusions: [Confusion]
    /// Notes for the user (clamped k, fallbacks, skipped images).
    public var notes: [String]
    /// The prompt options used.
    public var options: PromptOptions

    /// A report from parts.
    public init(dataset: String, classNames: [String], results: [MethodResult], confusions: [Confusion], notes: [String], options: PromptOptions) {
        self.dataset = dataset
        self.classNames = classNames
        self.results = results
        self.confusions = confusions
        self.notes = notes
        self.options = options
    }
}
