import DescryBench
import DescryLLM
import DescryStore
import Foundation

/// `descry bench llm`: generation throughput and overhead against a loopback server.
enum LLMBenchCommand: Command {
    static let name = "bench llm"
    static let requests = Option<Int>.int("--requests", default: 64, range: 1...1_000_000, help: "requests per concurrency level")
    static let delay = Option<Int>.int("--delay", "MS", default: 50, range: 0...60_000, help: "milliseconds before each answer")
    static let levels = Option<[Int]>.custom(
        "--levels", "LIST", default: [1, 4, 16], defaultText: "1,4,16", constraint: "each 1…256",
        help: "the concurrency levels, comma-separated", parse: { text in
            try text.split(separator: ",").map {
                guard let v = Int($0), v >= 1, v <= 256 else { throw OptionValueError("expects numbers 1…256 like 1,4,16, got '\(text)'") }
                return v
            }
        })
    static let instant = Option<Int>.int("--instant", default: 300, range: 1...1_000_000, help: "requests answered at once, for the overhead")
    static let out = Option<String>.path("--out", "DIR", default: ".deps/bench", help: "where the benchmark's store goes")

    static let signature = Signature(about: """
    llm      starts an OpenAI-compatible server on 127.0.0.1 that answers differential
             requests after --delay ms (default 50), and runs N (default 64) requests of the
             real pipeline (request, parse, cache row, descriptions, pair links, FTS) at each
             concurrency level; then --instant requests (default 300) with instant answers to
             measure parse + store time per request and per description. No real LLM is used.
    """, options: [requests, delay, levels, instant, out])

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let levels = a[Self.levels]
        let out = a[Self.out]
        var bench = LLMBenchmark(workDirectory: out, taxonomy: try context.taxonomy(),
                                 prompt: try PromptTemplate.load(name: "differential", dataDirectory: try context.dataDirectory()))
        bench.requests = a[requests]
        bench.delay = Double(a[delay]) / 1000
        bench.instantRequests = a[instant]
        bench.levels = levels
        let result = try await bench.run(progress: { Console.progress($0) })
        Console.endProgress()
        if context.json { try Console.json(result); return }
        Console.out("descry bench llm: loopback server, \(Int(result.delay * 1000)) ms per answer, \(bench.requests) differential requests per level (\(bench.attributesPerAnswer) attributes, \(2 * bench.attributesPerAnswer) descriptions each)")
        Console.out(Console.table(["concurrency", "requests/s", "server ceiling", "seconds"], result.levels.map {
            [String($0.concurrency), String(format: "%.1f", $0.requestsPerSecond), String(format: "%.0f", $0.ceiling), String(format: "%.2f", $0.seconds)]
        }))
        let o = result.overhead
        Console.out(String(format: "instant answers: %d requests, %d descriptions in %.2fs (%.0f requests/s); parse + store %.3f ms per request, %.3f ms per description",
                           o.requests, o.descriptions, o.seconds, o.requestsPerSecond, o.msPerRequest, o.msPerDescription))
    }
}
