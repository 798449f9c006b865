/// Provenance of an import: which file in which format, and, for generated text, which LLM
/// and prompt produced it.
public struct SourceInfo: Sendable, Equatable {
    /// Format name (`fudd`, `descriptions`, `templates`, `classes`, `jsonl`, `llm`).
    public var format: String
    /// A short label ("cupl", "fudd", or the file name) shown in stats and queries.
    public var label: String
    /// The file path as given, when the source is a file.
    public var path: String?
    /// SHA-256 of the file's bytes (or of the request, for generated text).
    public var contentHash: String
    /// The generator, when known (`gpt-3.5-turbo`).
    public var llm: String?
    /// The generator's prompt id, when known.
    public var promptID: String?

    /// Creates a source description.
    public init(format: String, label: String, path: String? = nil, contentHash: String, llm: String? = nil, promptID: String? = nil) {
        self.format = format
        self.label = label
        self.path = path
        self.contentHash = contentHash
        self.llm = llm
        self.promptID = promptID
    }
}
