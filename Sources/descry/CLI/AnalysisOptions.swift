import DescryAnalysis
import DescryStore
import DescryVision
import Foundation

/// The prompt and aggregation options the analysis commands share.
struct AnalysisOptions {
    static let valued: Set<String> = ["--aggregation", "--threads", "--device"]
    static let flags: Set<String> = ["--capitalize", "--class-name-period", "--reference-quirks", "--embed-missing", "--keep-duplicates"]
    static let help = """
      --aggregation A      similarity-of-mean (default; CLIP ensembling, FuDD's code) or
                           mean-of-similarities (DCLIP, WaffleCLIP)
      --capitalize         apply Python's str.capitalize() to every prompt (FuDD's code; no effect
                           on CLIP's lower-casing tokenizer)
      --class-name-period  the class-name prompt is "{c}." as in FuDD's code
      --reference-quirks   both switches above
      --keep-duplicates    FuDD: count a sentence shared by several pairs once per pair (the
                           reference code deduplicates; the demo model's evaluate.py does not)
      --embed-missing      embed prompts the cache lacks with the VLM (implied by the switches)
      --threads N, --device cpu|cuda   for the VLM when it must run
    """

    let aggregation: Aggregation
    let prompt: PromptOptions
    let embedMissing: Bool
    let session: ONNXSessionOptions

    init(_ a: Arguments) throws {
        do { aggregation = try Aggregation.parse(a.value("--aggregation") ?? "similarity-of-mean") } catch {
            throw UsageError("\(error)", command: a.command)
        }
        var p = a.flag("--reference-quirks") ? PromptOptions.reference : PromptOptions()
        if a.flag("--capitalize") { p.capitalize = true }
        if a.flag("--class-name-period") { p.classNamePeriod = true }
        embedMissing = a.flag("--embed-missing") || p.capitalize || p.classNamePeriod
        if a.flag("--keep-duplicates") { p.deduplicate = false }
        prompt = p
        session = try EmbedCommand.sessionOptions(a)
    }

    /// Text vectors: the cache alone, or the VLM embedding what the cache lacks.
    func textSource(store: Store, vlm: String, dataset: String, forceModel: Bool = false) throws -> TextVectorSource {
        if embedMissing || forceModel { return try Embedder(store: store, vlm: vlm, options: session) }
        return try CachedTextVectors(store: store, vlm: vlm, dataset: dataset)
    }
}
