import DescryAnalysis
import DescryStore
import Foundation

/// `descry report`: one self-contained HTML page with charts.
enum ReportCommand: Command {
    static let name = "report"
    static let summary = "write a self-contained HTML report (accuracy vs k, attributes, confusions, audit)"
    static let vlm = Option<String>.required("--vlm", "NAME", help: "the VLM whose results to report")
    static let dataset = Option<String>.required("--dataset", "NAME", help: "the dataset")
    static let out = Option<String>.required("--out", "FILE.html", help: "where to write the page")
    static let pairs = Option<Int>.int("--pairs", default: 8, range: 0...1000, help: "confused pairs shown with their descriptions")

    static let signature = Signature(about: """
    Reads what evaluate, score and audit stored: accuracy vs k per method (the FuDD paper's
    curve), attribute preference (mean alignment and lift by attribute and category), the most
    confused pairs with their differential descriptions (N, default 8), and the audit summary.
    Inline SVG, no scripts, no external assets.
    """, options: [vlm, dataset, out, pairs])

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let vlm = a[Self.vlm], dataset = a[Self.dataset], out = a[Self.out]
        let html = try ReportBuilder(store: try context.openStore(readOnly: true)).html(dataset: dataset, vlm: vlm, confusedPairs: a[pairs])
        try OutputFile.write(html, to: out)
        // --json as `export` prints it: the files written.
        if context.json { try Console.json(["written": [out]]); return }
        Console.out("wrote \(out) (\(html.utf8.count / 1024) KiB)")
    }
}
