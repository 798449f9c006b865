import DescryStore
import Foundation

/// `descry bench report`: one Markdown table and one JSON file from the runs `make bench` records
/// (Tests/Benchmarks/bench_run.sh: each bench's `--json` output and the load average around it).
enum BenchReportCommand: Command {
    static let name = "bench report"
    static let runs = Option<String>.path("--runs", "DIR", default: ".deps/bench/runs",
                                          help: "the runs: NAME.json (a bench's --json output) and NAME.meta.json each")
    static let out = Option<String>.path("--out", "DIR", default: ".deps/bench", help: "where report.md and report.json go")

    static let signature = Signature(about: """
    report   reads every NAME.meta.json in --runs (bench name, command, load average before
             and after, seconds; written by Tests/Benchmarks/bench_run.sh) with its NAME.json,
             and writes --out/report.md (one table: bench, measure, value, load average) and
             --out/report.json (the same rows). Every number of each bench's JSON becomes a row,
             so Python baselines measured in the same run sit beside Descry's numbers.
    """, options: [runs, out])

    struct Run: Encodable {
        var bench: String
        var command: String
        var loadBefore: String
        var loadAfter: String
        var seconds: Double?
        var measures: [Measure]
    }

    struct Measure: Encodable {
        var name: String
        var value: String
    }

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let dir = a[runs]
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".meta.json") }
            .sorted { $0.dropLast(".meta.json".count) < $1.dropLast(".meta.json".count) }
        guard !names.isEmpty else { throw CommandFailure("no NAME.meta.json in \(dir); run `make bench` (or Tests/Benchmarks/bench_run.sh)") }
        var all: [Run] = []
        for metaName in names {
            let metaPath = (dir as NSString).appendingPathComponent(metaName)
            let stem = String(metaName.dropLast(".meta.json".count))
            let outPath = (dir as NSString).appendingPathComponent(stem + ".json")
            guard let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: metaPath))) as? [String: Any] else {
                throw CommandFailure("\(metaPath): not a JSON object")
            }
            var measures: [Measure] = []
            if let data = FileManager.default.contents(atPath: outPath), !data.isEmpty {
                do {
                    flatten(try JSONSerialization.jsonObject(with: data), prefix: "", into: &measures)
                } catch {
                    throw CommandFailure("\(outPath): not JSON (\(error.localizedDescription)); each run's stdout must be its --json output")
                }
            } else {
                measures.append(Measure(name: "(no output)", value: "-"))
            }
            if let status = meta["status"] as? Int, status != 0 { measures.insert(Measure(name: "exit status", value: "\(status) (failed)"), at: 0) }
            all.append(Run(bench: meta["bench"] as? String ?? stem, command: meta["command"] as? String ?? "",
                           loadBefore: meta["load_before"] as? String ?? "?", loadAfter: meta["load_after"] as? String ?? "?",
                           seconds: meta["seconds"] as? Double, measures: measures))
        }
        var md = "| bench | measure | value | load average before → after (1, 5, 15 min) |\n| --- | --- | ---: | --- |\n"
        for r in all {
            for (i, m) in r.measures.enumerated() {
                let load = i == 0 ? "\(r.loadBefore) → \(r.loadAfter)" : ""
                md += "| \(i == 0 ? r.bench : "") | \(escape(m.name)) | \(escape(m.value)) | \(load) |\n"
            }
        }
        md += "\nCommands (each run's wall time):\n\n"
        for r in all { md += "- \(r.bench): `\(r.command)`" + (r.seconds.map { String(format: " (%.0f s)", $0) } ?? "") + "\n" }
        let outDir = a[out]
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        let mdPath = (outDir as NSString).appendingPathComponent("report.md")
        let jsonPath = (outDir as NSString).appendingPathComponent("report.json")
        try Data(md.utf8).write(to: URL(fileURLWithPath: mdPath))
        try Console.jsonData(["generated": AnyEncodable(ISO8601DateFormatter().string(from: Date())), "runs": AnyEncodable(all)])
            .write(to: URL(fileURLWithPath: jsonPath))
        if context.json {
            try Console.json(["markdown": mdPath, "json": jsonPath])
        } else {
            Console.out(md)
            Console.out("wrote \(mdPath) and \(jsonPath)")
        }
    }

    static func escape(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }

    /// Every number, boolean and short string in `value`, named by its path (`a.b`); array
    /// elements by their `name` field when they have one, else by index.
    static func flatten(_ value: Any, prefix: String, into out: inout [Measure]) {
        func join(_ key: String) -> String { prefix.isEmpty ? key : prefix + "." + key }
        switch value {
        case let d as [String: Any]:
            let label = d["name"] as? String
            for key in d.keys.sorted() where !(key == "name" && label != nil) { flatten(d[key]!, prefix: join(key), into: &out) }
        case let list as [Any]:
            for (i, element) in list.enumerated() {
                let key = (element as? [String: Any])?["name"] as? String ?? String(i)
                flatten(element, prefix: join(key), into: &out)
            }
        case let b as Bool where !(value is NSNumber) || String(cString: (value as! NSNumber).objCType) == "c":
            out.append(Measure(name: prefix, value: b ? "true" : "false"))
        case let n as NSNumber:
            let v = n.doubleValue
            let text = v == v.rounded() && abs(v) < 1e15 ? String(Int64(v))
                : abs(v) >= 100 ? String(format: "%.1f", v) : String(format: "%.4g", v)
            out.append(Measure(name: prefix, value: text))
        case let s as String where s.count <= 120:
            out.append(Measure(name: prefix, value: s))
        default:
            break
        }
    }
}
