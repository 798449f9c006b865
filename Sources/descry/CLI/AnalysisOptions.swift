import DescryAnalysis
import DescryStore
import DescryVision
import Foundation

/// The prompt and aggregation options the analysis commands share.
struct AnalysisOptions {
    static let aggregation = Option<Aggregation>.custom(
        "--aggregation", "A", default: .similarityOfMean, defaultText: nil,
        help: "similarity-of-mean (default; CLIP ensembling, FuDD's code) or\nmean-of-similarities (DCLIP, WaffleCLIP)",
        parse: { try Aggregation.parse($0) })
    static let capitalize = Option<Bool>.flag(
        "--capitalize", help: "apply Python's str.capitalize() to every prompt (FuDD's code; no effect\non CLIP's lower-casing tokenizer)")
    static let classNamePeriod = Option<Bool>.flag("--class-name-period", help: "the class-name prompt is \"{c}.\" as in FuDD's code")
    static let referenceQuirks = Option<Bool>.flag("--reference-quirks", help: "both switches above")
    static let keepDuplicates = Option<Bool>.flag(
        "--keep-duplicates",
        help: "FuDD: count a sentence shared by several pairs once per pair (the\nreference code deduplicates; the demo model's evaluate.py does not)")
    static let embedMissing = Option<Bool>.flag("--embed-missing", help: "embed prompts the cache lacks with the VLM (implied by the switches)")

    /// The group the analysis commands list under "Analysis options".
    static let group = OptionGroup(title: "Analysis options", usage: "[analysis options]", options: [
        aggregation, capitalize, classNamePeriod, referenceQuirks, keepDuplicates, embedMissing,
        EmbedCommand.threads, EmbedCommand.device,
    ])

    let aggregation: Aggregation
    let prompt: PromptOptions
    let embedMissing: Bool
    let session: ONNXSessionOptions

    init(_ a: ParsedArguments) {
        aggregation = a[Self.aggregation]
        var p = a[Self.referenceQuirks] ? PromptOptions.reference : PromptOptions()
        if a[Self.capitalize] { p.capitalize = true }
        if a[Self.classNamePeriod] { p.classNamePeriod = true }
        embedMissing = a[Self.embedMissing] || p.capitalize || p.classNamePeriod
        if a[Self.keepDuplicates] { p.deduplicate = false }
        prompt = p
        session = EmbedCommand.sessionOptions(a)
    }

    /// Text vectors: the cache alone, or the VLM embedding what the cache lacks.
    func textSource(store: Store, vlm: String, dataset: String, forceModel: Bool = false) throws -> TextVectorSource {
        if embedMissing || forceModel { return try Embedder(store: store, vlm: vlm, options: session) }
        return try CachedTextVectors(store: store, vlm: vlm, dataset: dataset)
    }
}
