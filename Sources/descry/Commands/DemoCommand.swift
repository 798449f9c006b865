import DescryAnalysis
import DescryLLM
import DescryQuery
import DescryStore
import DescryVision
import Foundation

/// `descry demo`: the main job on the embedded default data in `Data/`.
enum DemoCommand: Command {
    static let name = "demo"
    static let summary = "the whole story on the shipped demo data and models: import, embed, score, audit, evaluate, compare, report"
    static let report = Option<String?>.path("--report", "FILE.html", help: "where to write the report (default: beside the store, report.html)")
    static let k = EvaluateCommand.kList([1, 2, 3, 5, nil])

    static let signature = Signature(usage: ["[--store PATH] [--data DIR] [--report FILE.html] [--k LIST]"], about: """
    Builds the store from Data/: the demo dataset (class list, per-class descriptions,
    differential descriptions in the FuDD layout, templates), every demo model listed in
    Data/demo/vlms.txt (folders of Data/models; a listed folder that is absent is skipped with a
    note) and the demo's held-out images. For every VLM: embeds every image and text, scores
    every description (alignment, lift, margin, content), audits them (model and rules, and the
    content check under the VLM), evaluates every zero-shot method and FuDD for several k
    (default 1,2,3,5,all) with both aggregations. Then prints, one column or block per VLM: the
    accuracy table and what FuDD gains over the template it re-ranks; attribute preference as a
    DQL pivot (attribute by VLM, mean lift) with the DQL it ran; the kinds of description each
    VLM aligns with best (EX2's view); the class pairs each VLM confuses and those lacking
    differential descriptions for it; and, as a dry run, the requests `descry generate
    differential` would send an LLM for them (no LLM runs in the demo; nothing is sent). Writes
    the HTML report comparing the VLMs (default: beside the store, report.html). Every number is
    measured by the run.
    """, options: [report, k])

    /// What the demo measured for one VLM.
    struct VLMRun {
        var name: String
        var main: EvaluationReport
        var mos: EvaluationReport
        var classes: Int
        var images: Int
    }

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

        // The VLMs, from data: Data/demo/vlms.txt names folders of Data/models.
        let models = (data as NSString).appendingPathComponent("models")
        let (present, absent) = try DemoModelList.load(dataDirectory: data).resolve(modelsDirectory: models)
        Console.out("\n== VLMs (\(DemoModelList.relativePath))")
        for m in present { Console.out("  \(m.name)  (\(m.directory))") }
        for name in absent { Console.out("  note: \(name) is listed but \((models as NSString).appendingPathComponent(name)) is absent: skipped") }
        guard !present.isEmpty else { throw CommandFailure("none of the models listed in \(path("vlms.txt")) is present under \(models)") }

