import DescryAnalysis
import DescryStore
import DescryVision
import Foundation

/// `descry classify`: zero-shot classification of image files with cached prompts.
enum ClassifyCommand: Command {
    static let name = "classify"
    static let summary = "classify images zero-shot with cached prompts (FuDD or a baseline)"
    static let vlm = Option<String>.required("--vlm", "NAME", help: "the registered VLM")
    static let dataset = Option<String>.required("--dataset", "NAME", help: "the dataset whose classes and prompts to use")
    static let method = Option<ZeroShotMethod>.custom(
        "--method", "M", default: .fudd, defaultText: "fudd", constraint: "classname, template, ensemble, descriptions or fudd",
        help: "the zero-shot method", parse: { text in
            let methods = try ZeroShotMethod.parseList(text)
            guard methods.count == 1 else { throw OptionValueError("takes one method, got '\(text)'") }
            return methods[0]
        })
    static let k = Option<Int>.int("--k", default: 10, range: 1...Int.max, help: "FuDD's number of ambiguous classes, clamped to the classes")
    static let top = Option<Int>.int("--top", default: 5, range: 1...Int.max, help: "classes to show")

    static let signature = Signature(about: """
    Prints the best classes of each image with raw cosine scores (and softmax probabilities
    when the model's logit scale is known), and for FuDD and descriptions the sentences that
    decided between the two leading classes. Image vectors come from the cache when the file
    was embedded before; otherwise the VLM embeds it (not cached: it is not a dataset image).
    """, positionals: [.variadic("image")], options: [vlm, dataset, method, k, top], groups: [AnalysisOptions.group])

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let vlm = a[Self.vlm], dataset = a[Self.dataset]
        let methods = [a[method]]
        let k = a[Self.k], top = a[Self.top]
        let opts = AnalysisOptions(a)
        let store = try context.openStore()
        let registered = try ModelRegistry(store: store).get(vlm)
        let library = try PromptLibrary.load(store: store, dataset: dataset, vlmID: registered.id)
        let classifier = try ZeroShotClassifier(library: library, source: try opts.textSource(store: store, vlm: vlm, dataset: dataset),
                                                method: methods[0], k: k, aggregation: opts.aggregation, options: opts.prompt)
        for n in classifier.notes { Console.err("note: \(n)") }
        let cache = store.embeddings(vlmID: registered.id)
        var model: CLIPModel?
        var outputs: [[String: AnyEncodable]] = []
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
                    var row: [String: AnyEncodable] = ["image": AnyEncodable(path), "rank": AnyEncodable(i + 1),
                                                       "class": AnyEncodable(library.classes[c].displayName),
                                                       "cosine": AnyEncodable(result.ranking.scores[i])]
                    if let probs { row["probability"] = AnyEncodable(probs[i]) }
                    outputs.append(row)
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
