import DescryBench
import DescryStore
import Foundation

/// `descry bench query`: DQL timings on the benchmark store (see Docs/benchmarks.md).
enum QueryBenchCommand: Command {
    static let name = "bench query"
    static let benchStore = Option<String>.path("--bench-store", default: ".deps/bench/bench-descry.db", help: "the store of `descry bench import`")
    static let out = Option<String?>.path("--out", "DIR", help: "where the copy goes (default: the bench store's folder)")
    static let vlms = Option<Int>.int("--vlms", default: 3, range: 1...100, help: "VLMs given fake scores")
    static let word = Option<String>.string("--word", "W", default: "american", help: "the common word the bm25 search looks for")
    static let runs = Option<Int>.int("--runs", default: 7, range: 1...1000, help: "runs per query; the fastest counts")
    static let fuzz = Option<Int?>.int("--fuzz", range: 0...10_000_000, defaultText: "none", help: "fuzz cases run through the parser and checker")

    static let signature = Signature(about: """
    query    copies the store of `descry bench import` (default .deps/bench/bench-descry.db) to
             DIR/bench-query.db (once), adds fake scores for N VLMs (default 3) to every
             description, then measures for the example queries: parse + check + compile per
             query, end-to-end time against running the compiled SQL directly, and the two
             queries slow in plain SQLite (bm25 top 20 of the common word W, default
             "american"; mean alignment per VLM and attribute) against their plain SQL.
             --fuzz N also runs N fuzz cases through the parser and checker (100,000 is the
             benchmark mode of the fuzz test).
    """, options: [benchStore, out, vlms, word, runs, fuzz])

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let source = a[benchStore]
        let out = a[Self.out] ?? ((source as NSString).deletingLastPathComponent)
        let copy = (out as NSString).appendingPathComponent("bench-query.db")
        let fm = FileManager.default
        if !fm.fileExists(atPath: copy) {
            guard fm.fileExists(atPath: source) else {
                throw UsageError("no benchmark store at \(source); run `descry bench import --rows 1000000 --no-python --out DIR` first", command: "bench")
            }
            Console.progress("copying \(source)…")
            try fm.copyItem(atPath: source, toPath: copy)
        }
        let store = try Store(path: copy, taxonomy: try context.taxonomy())
        Console.progress("adding fake scores and refreshing the score rollup…")
        let t0 = Date()
        try QueryBenchmark.addFakeScores(store: store, vlms: a[vlms])
        let setup = Date().timeIntervalSince(t0)
        Console.endProgress()
        let bench = try QueryBenchmark(store: store, runs: a[runs])
        let word = a[Self.word]
        let ds = try QueryBenchmark.firstDataset(of: store) ?? "bench"
        var timings: [QueryBenchmark.Timing] = []
        for c in QueryBenchmark.exampleCases(dataset: ds, word: word) {
            Console.progress("timing \(c.name)…")
            timings.append(try bench.measure(c))
        }
        Console.progress("timing the slow queries…")
        for c in QueryBenchmark.slowCases(word: word) { timings.append(try bench.measure(c)) }
        var fuzz: (valid: Int, errors: Int, seconds: Double)?
        if let n = a[Self.fuzz] {
            Console.progress("fuzzing \(n) cases…")
            let f0 = Date()
            let r = try QueryBenchmark.fuzz(cases: n)
            fuzz = (r.valid, r.errors, Date().timeIntervalSince(f0))
        }
        Console.endProgress()
        let (rows, scores) = try QueryBenchmark.size(of: store)
        if context.json {
            var m: [String: Double] = ["descriptions": Double(rows), "scores": Double(scores), "setup_seconds": setup]
            for t in timings {
                // A case's name as a snake_case key: "median (no rollup)" → "median_no_rollup".
                let k = t.name.lowercased().split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) }).joined(separator: "_")
                m[k + "_compile_us"] = t.compileMicroseconds
                m[k + "_end_to_end_ms"] = t.endToEndMilliseconds
                m[k + "_direct_ms"] = t.directMilliseconds
                if let p = t.plainMilliseconds { m[k + "_plain_ms"] = p }
            }
            if let fuzz { m["fuzz_cases"] = Double(fuzz.valid + fuzz.errors); m["fuzz_valid"] = Double(fuzz.valid); m["fuzz_seconds"] = fuzz.seconds }
            try Console.json(m)
            return
        }
        Console.out("descry bench query: \(rows) descriptions, \(scores) scores (setup \(String(format: "%.1f", setup)) s), fastest of \(a[runs]) runs")
        let table = timings.map { t -> [String] in
            let overhead = t.directMilliseconds > 0 ? String(format: "%+.1f%%", (t.endToEndMilliseconds - t.directMilliseconds) / t.directMilliseconds * 100) : "-"
            return [t.name, String(format: "%.1f", t.compileMicroseconds), String(format: "%.2f", t.endToEndMilliseconds),
                    String(format: "%.2f", t.directMilliseconds), overhead,
                    t.plainMilliseconds.map { String(format: "%.1f", $0) } ?? "-",
                    t.sameRowsAsPlain.map { $0 ? "yes" : "NO" } ?? "-", String(t.rows)]
        }
        Console.out(Console.table(["query", "compile µs", "DQL ms", "SQL ms", "overhead", "plain SQL ms", "same rows", "rows"], table))
        if let fuzz {
            Console.out("fuzz: \(fuzz.valid + fuzz.errors) cases in \(String(format: "%.1f", fuzz.seconds)) s: \(fuzz.valid) valid, \(fuzz.errors) positioned errors, no crash")
        }
    }
}
