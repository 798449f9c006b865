import DescryBench
import DescryStore
import Foundation

/// `descry bench`: benchmarks, side by side with the Python tools a user would otherwise use.
enum BenchCommand: Command {
    static let name = "bench"
    static let summary = "benchmarks: import (1M descriptions vs Python sqlite3), query, vision, analysis, llm, fuzz"
    static let rows = Option<Int>.int("--rows", default: 1_000_000, range: 1...100_000_000, help: "descriptions to generate")
    static let out = Option<String>.path("--out", "DIR", default: ".deps/bench", help: "where the stores and files go")
    static let corpora = Option<String>.path("--corpora", "DIR", default: "../shared/corpora/fudd", help: "the FuDD corpora whose vocabulary to use")
    /// Also `bench analysis`.
    static let python = Option<String>.string("--python", "PYTHON", default: "python3", help: "the Python that runs the baseline")
    /// Also `bench analysis`.
    static let noPython = Option<Bool>.flag("--no-python", help: "skip the Python baseline")

    static let subcommands: [any Command.Type] = [QueryBenchCommand.self, VisionBenchCommand.self, AnalysisBenchCommand.self, LLMBenchCommand.self, FuzzBenchCommand.self, BenchReportCommand.self]

    static let signature = Signature(about: """
    import   generates N descriptions (default 1,000,000) from the FuDD vocabulary (the
             corpora in --corpora, default ../shared/corpora/fudd, else Data/demo), imports
             them into a fresh store with the FTS5 index complete, runs a bm25-ranked search
             and a group-by, then runs the same work on the same rows with Python's sqlite3
             (Tests/Benchmarks/sqlite_import_baseline.py) and prints the ratios.
    """, positionals: [.verb("import")], options: [rows, out, corpora, python, noPython])

    static func validate(_ a: ParsedArguments) throws {
        guard a.positionals.first == "import" else {
            let words = ["import"] + subcommands.map { String($0.name.dropFirst("bench ".count)) }
            let hint = a.positionals.first.flatMap { EditDistance.nearest($0, among: words) }.map { " (did you mean '\($0)'?)" } ?? ""
            throw a.usageError("expected `descry bench import`\(hint); or one of \(words.dropFirst().joined(separator: ", "))")
        }
    }

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let rows = a[Self.rows]
        let out = a[Self.out]
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let data = try context.dataDirectory()
        let corpora = a[Self.corpora]
        let result = try ImportBenchmark(rows: rows, outDirectory: out, corporaDirectory: corpora, dataDirectory: data,
                                         taxonomy: try context.taxonomy()).run(progress: { Console.progress($0) })
        Console.endProgress()
        var python: [String: Double]?
        if !a[noPython] {
            let script = ((data as NSString).deletingLastPathComponent as NSString).appendingPathComponent("Tests/Benchmarks/sqlite_import_baseline.py")
            python = try runPython(a[Self.python], script: script, rowsFile: result.rowsFile, out: out, query: result.searchWord)
        }
        if context.json {
            var m = result.metrics
            for (k, v) in python ?? [:] { m["python_" + k] = v }
            try Console.json(m)
            return
        }
        let m = result.metrics
        Console.out("descry bench import: \(rows) descriptions from \(result.vocabularySource) (\(Int(m["vocabulary_words"]!)) words)")
        var table: [[String]] = [
            ["import + FTS5 index (rows/s)", fmt(m["rows_per_second"]!), python.map { fmt($0["trigger_rows_per_second"]!) } ?? "-", python.map { fmt($0["rebuild_rows_per_second"]!) } ?? "-"],
            ["bm25 search top 20 (ms)", fmt(m["search_ms"]!), python.map { fmt($0["search_ms"]!) } ?? "-", ""],
            ["group by attribute, category (ms)", fmt(m["group_by_ms"]!), python.map { fmt($0["group_by_ms"]!) } ?? "-", ""],
            ["peak memory (MB)", fmt(m["peak_rss_mb"]!), python.map { fmt($0["peak_rss_mb"]!) } ?? "-", ""],
        ]
        if let p = python {
            table.append(["import ratio (descry / python)", "", String(format: "%.2fx", m["rows_per_second"]! / p["trigger_rows_per_second"]!),
                          String(format: "%.2fx", m["rows_per_second"]! / p["rebuild_rows_per_second"]!)])
        }
        Console.out(Console.table(["measure", "descry", "python (trigger)", "python (rebuild)"], table))
        Console.out("search word: '\(result.searchWord)'; rows file: \(result.rowsFile)")
    }

    static func fmt(_ v: Double) -> String { v >= 100 ? String(Int(v.rounded())) : String(format: "%.1f", v) }

    static func runPython(_ python: String, script: String, rowsFile: String, out: String, query: String) throws -> [String: Double] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [python, script, "--rows-file", rowsFile, "--out", out, "--query", query]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0,
              let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw StoreError.notFound("the Python baseline (\(script)) failed with status \(p.terminationStatus)")
        }
        return obj.compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }
}
