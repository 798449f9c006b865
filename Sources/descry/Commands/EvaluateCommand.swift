import DescryAnalysis
import DescryStore
import DescryVision
import Foundation

/// `descry evaluate`: accuracy of the zero-shot methods on a dataset's labelled images.
enum EvaluateCommand: Command {
    static let name = "evaluate"
    static let summary = "evaluate zero-shot methods (and FuDD for several k) on labelled images"
    static let vlm = Option<String>.required("--vlm", "NAME", help: "the registered VLM")
    static let dataset = Option<String>.required("--dataset", "NAME", help: "the dataset whose labelled images to classify")
    static let methods = Option<[ZeroShotMethod]>.custom(
        "--methods", "LIST", default: ZeroShotMethod.allCases, defaultText: "all",
        help: "comma-separated: classname,template,ensemble,descriptions,fudd", parse: { try ZeroShotMethod.parseList($0) })
    /// Also `descry demo --k`.
    static func kList(_ ks: [Int?]) -> Option<[Int?]> {
        .custom("--k", "LIST", default: ks, defaultText: ks.map { $0.map(String.init) ?? "all" }.joined(separator: ","),
                help: "FuDD's k values, e.g. 1,3,5,10,all; clamped to the classes", parse: { try KSelection.parse($0) })
    }
    static let k = kList([3, 5, 10, nil])
    static let confusions = Option<Int>.int("--confusions", default: 5, range: 0...Int.max, help: "confused pairs to print")
    static let perClass = Option<Bool>.flag("--per-class", help: "also print each class's top-1 accuracy per method and k")
    static let noRecord = Option<Bool>.flag("--no-record", help: "measure only; write nothing")

    static let signature = Signature(about: """
    Top-1, top-5 (undefined below 5 classes) and mean per-class recall of each method, from
    cached embeddings. Each method and k becomes a row of `runs` (with the hash of the exact
    prompts and the per-class accuracy); the single template's confusions and the pairs among
    FuDD's top-k that lack differential descriptions go to `confusions` (what `descry generate
    --vlm` reads).
    """, options: [vlm, dataset, methods, k, confusions, perClass, noRecord], groups: [AnalysisOptions.group])

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let vlm = a[Self.vlm], dataset = a[Self.dataset]
        let methods = a[Self.methods], ks = a[k]
        let opts = AnalysisOptions(a)
        let store = try context.openStore()
        let report = try evaluate(store: store, vlm: vlm, dataset: dataset, methods: methods, ks: ks, options: opts, record: !a[noRecord])
        if context.json { try Console.json(report); return }
        for n in report.notes { Console.err("note: \(n)") }
        Console.out(table(report))
        if a[perClass] {
            Console.out("\nper-class top-1 %:")
            let header = ["class"] + report.results.map(\.label)
            let rows = report.classNames.enumerated().map { c, n in
                [n] + report.results.map { r in r.perClassAccuracy[c].map { String(format: "%.0f", $0 * 100) } ?? "-" }
            }
            Console.out(Console.table(header, rows))
        }
        let shown = report.confusions.filter { $0.count > 0 }.prefix(a[confusions])
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
        let vlmID = try store.vlms.id(named: vlm)
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
