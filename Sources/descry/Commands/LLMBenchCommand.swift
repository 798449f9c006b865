import DescryBench
import DescryLLM
import DescryStore
import Foundation

/// `descry bench llm`: generation throughput and overhead against a loopback server.
enum LLMBenchCommand {
    static let help = """
    Usage: descry bench llm [--requests N] [--delay MS] [--levels 1,4,16] [--instant N] [--out DIR]
    llm      starts an OpenAI-compatible server on 127.0.0.1 that answers differential
             requests after --delay ms (default 50), and runs N (default 64) requests of the
             real pipeline (request, parse, cache row, descriptions, pair links, FTS) at each
             concurrency level; then --instant requests (default 300) with instant answers to
             measure parse + store time per request and per description. No real LLM is used.
    """

    static func run(_ args: [String], context: Context) throws {
        let a = try Arguments(args, command: "bench", options: ["--requests", "--delay", "--levels", "--instant", "--out"], flags: [])
        _ = try a.positionals([])
        var levels = [1, 4, 16]
        if let l = a.value("--levels") {
            levels = try l.split(separator: ",").map {
                guard let v = Int($0), v >= 1, v <= 256 else { throw UsageError("--levels expects numbers like 1,4,16", command: "bench") }
                return v
            }
        }
        let out = a.value("--out") ?? ".deps/bench"
        var bench = LLMBenchmark(workDirectory: out, taxonomy: try context.taxonomy(),
                                 prompt: try PromptTemplate.load(name: "differential", dataDirectory: try context.dataDirectory()))
        bench.requests = try a.int("--requests", default: 64)
        bench.delay = Double(try a.int("--delay", default: 50)) / 1000
        bench.instantRequests = try a.int("--instant", default: 300)
        bench.levels = levels
        guard bench.requests > 0, bench.instantRequests > 0, bench.delay >= 0 else { throw UsageError("counts must be positive", command: "bench") }
        let result = try Blocking.run { try await bench.run(progress: { Console.progress($0) }) }
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