        let registry = ModelRegistry(store: store)
        let images = try store.images.add(try ImageList.imageFolder(path("images")), dataset: "demo")
        let auditor = try Auditor.shipped(dataDirectory: data, taxonomy: try context.taxonomy())
        var runs: [VLMRun] = []
        for (vlm, directory) in present {
            if (try? registry.get(vlm)) == nil { _ = try registry.add(name: vlm, directory: directory) }
            let embedder = try Embedder(store: store, vlm: vlm)
            let imageReport = try embedder.embedDatasetImages("demo")
            let textReport = try embedder.embedDatasetTexts("demo")
            let scoreReport = try ScoreCalculator(store: store, vlm: vlm, dataset: "demo", source: embedder).run()
            let audit = try AuditRunner(store: store, auditor: auditor).run(dataset: "demo", vlm: vlm)
            // Evaluation: every method, FuDD for several k, both aggregations.
            let library = try PromptLibrary.load(store: store, dataset: "demo", vlmID: try store.vlms.id(named: vlm))
            let labelled = try LabelledImages.load(store: store, dataset: "demo", vlm: vlm, classes: library.classes)
            let evaluator = Evaluator(library: library, images: labelled, source: embedder)
            let main = try evaluator.evaluate(methods: ZeroShotMethod.allCases, ks: ks)
            let mos = try evaluator.evaluate(methods: [.ensemble, .descriptions, .fudd], ks: ks, aggregation: .meanOfSimilarities)
            try RunRecorder(store: store).record(main, vlm: vlm)
            // Both evaluations share the single template's first step, so their confusions agree.
            try RunRecorder(store: store).record(mos, vlm: vlm)
            Console.out("\n== \(vlm): embed, score, audit, evaluate")
            Console.out("  images: \(images.added + images.updated) registered, \(imageReport.embedded) embedded, \(imageReport.cached) cached, \(imageReport.failures.count) failed; texts: \(textReport.embedded) embedded, \(textReport.cached) cached")
            Console.out("  scores: \(scoreReport.computed) computed, \(scoreReport.unchanged) unchanged")
            Console.out("  audit (\(auditor.method)): " + audit.byVerdict.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                        + "; content check under \(vlm): \(audit.nameDriven ?? 0) of \(audit.contentChecked ?? 0) scored descriptions name-driven")
            for n in main.notes { Console.out("  note: \(n)") }
            runs.append(VLMRun(name: vlm, main: main, mos: mos, classes: library.classes.count, images: labelled.labels.count))
        }

        let first = runs[0]
        Console.out("\n== zero-shot top-1 accuracy (%) on \(first.images) held-out images, \(first.classes) classes (chance \(String(format: "%.1f", 100.0 / Double(first.classes)))%), one column per VLM")
        Console.out(accuracyTable(runs))
        Console.out("\n== what FuDD gains over the single template it re-ranks (measured, similarity of mean)")
        for r in runs { for (i, line) in fuddVerdict(r.main).enumerated() { Console.out(i == 0 ? "  \(r.name): \(line)" : "    \(line)") } }
        Console.out("  (how the demo models were trained, and the biases built into their training data on purpose: Data/models/README.md)")

        let engine = try QueryEngine(store: store)
        Console.out("\n== attribute preference per VLM (mean lift over the class template), asked in DQL")
        for line in try preferences(engine: engine, vlms: runs.map(\.name)) { Console.out(line) }

        Console.out("\n== EX2's view: the kinds of description each VLM aligns with best (top 5 per class)")
        for r in runs { for line in try ex2(engine: engine, vlm: r.name) { Console.out(line) } }

        Console.out("\n== the class pairs each VLM confuses (single template), and those lacking differential descriptions for it")
        for r in runs { for line in try confusions(engine: engine, store: store, vlm: r.name) { Console.out(line) } }

        Console.out("\n== what an LLM would be asked: `descry generate differential --dry-run` (no LLM runs in the demo; nothing is sent)")
        for line in try dryRuns(store: store, data: data, vlms: runs.map(\.name), storePath: context.storePath) { Console.out(line) }

