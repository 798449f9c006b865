import DescryAnalysis
import DescryStore
import Foundation

/// `descry report`: one self-contained HTML page with charts, for one VLM or several side by side.
enum ReportCommand: Command {
    static let name = "report"
    static let summary = "write a self-contained HTML report (accuracy vs k, attributes, confusions, audit), VLMs side by side"
    // Required and repeatable: missing, it is listed with the other required options.
    static let vlm = Option<[String]>(spec: OptionSpec.single("--vlm", "NAME", help: "a VLM whose results to report (repeatable: several side by side);\n`all`: every VLM evaluated on the dataset") { $0 }.repeating().requiring(),
                                      resolve: { $0.compactMap { $0 as? String } })
    static let dataset = Option<String>.required("--dataset", "NAME", help: "the dataset")
    static let out = Option<String>.required("--out", "FILE.html", help: "where to write the page")
    static let pairs = Option<Int>.int("--pairs", default: 8, range: 0...1000, help: "confused pairs shown with their descriptions, per VLM")

    static let signature = Signature(usage: ["--vlm NAME [--vlm NAME …] --dataset NAME --out FILE.html [--pairs N]",
                                             "--vlm all --dataset NAME --out FILE.html [--pairs N]"], about: """
    Reads what evaluate, score and audit stored: accuracy vs k per method (the FuDD paper's
    curve), attribute preference (mean alignment and lift by attribute and category), the kinds
    of description the VLM aligns with best (EX2's view), the most confused pairs with their
    differential descriptions (N, default 8), and the audit summary.
    With several VLMs (--vlm repeated, or --vlm all) the page compares them: accuracy vs k for
    each (one colour per VLM) with a table of every run, FuDD's gain over the template per VLM,
    attribute preference as grouped bars (one bar per VLM), the kinds of description each
    prefers, then each VLM's confused pairs and the audit.
    Inline SVG, no scripts, no external assets.
    """, options: [vlm, dataset, out, pairs])

    static func validate(_ a: ParsedArguments) throws {
        let names = a[vlm]
        if names.contains("all") && names.count > 1 { throw a.usageError("--vlm all stands alone; name VLMs or ask for all of them") }
        if Set(names).count != names.count { throw a.usageError("--vlm names a VLM twice") }
    }

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let dataset = a[Self.dataset], out = a[Self.out]
        let store = try context.openStore(readOnly: true)
        var names = a[vlm]
        if names == ["all"] {
            names = try evaluatedVLMs(store: store, dataset: dataset)
            if names.isEmpty { throw CommandFailure("no VLM has been evaluated on '\(dataset)' yet: run `descry evaluate --vlm V --dataset \(dataset)` first, or name VLMs with --vlm") }
        }
        let html = try ReportBuilder(store: store).html(dataset: dataset, vlms: names, confusedPairs: a[pairs])
        try OutputFile.write(html, to: out)
        // --json as `export` prints it: the files written.
        if context.json { try Console.json(["written": [out]]); return }
        Console.out("wrote \(out) (\(html.utf8.count / 1024) KiB; \(names.joined(separator: ", ")))")
    }

    /// The VLMs with at least one run on the dataset, by name.
    static func evaluatedVLMs(store: Store, dataset: String) throws -> [String] {
        let datasetID = try store.datasetID(named: dataset)
        return try store.vlms.names().filter { !(try store.runs.latest(vlmID: try store.vlms.id(named: $0), datasetID: datasetID)).isEmpty }
    }
}
