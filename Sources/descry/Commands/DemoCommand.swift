import DescryAnalysis
import DescryQuery
import DescryStore
import DescryVision
import Foundation

/// `descry demo`: the main job on the embedded default data in `Data/`.
enum DemoCommand: Command {
    static let name = "demo"
    static let summary = "the whole story on the shipped demo data and model: import, embed, score, audit, evaluate, report"
    static let report = Option<String?>.path("--report", "FILE.html", help: "where to write the report (default: beside the store, report.html)")
    static let k = EvaluateCommand.kList([1, 2, 3, 5, nil])

    static let signature = Signature(usage: ["[--store PATH] [--data DIR] [--report FILE.html] [--k LIST]"], about: """
    Builds the store from Data/: the demo dataset (class list, per-class descriptions,
    differential descriptions in the FuDD layout, templates), the demo model
    (Data/models/demo-clip) and the demo's held-out images; embeds every image and text;
    scores every description (alignment, lift, margin, content); audits them; evaluates every
    zero-shot method, FuDD for several k (default 1,2,3,5,all) with both aggregations; prints the
    accuracy table and what FuDD gains or loses as measured; answers three questions about the
    knowledge base; and writes the HTML report (default: beside the store, report.html).
    """, options: [report, k])

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let ks = a[k]
        var data = try context.dataDirectory()
        if !data.hasPrefix("/") { data = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(data) }
        let demo = (data as NSString).appendingPathComponent("demo")
        let store = try context.openStore(create: true)
        let importer = Importer(store: store)
        func path(_ f: String) -> String { (demo as NSString).appendingPathComponent(f) }
        let started = Date()
        var reports: [ImportReport] = []
        reports.append(try importer.importFudd(classNamesPath: path("demo_class_names.json"), promptPairsPath: path("demo_prompt_pairs.json"), dataset: "demo"))
        reports.append(try importer.importClassDescriptions(path: path("demo_descriptions.json"), dataset: "demo", label: "demo"))
        reports.append(try importer.importTemplates(path: path("demo_templates.json"), dataset: "demo", label: "demo-templates"))
        Console.out("== import")
        for r in reports {
            Console.out("  \(r.format) \((r.file as NSString).lastPathComponent): \(r.descriptionsAdded) added, \(r.descriptionsExisting) already stored, \(r.pairsAdded) pairs")
        }

        // Model, images, embeddings.
        let vlm = "demo-clip"
        let registry = ModelRegistry(store: store)
        if (try? registry.get(vlm)) == nil {
            _ = try registry.add(name: vlm, directory: ((data as NSString).appendingPathComponent("models") as NSString).appendingPathComponent(vlm))
        }
        let images = try store.images.add(try ImageList.imageFolder(path("images")), dataset: "demo")
        let embedder = try Embedder(store: store, vlm: vlm)
        let imageReport = try embedder.embedDatasetImages("demo")
        let textReport = try embedder.embedDatasetTexts("demo")
        Console.out("\n== embed (\(vlm))")
        Console.out("  images: \(images.added + images.updated) registered, \(imageReport.embedded) embedded, \(imageReport.cached) cached, \(imageReport.failures.count) failed")
        Console.out("  texts:  \(textReport.embedded) embedded, \(textReport.cached) cached")

        // Scores and audit.
        let scoreReport = try ScoreCalculator(store: store, vlm: vlm, dataset: "demo", source: embedder).run()
        let auditor = try Auditor.shipped(dataDirectory: data, taxonomy: try context.taxonomy())
        let audit = try AuditRunner(store: store, auditor: auditor).run(dataset: "demo", vlm: vlm)
        Console.out("\n== score and audit")
        Console.out("  scores: \(scoreReport.computed) computed, \(scoreReport.unchanged) unchanged")
        Console.out("  audit (rules): " + audit.byVerdict.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                    + "; content check: \(audit.nameDriven ?? 0) of \(audit.contentChecked ?? 0) scored descriptions name-driven")

