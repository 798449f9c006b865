import DescryLLM
import DescryStore
import Foundation

/// `descry generate`: differential and per-class descriptions from an OpenAI-compatible LLM.
enum GenerateCommand: Command {
    static let name = "generate"
    static let summary = "generate descriptions with an LLM: differential pairs, per-class sets"
    static let dataset = Option<String>.required("--dataset", "D", help: "the dataset")
    static let pair = Option<[[String]]>.tuples("--pair", ["A", "B"], help: "(differential) a pair by class names")
    static let vlm = Option<String?>.string(
        "--vlm", "V",
        help: "(differential) the pairs VLM V confuses (the `confusions` table, filled by the\nanalysis); the pairs are keyed to V; (best) the VLM whose alignment ranks the candidates")
    static let k = Option<Int?>.int("--k", "K", range: 1...Int.max, defaultText: "all", help: "(differential) only the K most confused pairs")
    static let missing = Option<Bool>.flag("--missing", help: "(differential) only confused pairs lacking differential descriptions")
    static let attributes = Option<Int>.int("--attributes", default: 5, range: 1...50, help: "(differential) attributes asked for per pair")
    static let perClass = Option<Int>.int("--per-class", default: 10, range: 1...1000, help: "(descriptions) sentences per class")
    static let classes = Option<[String]>.strings("--class", "NAME", help: "(descriptions) only this class")
    static let prompts = Option<String>.choice("--prompts", "SET", among: ["ex2", "cupl"], default: "ex2", help: "(descriptions, best) the prompt set")
    static let candidates = Option<Int>.int("--candidates", default: 20, range: 1...1000, help: "(best) sentences generated per class")
    static let keep = Option<Int>.int("--keep", "K", default: 5, range: 1...1000, help: "(best) sentences kept per class, at most --candidates")

    static let signature = Signature(usage: [
        "differential --dataset D (--pair A B … | --vlm V [--k K] [--missing]) [--attributes N]",
        "descriptions --dataset D [--per-class N] [--prompts ex2|cupl] [--class NAME …]",
        "best --dataset D --vlm V [--candidates N] [--keep K] [--prompts ex2|cupl]",
    ], about: """
    differential   asks, for each class pair, which attributes tell the two classes apart,
                   with one sentence per class per attribute (prompt Data/prompts/differential.json)
    descriptions   per-class sentences from a prompt set: ex2 (varied questions, default) or
                   cupl (appearance); --per-class sentences spread over the set's questions
    best           best-of-N: generates --candidates sentences per class (default 20, as
                   `descriptions` does, cached), then keeps the --keep (default 5) the VLM aligns
                   with best, by the alignment scores in the store (computed by the analysis
                   module). Every candidate gets an audit row, method best-of-n:<vlm>, verdict
                   kept or rejected with its score. Classes whose candidates are not all scored
                   yet are listed; score them and re-run (nothing is sent again).

    Every answer is cached in the store with its exact request before its descriptions are
    written, so a re-run sends only what is missing and `--offline` can rebuild from the cache.
    Descriptions are recorded with source `llm:<model>` and the prompt id. Exit status 1 when
    some jobs failed (their raw answers are kept in llm_cache).
    """, positionals: [.required("differential|descriptions|best")],
    options: [dataset, pair, vlm, k, missing, attributes, perClass, classes, prompts, candidates, keep], groups: [LLMOptions.group])

