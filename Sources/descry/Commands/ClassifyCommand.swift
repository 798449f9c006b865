import DescryAnalysis
import DescryStore
import DescryVision
import Foundation

/// `descry classify`: zero-shot classification of image files with cached prompts.
enum ClassifyCommand: Command {
    static let name = "classify"
    static let summary = "classify images zero-shot with cached prompts (FuDD or a baseline)"
    static let help = """
    Usage: descry classify --vlm NAME --dataset NAME [--method M] [--k N] [--top N] <image> [<image> …]

    Prints the best classes of each image with raw cosine scores (and softmax probabilities
    when the model's logit scale is known), and for FuDD and descriptions the sentences that
    decided between the two leading classes. Image vectors come from the cache when the file
    was embedded before; otherwise the VLM embeds it (not cached: it is not a dataset image).

      --method M           classname, template, ensemble, descriptions or fudd (default fudd)
      --k N                FuDD's number of ambiguous classes (default 10; clamped to the classes)
      --top N              classes to show (default 5)
    """ + "\n" + AnalysisOptions.help

    static func run(_ args: [String], context: Context) throws {
        let a = try Arguments(args, command: name, options: AnalysisOptions.valued.union(["--vlm", "--dataset", "--method", "--k", "--top"]),
                              flags: AnalysisOptions.flags)
        guard let vlm = a.value("--vlm"), let dataset = a.value("--dataset") else {
            throw UsageError("classify needs --vlm NAME and --dataset NAME", command: name)
        }
        guard !a.positionals.isEmpty else { throw UsageError("expected at least one image file", command: name) }
        let methods: [ZeroShotMethod]
        do { methods = try ZeroShotMethod.parseList(a.value("--method") ?? "fudd") } catch { throw UsageError("\(error)", command: name) }
        guard methods.count == 1 else { throw UsageError("classify takes one --method", command: name) }
        let k = try a.int("--k", default: 10), top = try a.int("--top", default: 5)
        guard k >= 1, top >= 1 else { throw UsageError("--k and --top must be at least 1", command: name) }
        let opts = try AnalysisOptions(a)
        let store = try context.openStore()
        let registered = try ModelRegistry(store: store).get(vlm)
        let library = try PromptLibrary.load(store: store, dataset: dataset, vlmID: registered.id)
        let classifier = try ZeroShotClassifier(library: library, source: try opts.textSource(store: store, vlm: vlm, dataset: dataset),
                                                method: methods[0], k: k, aggregation: opts.aggregation, options: opts.prompt)
        for n in classifier.notes { Console.err("note: \(n)") }
        let cache = store.embeddings(vlmID: registered.id)
        var model: CLIPModel?
        var outputs: [[String: String]] = []
        for path in a.positionals {
            guard let bytes = FileManager.default.contents(atPath: path) else { throw CommandFailure("\(path): no such file or it cannot be read") }
            var vector = try cache.vectors(.image, keys: [Hashing.sha256Hex([UInt8](bytes))]).values.first
            if vector == nil {
                if model == nil { model = try ModelRegistry(store: store).load(vlm, options: opts.session).1 }
                vector = try model!.encode(images: [ImageDecoder().decode(bytes, path: path)])[0]
            }
            let result = try classifier.classify(vector!, top: top)
            let probs: [Float]? = registered.manifest.logitScale.map { Softmax.probabilities(result.ranking.scores, logitScale: $0) }
            if context.json {
                for (i, c) in result.ranking.classes.enumerated() {
                    outputs.append(["image": path, "rank": String(i + 1), "class": library.classes[c].displayName,
                                    "cosine": String(format: "%.6f", result.ranking.scores[i])])
                }
                continue
            }
            Console.out("\(path)  (\(methods[0].rawValue)\(result.k.map { " k=\($0)" } ?? ""), \(opts.aggregation.rawValue))")
            let rows = result.ranking.classes.enumerated().map { i, c in
                [String(i + 1), library.classes[c].displayName, String(format: "%.4f", result.ranking.scores[i])] + (probs.map { [String(format: "%.3f", $0[i])] } ?? [])
            }
            Console.out(Console.table(["#", "class", "cosine"] + (probs == nil ? [] : ["p (among shown)"]), rows))
            for (c, sentences) in result.evidence {
                Console.out("  decided by, for \(library.classes[c].displayName):")
                for s in sentences.prefix(3) { Console.out("    \(String(format: "%.4f", s.cosine))  \(s.text)") }
            }
        }
        if context.json { try Console.json(outputs) }
    }
}