        // Evaluation: every method, FuDD for several k, both aggregations.
        let library = try PromptLibrary.load(store: store, dataset: "demo", vlmID: try store.vlms.id(named: vlm))
        let labelled = try LabelledImages.load(store: store, dataset: "demo", vlm: vlm, classes: library.classes)
        let evaluator = Evaluator(library: library, images: labelled, source: embedder)
        let main = try evaluator.evaluate(methods: ZeroShotMethod.allCases, ks: ks)
        let mos = try evaluator.evaluate(methods: [.ensemble, .descriptions, .fudd], ks: ks, aggregation: .meanOfSimilarities)
        try RunRecorder(store: store).record(main, vlm: vlm)
        // Both evaluations share the single template's first step, so their confusions agree.
        try RunRecorder(store: store).record(mos, vlm: vlm)
        Console.out("\n== zero-shot accuracy on \(labelled.labels.count) held-out images, \(library.classes.count) classes (chance \(String(format: "%.1f", 100.0 / Double(library.classes.count)))%)")
        Console.out(EvaluateCommand.table(EvaluationReport(dataset: main.dataset, classNames: main.classNames, results: main.results + mos.results,
                                                           confusions: [], notes: [], options: main.options)))
        for n in main.notes { Console.out("  note: \(n)") }
        Console.out("\n== what FuDD gains or loses (measured, similarity of mean)")
        for line in fuddVerdict(main) { Console.out("  " + line) }

        Console.out("\n== three questions to the knowledge base")
        for line in try questions(store: store, vlm: vlm) { Console.out(line) }

        let reportPath = a[report] ?? ((context.storePath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("report.html")
        let html = try ReportBuilder(store: store).html(dataset: "demo", vlm: vlm)
        try OutputFile.write(html, to: reportPath)
        Console.out("\n== report: \(reportPath)  (done in \(String(format: "%.1f", Date().timeIntervalSince(started)))s)")
    }

    /// FuDD against the baselines, in points of top-1 accuracy, as measured.
    static func fuddVerdict(_ report: EvaluationReport) -> [String] {
        func acc(_ label: String) -> Double? { report.results.first { $0.label == label }?.top1 }
        let fudd = report.results.filter { $0.method == .fudd }
        guard let best = fudd.max(by: { $0.top1 < $1.top1 }), let template = acc("template") else { return ["FuDD was not evaluated"] }
        func pts(_ v: Double) -> String { String(format: "%+.1f points", v * 100) }
        var out = ["best FuDD: k=\(best.k ?? 0) at \(String(format: "%.1f", best.top1 * 100))%, \(pts(best.top1 - template)) over the single template it re-ranks"]
        if let d = acc("descriptions") { out.append("against per-class descriptions (\(String(format: "%.1f", d * 100))%): \(pts(best.top1 - d))") }
        if let e = acc("ensemble") { out.append("against the template ensemble (\(String(format: "%.1f", e * 100))%): \(pts(best.top1 - e))") }
        if let all = fudd.first(where: { $0.k == report.classNames.count }) {
            out.append("without follow-up (k=\(all.k!), all pairs at once): \(String(format: "%.1f", all.top1 * 100))%, \(pts(all.top1 - best.top1)) against the best k: the follow-up on the ambiguous few is what helps")
        }
        let worse = fudd.filter { $0.top1 < template }
        if !worse.isEmpty { out.append("FuDD is below the template for k = " + worse.map { String($0.k ?? 0) }.joined(separator: ", ")) }
        out.append("(the demo model was trained so that twins are confusable by name only; see Data/models/demo-clip/README.md)")
        return out
    }

    /// Three questions about the knowledge base, asked in DQL and answered by the query engine.
    static func questions(store: Store, vlm: String) throws -> [String] {
        let engine = try QueryEngine(store: store)
        let asked: [(String, String)] = [
            ("Which attributes does \(vlm) prefer (mean lift over the class template)?",
             "descriptions | where dataset = \"demo\" and vlm = \"\(vlm)\" | group by attribute, category | aggregate n = count(), lift = mean(lift) | sort lift desc | top 3"),
            ("Which descriptions the auditor calls non-visual does it still align with most?",
             "descriptions | where dataset = \"demo\" and vlm = \"\(vlm)\" and audit = \"non-visual\" | sort alignment desc | top 3 | show class, alignment, lift, text"),
            ("Which class pairs does it confuse most?",
             "confusions | where dataset = \"demo\" and vlm = \"\(vlm)\" and count > 0 | sort count desc | top 3 | show class_a, class_b, count, missing_descriptions"),
        ]
        var out: [String] = []
        for (question, dql) in asked {
            out.append("\n  \(question)\n  descry query '\(dql)'")
            let result = try engine.run(dql)
            out += ResultFormatter.format(result, as: .table).split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
        }
        return out
    }
}
