import DescryAnalysis
import DescryStore
import Foundation

/// `descry report`: one self-contained HTML page with charts.
enum ReportCommand: Command {
    static let name = "report"
    static let summary = "write a self-contained HTML report (accuracy vs k, attributes, confusions, audit)"
    static let help = """
    Usage: descry report --vlm NAME --dataset NAME --out FILE.html [--pairs N]

    Reads what evaluate, score and audit stored: accuracy vs k per method (the FuDD paper's
    curve), attribute preference (mean alignment and lift by attribute and category), the most
    confused pairs with their differential descriptions (N, default 8), and the audit summary.
    Inline SVG, no scripts, no external assets.
    """

    static func run(_ args: [String], context: Context) throws {
        let a = try Arguments(args, command: name, options: ["--vlm", "--dataset", "--out", "--pairs"], flags: [])
        _ = try a.positionals([])
        guard let vlm = a.value("--vlm"), let dataset = a.value("--dataset"), let out = a.value("--out") else {
            throw UsageError("report needs --vlm NAME, --dataset NAME and --out FILE.html", command: name)
        }
        let html = try ReportBuilder(store: try context.openStore(readOnly: true)).html(dataset: dataset, vlm: vlm, confusedPairs: try a.int("--pairs", default: 8))
        do { try html.write(toFile: out, atomically: true, encoding: .utf8) } catch {
            throw CommandFailure("\(out): cannot write the report (\(error.localizedDescription)); check the folder exists and is writable")
        }
        Console.out("wrote \(out) (\(html.utf8.count / 1024) KiB)")
    }
}
