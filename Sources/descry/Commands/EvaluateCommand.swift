import DescryAnalysis
import DescryStore
import DescryVision
import Foundation

/// `descry evaluate`: accuracy of the zero-shot methods on a dataset's labelled images.
enum EvaluateCommand: Command {
    static let name = "evaluate"
    static let summary = "evaluate zero-shot methods (and FuDD for several k) on labelled images"
    static let help = """
    Usage: descry evaluate --vlm NAME --dataset NAME [--methods LIST] [--k LIST] [--no-record]

    Top-1, top-5 (undefined below 5 classes) and mean per-class recall of each method, from
    cached embeddings. Each method and k becomes a row of `runs` (with the hash of the exact
    prompts and the per-class accuracy); the single template's confusions and the pairs among
    FuDD's top-k that lack differential descriptions go to `confusions` (what `descry generate
    --vlm` reads).

      --methods LIST       comma-separated: classname,template,ensemble,descriptions,fudd (default all)
      --k LIST             FuDD's k values, e.g. 1,3,5,10,all (default 3,5,10,all); clamped to the classes
      --confusions N       confused pairs to print (default 5)
      --per-class          also print each class's top-1 accuracy per method and k
      --no-record          measure only; write nothing
    """ + "\n" + AnalysisOptions.help

    static func run(_ args: [String], context: Context) throws {
        let a = try Arguments(args, command: name, options: AnalysisOptions.valued.union(["--vlm", "--dataset", "--methods", "--k", "--confusions"]),
                              flags: AnalysisOptions.flags.union(["--no-record", "--per-class"]))
        _ = try a.positionals([])
        guard let vlm = a.value("--vlm"), let dataset = a.value("--dataset") else {
            throw UsageError("evaluate needs --vlm NAME and --dataset NAME", command: name)
        }
        let methods: [ZeroShotMethod], ks: [Int?]
        do {
            methods = try ZeroShotMethod.parseList(a.value("--methods") ?? "all")
            ks = try KSelection.parse(a.value("--k") ?? "3,5,10,all")
        } catch { throw UsageError("\(error)", command: name) }
        let opts = try AnalysisOptions(a)
        let store = try context.openStore()
        let report = try evaluate(store: store, vlm: vlm, dataset: dataset, methods: methods, ks: ks, options: opts, record: !a.flag("--no-record"))
        if context.json { try Console.json(report); return }
        for n in report.notes { Console.err("note: \(n)") }
        Console.out(table(report))
        if a.flag("--per-class") {
            Console.out("\nper-class top-1 %:")
            let header = ["class"] + report.results.map(\.label)
            let rows = report.classNames.enumerated().map { c, n in
                [n] + report.results.map { r in r.perClassAccuracy[c].map { String(format: "%.0f", $0 * 100) } ?? "-" }
            }
            Console.out(Console.table(header, rows))
        }
        let shown = report.confusions.filter { $0.count > 0 }.prefix(try a.int("--confusions", default: 5))
        if !shown.isEmpty {
            Console.out("\nmost confused by the single template (true -> predicted):")
            for c in shown { Console.out("  \(c.count)x  \(report.classNames[c.trueClass]) -> \(report.classNames[c.predictedClass])") }
        }
        let missing = report.confusions.filter { $0.missingDescriptions > 0 }
        if !missing.isEmpty {
            Console.out("\n\(missing.count) pair(s) among FuDD's top-k have no differential descriptions; `descry generate --vlm \(vlm) --missing` can write them")
        }
    }

    /// Loads, evaluates and (with `record`) stores the runs.
    static func evaluate(store: Store, vlm: String, dataset: String, methods: [ZeroShotMethod], ks: [Int?],
                         options: AnalysisOptions, record: Bool) throws -> EvaluationReport {
        let vlmID = try store.vlmID(named: vlm)
        let library = try PromptLibrary.load(store: store, dataset: dataset, vlmID: vlmID)
        let images = try LabelledImages.load(store: store, dataset: dataset, vlm: vlm, classes: library.classes)
        let source = try options.textSource(store: store, vlm: vlm, dataset: dataset)
        let report = try Evaluator(library: library, images: images, source: source)
            .evaluate(methods: methods, ks: ks, aggregation: options.aggregation, options: options.prompt)
        if record { try RunRecorder(store: store).record(report, vlm: vlm) }
        return report
    }

    /// The method / k / accuracy table.
    static func table(_ report: EvaluationReport) -> String {
        func pct(_ v: Double?) -> String { v.map { String(format: "%.1f", $0 * 100) } ?? "-" }
        let rows = report.results.map { r in
            [r.method.rawValue, r.k.map(String.init) ?? "", r.aggregation == .similarityOfMean ? "mean emb" : "mean sim",
             pct(r.top1), pct(r.top5), pct(r.meanPerClassRecall), String(r.images)]
        }
        return Console.table(["method", "k", "aggregation", "top-1 %", "top-5 %", "mean recall %", "images"], rows)
    }
}
