import DescryStore
import DescryVision
import Foundation

/// `descry similarity`: cosine similarity of one image against texts.
enum SimilarityCommand: Command {
    static let name = "similarity"
    static let summary = "cosine similarity of an image and texts under a VLM"
    static let vlm = Option<String>.required("--vlm", "NAME", help: "the registered VLM")

    static let signature = Signature(about: """
    Prints the cosine similarity of the image with each text and, when the model's logit scale
    is known, the softmax probabilities over the texts.
    """, positionals: [.required("image"), .variadic("text")], options: [vlm, EmbedCommand.threads, EmbedCommand.device])

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let vlm = a[Self.vlm]
        let image = a.positionals[0], texts = Array(a.positionals.dropFirst())
        let (registered, model) = try ModelRegistry(store: try context.openStore()).load(vlm, options: EmbedCommand.sessionOptions(a))
        let sims = try model.similarity(imageAt: URL(fileURLWithPath: image), texts: texts)
        let probs: [Float]? = registered.manifest.logitScale == nil ? nil : model.probabilities(fromSimilarities: sims)
        if context.json {
            try Console.json(texts.enumerated().map { i, t in
                ["text": AnyEncodable(t), "cosine": AnyEncodable(sims[i])]
                    .merging(probs.map { ["probability": AnyEncodable($0[i])] } ?? [:]) { a, _ in a }
            })
            return
        }
        let rows = texts.enumerated().map { i, t in [t, String(format: "%.4f", sims[i])] + (probs.map { [String(format: "%.3f", $0[i])] } ?? []) }
        Console.out(Console.table(["text", "cosine"] + (probs == nil ? [] : ["p"]), rows))
    }
}
