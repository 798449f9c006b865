import DescryStore
import DescryVision
import Foundation

/// `descry similarity`: cosine similarity of one image against texts.
enum SimilarityCommand: Command {
    static let name = "similarity"
    static let summary = "cosine similarity of an image and texts under a VLM"
    static let help = """
    Usage: descry similarity --vlm NAME <image> <text> [<text> …]

    Prints the cosine similarity of the image with each text and, when the model's logit scale
    is known, the softmax probabilities over the texts.
    """

    static func run(_ args: [String], context: Context) throws {
        let a = try Arguments(args, command: name, options: ["--vlm", "--threads", "--device"], flags: [])
        guard let vlm = a.value("--vlm") else { throw UsageError("similarity needs --vlm NAME", command: name) }
        guard a.positionals.count >= 2 else { throw UsageError("expected an image and at least one text", command: name) }
        let image = a.positionals[0], texts = Array(a.positionals.dropFirst())
        let (registered, model) = try ModelRegistry(store: try context.openStore()).load(vlm, options: try EmbedCommand.sessionOptions(a))
        let sims = try model.similarity(imageAt: URL(fileURLWithPath: image), texts: texts)
        let probs: [Float]? = registered.manifest.logitScale == nil ? nil : model.probabilities(fromSimilarities: sims)
        if context.json {
            try Console.json(texts.enumerated().map { i, t in
                ["text": t, "cosine": String(format: "%.6f", sims[i])].merging(probs.map { ["probability": String(format: "%.6f", $0[i])] } ?? [:]) { a, _ in a }
            })
            return
        }
        let rows = texts.enumerated().map { i, t in [t, String(format: "%.4f", sims[i])] + (probs.map { [String(format: "%.3f", $0[i])] } ?? []) }
        Console.out(Console.table(["text", "cosine"] + (probs == nil ? [] : ["p"]), rows))
    }
}
