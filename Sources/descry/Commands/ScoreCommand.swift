import DescryAnalysis
import DescryStore
import DescryVision
import Foundation

/// `descry score`: alignment, lift, margin and content of every description under a VLM.
enum ScoreCommand: Command {
    static let name = "score"
    static let summary = "score descriptions under a VLM: alignment, lift, margin, content"
    static let vlm = Option<String>.required("--vlm", "NAME", help: "the registered VLM")
    static let dataset = Option<String>.required("--dataset", "NAME", help: "the dataset whose descriptions to score")
    static let noContent = Option<Bool>.flag("--no-content", help: "skip the content score; read the embedding cache only")

    static let signature = Signature(about: """
    alignment  mean cosine of a description with the labelled images of its class
    lift       alignment minus that of "a photo of a {c}."
    margin     (differential) mean over the class's images of cos(description) − cos(twin)
    content    alignment with the class name replaced by "object": what survives without the name
    Stored in `scores`; a description whose inputs (model, texts, image labels) did not change
    is not recomputed. Content needs texts no import holds, so the VLM is loaded to embed them;
    --no-content reads the cache only.
    """, options: [vlm, dataset, noContent, EmbedCommand.threads, EmbedCommand.device])

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let vlm = a[Self.vlm], dataset = a[Self.dataset]
        let store = try context.openStore()
        let content = !a[noContent]
        let source: TextVectorSource = content
            ? try Embedder(store: store, vlm: vlm, options: EmbedCommand.sessionOptions(a))
            : try CachedTextVectors(store: store, vlm: vlm, dataset: dataset)
        let report = try ScoreCalculator(store: store, vlm: vlm, dataset: dataset, source: source, content: content).run()
        let prefs = try AttributePreference.load(store: store, vlm: vlm, dataset: dataset)
        if context.json { try Console.json(["report": AnyEncodable(report), "attributes": AnyEncodable(prefs)]); return }
        Console.out("scores of '\(dataset)' under \(vlm): \(report.computed) computed, \(report.unchanged) unchanged, \(report.withoutImages) without images")
        if report.withoutImages > 0 { Console.err("note: descriptions of classes without embedded images are not scored; add images (`descry images add`) and embed them") }
        Console.out(preferenceTable(prefs))
    }

    /// Attribute preference as a table.
    static func preferenceTable(_ prefs: [AttributePreference]) -> String {
        Console.table(["attribute", "category", "n", "alignment", "lift"], prefs.map {
            [$0.attribute, $0.category, String($0.count), String(format: "%.4f", $0.alignment), String(format: "%+.4f", $0.lift)]
        })
    }
}
