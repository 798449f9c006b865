import DescryBench
import DescryStore
import Foundation

/// `descry bench fuzz`: hostile inputs for every importer and for DQL; counts crashes, hangs
/// and stores changed by failed commands.
enum FuzzBenchCommand: Command {
    static let name = "bench fuzz"
    static let imports = Option<Int>.int("--imports", default: 400, range: 0...1_000_000, help: "random importer cases (the issue's own cases always run too)")
    static let queries = Option<Int>.int("--queries", default: 3000, range: 0...10_000_000, help: "random DQL cases")
    static let seed = Option<Int>.int("--seed", default: 1, range: 0...Int.max, help: "seed of the generators")
    static let deadline = Option<Double>.double("--deadline", "S", default: 20, bounds: .positive(max: 3600), help: "seconds one case may take before it counts as a hang")
    static let out = Option<String>.path("--out", "DIR", default: ".deps/bench/fuzz", help: "where stores and saved cases go")
    static let binary = Option<String?>.path("--binary", help: "the descry executable to test (default: this one), e.g. an older build")

    static let signature = Signature(about: """
    fuzz     writes hostile files for every importer (fudd, classes, descriptions, templates,
             jsonl, image manifests: flipped bytes, cuts, huge and non-finite numbers, deep
             nesting, NUL, BOM, CRLF, invalid UTF-8, long strings, the reliability issue's
             inputs) and runs `descry import` / `images add` on each, in its own process with a
             deadline, on a copy of a demo store; then runs hostile DQL through the engine.
             Counts crashes, hangs and changed stores (a failed command must leave the store as
             it was) and saves each such input under --out. Exit status 1 when any was found.
    """, options: [imports, queries, seed, deadline, out, binary])

    static func run(_ a: ParsedArguments, context: Context) async throws {
        guard let executable = a[binary] ?? Bundle.main.executablePath else { throw CommandFailure("cannot locate the running descry executable") }
        var bench = FuzzBenchmark(executable: executable, dataDirectory: try context.dataDirectory(), outDirectory: a[out],
                                  taxonomy: try context.taxonomy())
        bench.deadline = a[deadline]
        let report = try bench.run(importCases: a[imports], queryCases: a[queries], seed: UInt64(a[seed]), progress: { Console.progress($0) })
        Console.endProgress()
        if context.json {
            try Console.json(report)
        } else {
            let rows = report.importers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } + [("dql", report.queries)]
            Console.out(Console.table(["input", "cases", "accepted", "rejected", "crashes", "hangs", "changed stores", "other exits"],
                                      rows.map { [$0.0, "\($0.1.cases)", "\($0.1.accepted)", "\($0.1.rejected)", "\($0.1.crashes)",
                                                  "\($0.1.hangs)", "\($0.1.changedStores)", "\($0.1.otherExits)"] }))
            Console.out(String(format: "%.1f s; seed %d", report.seconds, a[seed]))
            for s in report.savedCases { Console.out("saved: \(s)") }
        }
        if report.defects > 0 { throw CommandFailure("\(report.defects) defects found (crashes, hangs or changed stores); inputs saved under \(a[out])") }
    }
}
