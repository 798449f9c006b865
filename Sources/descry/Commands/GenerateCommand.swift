import DescryLLM
import DescryStore
import Foundation

/// `descry generate`: differential and per-class descriptions from an OpenAI-compatible LLM.
enum GenerateCommand: Command {
    static let name = "generate"
    static let summary = "generate descriptions with an LLM: differential pairs, per-class sets"
    static let help = """
    Usage: descry generate differential --dataset D (--pair A B … | --vlm V [--k K] [--missing]) [--attributes N]
           descry generate descriptions --dataset D [--per-class N] [--prompts ex2|cupl] [--class NAME …]
           descry generate best --dataset D --vlm V [--candidates N] [--keep K] [--prompts ex2|cupl]

    differential   asks, for each class pair, which attributes tell the two classes apart,
                   with one sentence per class per attribute (prompt Data/prompts/differential.json)
      --pair A B     a pair by class names (repeatable)
      --vlm V        the pairs VLM V confuses (the `confusions` table, filled by the analysis);
                     the pairs are keyed to V
      --k K          only the K most confused pairs (default: all)
      --missing      only confused pairs lacking differential descriptions
      --attributes N attributes asked for per pair (default 5)
    descriptions   per-class sentences from a prompt set: ex2 (varied questions, default) or
                   cupl (appearance); --per-class sentences spread over the set's questions
      --per-class N  sentences per class (default 10)
      --class NAME   only this class (repeatable)
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

    """ + LLMOptions.help

    static func run(_ args: [String], context: Context) throws {
        var rest: [String] = []
        var pairNames: [(String, String)] = []
        var i = 0
        while i < args.count {
            if args[i] == "--pair" {
                guard i + 2 < args.count else { throw UsageError("--pair needs two class names", command: name) }
                pairNames.append((args[i + 1], args[i + 2]))
                i += 3
            } else { rest.append(args[i]); i += 1 }
        }
        let a = try Arguments(rest, command: name,
                              options: LLMOptions.valued.union(["--dataset", "--vlm", "--k", "--attributes", "--per-class", "--prompts", "--class", "--candidates", "--keep"]),
                              flags: LLMOptions.flags.union(["--missing"]))
        let what = try a.positionals(["differential|descriptions|best"])[0]
        guard let dataset = a.value("--dataset") else { throw UsageError("generate needs --dataset NAME", command: name) }
        let llm = LLMOptions(arguments: a, context: context)
        let c = try llm.configuration()
        let store = try context.openStore()
        switch what {
        case "differential":
            var g = try DifferentialGenerator(store: store, dataset: dataset, configuration: c, prompt: try llm.prompt("differential"))
            g.attributesPerPair = try a.int("--attributes", default: 5)
            var vlmID: Int64?
            var pairs: [(ClassRecord, ClassRecord)] = []
            if let vlm = a.value("--vlm") {
                let id = try store.vlmID(named: vlm)
                vlmID = id
                if pairNames.isEmpty {
                    let k = a.value("--k") == nil ? nil : try a.int("--k", default: 0)
                    let confused = try ConfusedPair.load(store: store, vlmID: id, datasetID: g.datasetID, k: k, missingOnly: a.flag("--missing"))
                    if confused.isEmpty {
                        let all = try ConfusedPair.load(store: store, vlmID: id, datasetID: g.datasetID, k: nil, missingOnly: false)
                        if all.isEmpty {
                            throw CommandFailure("no confusions recorded for VLM '\(vlm)' on '\(dataset)': the confusions table is filled by the analysis (evaluate the VLM on the dataset first), or name pairs with --pair A B")
                        }
                        let msg = "all \(k.map { "\(min($0, all.count)) most" } ?? "\(all.count)") confused pairs of '\(vlm)' on '\(dataset)' already have differential descriptions; nothing to generate"
                        if context.json { try Console.json(["message": msg]) } else { Console.out(msg) }
                        return
                    }
                    pairs = confused.map { ($0.a, $0.b) }
                }
            } else if pairNames.isEmpty {
                throw UsageError("generate differential needs --pair A B or --vlm V", command: name)
            }
            if a.flag("--missing") && a.value("--vlm") == nil { throw UsageError("--missing needs --vlm V (it reads the VLM's confusions)", command: name) }
            for (x, y) in pairNames { pairs.append((try g.resolve(x), try g.resolve(y))) }
            try llm.execute(try g.jobs(pairs: pairs), store: store, configuration: c, what: "differential", apply: g.writer(vlmID: vlmID))
        case "best":
            try best(a, llm: llm, configuration: c, store: store, dataset: dataset, context: context)
        case "descriptions":
            let set = a.value("--prompts") ?? "ex2"
            guard ["ex2", "cupl"].contains(set) else { throw UsageError("--prompts is ex2 or cupl, got '\(set)'", command: name) }
            let g = try DescriptionGenerator(store: store, dataset: dataset, configuration: c, prompt: try llm.prompt("descriptions-" + set))
            let perClass = try a.int("--per-class", default: 10)
            guard perClass > 0 else { throw UsageError("--per-class must be positive", command: name) }
            let only = a.values("--class").isEmpty ? nil : try a.values("--class").map { n -> ClassRecord in
                guard let c = g.classes.first(where: { ClassName.matchKey($0.name) == ClassName.matchKey(n) }) else {
                    throw UsageError("dataset '\(dataset)' has no class '\(n)'", command: name)
                }
                return c
            }
            try llm.execute(g.jobs(perClass: perClass, only: only), store: store, configuration: c, what: "descriptions", apply: g.writer())
        default:
            throw UsageError("unknown generate target '\(what)'; use differential, descriptions or best", command: name)
        }
    }

    /// Best-of-N: generate candidates (cached), then select by the VLM's alignment scores.
    static func best(_ a: Arguments, llm: LLMOptions, configuration c: LLMConfiguration, store: Store, dataset: String, context: Context) throws {
        guard let vlm = a.value("--vlm") else { throw UsageError("generate best needs --vlm V (its alignment ranks the candidates)", command: name) }
        _ = try store.vlmID(named: vlm)
        let set = a.value("--prompts") ?? "ex2"
        guard ["ex2", "cupl"].contains(set) else { throw UsageError("--prompts is ex2 or cupl, got '\(set)'", command: name) }
        let candidates = try a.int("--candidates", default: 20), keep = try a.int("--keep", default: 5)
        guard candidates >= 1, keep >= 1, keep <= candidates else { throw UsageError("need 1 ≤ --keep ≤ --candidates", command: name) }
        let prompt = try llm.prompt("descriptions-" + set)
        let g = try DescriptionGenerator(store: store, dataset: dataset, configuration: c, prompt: prompt)
        try llm.execute(g.jobs(perClass: candidates), store: store, configuration: c, what: "candidates", apply: g.writer())
        if a.flag("--dry-run") { return }
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
