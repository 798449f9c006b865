import DescryStore

/// The provenance of generated text: format `llm`, label `llm:<model>`, the model and the
/// prompt id. One source per model and prompt wording, so re-runs add to the same source.
public enum LLMSource {
    /// The source record for text from `model` answering `prompt`.
    public static func info(model: String, prompt: PromptTemplate) -> SourceInfo {
        SourceInfo(format: "llm", label: "llm:\(model)", path: prompt.path.isEmpty ? nil : prompt.path,
                   contentHash: Hashing.sha256Hex("llm\u{0}\(model)\u{0}\(prompt.id)\u{0}\(prompt.contentHash)"),
                   llm: model, promptID: prompt.id)
    }
}