    static func validate(_ a: ParsedArguments) throws {
        switch a.positionals[0] {
        case "differential":
            if a[pair].isEmpty && a[vlm] == nil { throw a.usageError("generate differential needs --pair A B or --vlm V") }
            if a[missing] && a[vlm] == nil { throw a.usageError("--missing needs --vlm V (it reads the VLM's confusions)") }
        case "best":
            if a[vlm] == nil { throw a.usageError("generate best needs --vlm V (its alignment ranks the candidates)") }
            if a[keep] > a[candidates] { throw a.usageError("need 1 ≤ --keep ≤ --candidates") }
        case "descriptions": break
        case let what: throw a.usageError("unknown generate target '\(what)'; use differential, descriptions or best")
        }
    }

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let what = a.positionals[0]
        let pairNames = a[pair].map { ($0[0], $0[1]) }
        let dataset = a[Self.dataset]
        let llm = LLMOptions(arguments: a, context: context)
        let c = try llm.configuration()
        let store = try context.openStore()
        switch what {
        case "differential":
            var g = try DifferentialGenerator(store: store, dataset: dataset, configuration: c, prompt: try llm.prompt("differential"))
            g.attributesPerPair = a[attributes]
            var vlmID: Int64?
            var pairs: [(ClassRecord, ClassRecord)] = []
            if let vlm = a[Self.vlm] {
                let id = try store.vlms.id(named: vlm)
                vlmID = id
                if pairNames.isEmpty {
                    switch try confusedPairs(store: store, vlm: vlm, vlmID: id, dataset: dataset, datasetID: g.datasetID, k: a[Self.k], missingOnly: a[missing]) {
                    case .pairs(let found): pairs = found
                    case .nothingToDo(let msg):
                        if context.json { try Console.json(["message": msg]) } else { Console.out(msg) }
                        return
                    }
                }
            }
            for (x, y) in pairNames { pairs.append((try g.resolve(x), try g.resolve(y))) }
            try await llm.execute(try g.jobs(pairs: pairs), store: store, configuration: c, what: "differential", apply: g.writer(vlmID: vlmID))
        case "best":
            try await best(a, llm: llm, configuration: c, store: store, dataset: dataset, context: context)
        case "descriptions":
            let set = a[prompts]
            let g = try DescriptionGenerator(store: store, dataset: dataset, configuration: c, prompt: try llm.prompt("descriptions-" + set))
            let perClass = a[Self.perClass]
            let only = a[classes].isEmpty ? nil : try a[classes].map { n -> ClassRecord in
                guard let c = g.classes.first(where: { ClassName.matchKey($0.name) == ClassName.matchKey(n) }) else {
                    throw UsageError("dataset '\(dataset)' has no class '\(n)'", command: name)
                }
                return c
            }
            try await llm.execute(g.jobs(perClass: perClass, only: only), store: store, configuration: c, what: "descriptions", apply: g.writer())
        default:
            throw a.usageError("unknown generate target '\(what)'; use differential, descriptions or best")
        }
    }

    /// What `differential --vlm V [--k K] [--missing]` works on.
    enum ConfusedPairs {
        /// The pairs to write differential descriptions for, most confused first.
        case pairs([(ClassRecord, ClassRecord)])
        /// Every pair asked for already has them: the message saying so.
        case nothingToDo(String)
    }

    /// The pairs VLM `vlm` confuses on the dataset (the K most, the ones lacking differential
    /// descriptions for it with `missingOnly`); shared with `descry demo`'s dry run. Throws when
    /// no confusion is recorded at all.
    static func confusedPairs(store: Store, vlm: String, vlmID: Int64, dataset: String, datasetID: Int64, k: Int?, missingOnly: Bool) throws -> ConfusedPairs {
        let confused = try ConfusedPair.load(store: store, vlmID: vlmID, datasetID: datasetID, k: k, missingOnly: missingOnly)
        if !confused.isEmpty { return .pairs(confused.map { ($0.a, $0.b) }) }
        let all = try ConfusedPair.load(store: store, vlmID: vlmID, datasetID: datasetID, k: nil, missingOnly: false)
        if all.isEmpty {
            throw CommandFailure("no confusions recorded for VLM '\(vlm)' on '\(dataset)': the confusions table is filled by the analysis (evaluate the VLM on the dataset first), or name pairs with --pair A B")
        }
        return .nothingToDo("all \(k.map { "\(min($0, all.count)) most" } ?? "\(all.count)") confused pairs of '\(vlm)' on '\(dataset)' already have differential descriptions; nothing to generate")
    }

    /// Best-of-N: generate candidates (cached), then select by the VLM's alignment scores.
    static func best(_ a: ParsedArguments, llm: LLMOptions, configuration c: LLMConfiguration, store: Store, dataset: String, context: Context) async throws {
        guard let vlm = a[Self.vlm] else { throw a.usageError("generate best needs --vlm V (its alignment ranks the candidates)") }
        _ = try store.vlms.id(named: vlm)
        let set = a[prompts]
        let candidates = a[Self.candidates], keep = a[Self.keep]
        let prompt = try llm.prompt("descriptions-" + set)
        let g = try DescriptionGenerator(store: store, dataset: dataset, configuration: c, prompt: prompt)
        try await llm.execute(g.jobs(perClass: candidates), store: store, configuration: c, what: "candidates", apply: g.writer())
        if a[LLMOptions.dryRun] { return }
        let outcome = try BestOfNSelector(store: store, vlm: vlm, dataset: dataset, model: c.model, prompt: prompt).select(keep: keep)
        if context.json { try Console.json(outcome) } else {
            Console.out("best-of-N with \(vlm): \(outcome.classesSelected) classes ranked, \(outcome.kept) kept, \(outcome.rejected) rejected (audits method \(BestOfNSelector.method(vlm: vlm)))")
        }
        if !outcome.unscoredClasses.isEmpty {
            let names = outcome.unscoredClasses.prefix(10).joined(separator: ", ") + (outcome.unscoredClasses.count > 10 ? ", …" : "")
            throw CommandFailure("\(outcome.unscoredCandidates) candidates of \(outcome.unscoredClasses.count) classes (\(names)) have no alignment score for '\(vlm)' yet: compute the scores with the analysis module, then re-run this command (the candidates are cached; nothing is sent again)")
        }
    }
}