        let reportPath = a[report] ?? ((context.storePath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("report.html")
        let html = try ReportBuilder(store: store).html(dataset: "demo", vlms: runs.map(\.name))
        try OutputFile.write(html, to: reportPath)
        Console.out("\n== report (\(runs.map(\.name).joined(separator: ", ")) side by side): \(reportPath)  (done in \(String(format: "%.1f", Date().timeIntervalSince(started)))s)")
    }

    /// Methods and k as rows, one top-1 column per VLM, both aggregations.
    static func accuracyTable(_ runs: [VLMRun]) -> String {
        func pct(_ v: Double?) -> String { v.map { String(format: "%.1f", $0 * 100) } ?? "-" }
        let rows = (runs[0].main.results + runs[0].mos.results).map { r -> [String] in
            let cells = runs.map { run in
                pct((run.main.results + run.mos.results).first { $0.method == r.method && $0.k == r.k && $0.aggregation == r.aggregation }?.top1)
            }
            return [r.method.rawValue, r.k.map(String.init) ?? "", r.aggregation == .similarityOfMean ? "mean emb" : "mean sim"] + cells
        }
        return Console.table(["method", "k", "aggregation"] + runs.map(\.name), rows)
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
        let allK = report.classNames.count
        if let all = fudd.first(where: { $0.k == allK }), best.k != allK {
            let loss = all.top1 - best.top1
            out.append("without follow-up (k=\(allK), all pairs at once): \(String(format: "%.1f", all.top1 * 100))%, "
                       + (loss > -0.0005 ? "as good as the best k: on this VLM the follow-up saves work, not accuracy"
                                         : "\(pts(loss)) against the best k: the follow-up on the ambiguous few is what helps"))
        } else if best.k == allK {
            out.append("the best k is all \(allK) classes: for this VLM, no smaller follow-up beats comparing every pair at once")
        }
        let worse = fudd.filter { $0.top1 < template }
        if !worse.isEmpty { out.append("FuDD is below the template for k = " + worse.map { String($0.k ?? 0) }.joined(separator: ", ")) }
        return out
    }

    /// Runs `dql` and returns the DQL, as the command that would run it, and its table, indented.
    static func ask(_ engine: QueryEngine, _ dql: String, indent: String = "    ") throws -> (lines: [String], result: QueryResult) {
        let result = try engine.run(dql)
        let table = ResultFormatter.format(result, as: .table).split(separator: "\n", omittingEmptySubsequences: false).map { indent + $0 }
        return (["  descry query '\(dql)'"] + table, result)
    }

    /// Attribute preference as one DQL pivot (attribute by VLM, mean lift), and each VLM's top
    /// attribute read from its result.
    static func preferences(engine: QueryEngine, vlms: [String]) throws -> [String] {
        let list = vlms.map { "\"\($0)\"" }.joined(separator: ", ")
        let dql = "descriptions | where dataset = \"demo\" and vlm in (\(list)) | pivot attribute by vlm value mean(lift)"
        var (out, result) = try ask(engine, dql)
        let attributes = result.column("attribute").map { $0.string ?? "none" }
        for vlm in vlms {
            let lifts = result.column(vlm).map(\.double)
            guard let best = zip(attributes, lifts).compactMap({ a, l in l.map { (a, $0) } }).max(by: { $0.1 < $1.1 }) else {
                out.append("  \(vlm): no scored description"); continue
            }
            out.append("  top attribute of \(vlm): \(best.0) (mean lift \(String(format: "%+.4f", best.1)))")
        }
        return out
    }

    /// EX2's breakdown of one VLM's best-aligned class descriptions by category and attribute.
    static func ex2(engine: QueryEngine, vlm: String) throws -> [String] {
        let dql = "descriptions | where dataset = \"demo\" and vlm = \"\(vlm)\" and kind = \"class\" | sort alignment desc | top 5 per class | group by category, attribute | aggregate n = count() | sort n desc | top 6"
        return ["  \(vlm):"] + (try ask(engine, dql)).lines
    }

    /// The pairs a VLM confuses most, and those of them lacking differential descriptions for it.
    /// "Confused" means a top-1 error of the single template (`count` > 0); FuDD's follow-ups
    /// also record pairs they needed and found no sentences for (`count` 0), counted apart.
    static func confusions(engine: QueryEngine, store: Store, vlm: String) throws -> [String] {
        let dql = "confusions | where dataset = \"demo\" and vlm = \"\(vlm)\" and count > 0 | sort count desc | top 5 | show class_a, class_b, count, missing_descriptions"
        var out = ["  \(vlm):"] + (try ask(engine, dql)).lines
        let recorded = try confusedPairs(store: store, vlm: vlm)
        let confused = recorded.filter { $0.count > 0 }
        let missing = confused.filter(\.lacksDifferentials)
        let covered = confused.count - missing.count
        out.append("    \(confused.count) confused pairs; \(missing.count) lack differential descriptions for \(vlm)"
                   + (missing.isEmpty ? "" : ": " + missing.prefix(8).map { "\($0.a.displayName) / \($0.b.displayName)" }.joined(separator: ", ") + (missing.count > 8 ? ", …" : ""))
                   + (covered > 0 ? "; \(covered) have sentences (keyed to \(vlm) or to no VLM)" : ""))
        let followUps = recorded.filter { $0.count == 0 && $0.lacksDifferentials }.count
        if followUps > 0 {
            out.append("    FuDD's follow-ups (k up to \(try store.classes(ofDataset: try store.datasetID(named: "demo")).count)) also met \(followUps) pairs that are never a top-1 error and have no sentences; `generate differential --missing` without --k asks for those too")
        }
        return out
    }

    /// Every pair recorded for the VLM on the demo, most confused first.
    static func confusedPairs(store: Store, vlm: String) throws -> [ConfusedClassPair] {
        try store.confusions.top(vlmID: try store.vlms.id(named: vlm), datasetID: try store.datasetID(named: "demo"))
    }

    /// For each VLM, the requests `generate differential --vlm V --missing --k N --dry-run` would
    /// send for the N pairs it confuses (and, when none of them lacks sentences, those for its
    /// most confused pair, `--k 1`): built by the
    /// same code as the command, printed with the first body in full; no client exists, so
    /// nothing can be sent.
    static func dryRuns(store: Store, data: String, vlms: [String], storePath: String) throws -> [String] {
        let env = ProcessInfo.processInfo.environment
        let model = env["DESCRY_LLM_MODEL"].flatMap { $0.isEmpty ? nil : $0 } ?? "gpt-4o-mini"
        let c = try LLMConfiguration.fromEnvironment(model: model)
        let g = try DifferentialGenerator(store: store, dataset: "demo", configuration: c, prompt: try PromptTemplate.load(name: "differential", dataDirectory: data))
        let runner = GenerationRunner(store: store, client: nil, concurrency: c.concurrency)
        var out: [String] = []
        for vlm in vlms {
            let vlmID = try store.vlms.id(named: vlm)
            // The pairs it actually confuses (top-1 errors) come first in the table: ask only for those.
            let confused = max(1, try confusedPairs(store: store, vlm: vlm).filter { $0.count > 0 }.count)
            var asked = "--missing --k \(confused)"
            var pairs: [(ClassRecord, ClassRecord)] = []
            var line = "\n  $ descry --store \(storePath) generate differential --dataset demo --vlm \(vlm) --missing --k \(confused) --dry-run --model \(model)"
            switch try GenerateCommand.confusedPairs(store: store, vlm: vlm, vlmID: vlmID, dataset: "demo", datasetID: g.datasetID, k: confused, missingOnly: true) {
            case .pairs(let p): pairs = p
            case .nothingToDo(let msg):
                out += [line, "  " + msg]
                asked = "--k 1"
                line = "  $ descry --store \(storePath) generate differential --dataset demo --vlm \(vlm) --k 1 --dry-run --model \(model)   # its most confused pair, to show a request"
                if case .pairs(let p) = try GenerateCommand.confusedPairs(store: store, vlm: vlm, vlmID: vlmID, dataset: "demo", datasetID: g.datasetID, k: 1, missingOnly: false) { pairs = p }
            }
            guard !pairs.isEmpty else { continue }
            out.append(line)
            out += LLMOptions.dryRunLines(try runner.plan(try g.jobs(pairs: pairs)), configuration: c, what: "differential (\(vlm), \(asked))", bodies: 1).map { "  " + $0 }
        }
        out.append("\n  To send them: drop --dry-run and point it at an OpenAI-compatible server with --base-url URL (or DESCRY_LLM_BASE_URL),")
        out.append("  --model NAME (or DESCRY_LLM_MODEL); the API key is read from DESCRY_LLM_API_KEY (else OPENAI_API_KEY), never stored or printed.")
        out.append("  The sentences come back keyed to the VLM; re-run the evaluation to see what they change.")
        return out
    }
}
