import DescryLLM
import DescryStore
import Foundation

/// The options every LLM command shares, and how they become a configuration, a runner and
/// printed reports.
struct LLMOptions {
    static let valued: Set<String> = ["--model", "--base-url", "--concurrency", "--timeout", "--temperature", "--max-tokens", "--attempts", "--prompt-file"]
    static let flags: Set<String> = ["--dry-run", "--offline", "--no-json-mode"]
    static let help = """
    LLM options:
      --model NAME        the model (default: $DESCRY_LLM_MODEL)
      --base-url URL      the OpenAI-compatible API root (default: $DESCRY_LLM_BASE_URL, else
                          https://api.openai.com/v1); the key comes from $DESCRY_LLM_API_KEY,
                          else $OPENAI_API_KEY, and is never stored or printed
      --concurrency N     requests in flight (default 4)
      --timeout S         seconds per attempt (default 120)
      --attempts N        attempts per request on 429/5xx/timeouts (default 5)
      --temperature T     sampling temperature (default 0.7)
      --max-tokens N      answer token limit (default 1024)
      --no-json-mode      do not send response_format (for servers that refuse it)
      --prompt-file PATH  use this prompt file instead of the shipped one
      --dry-run           print the requests that would be sent, with token estimates
      --offline           answer from the request cache only; send nothing
    """

    let arguments: Arguments
    let context: Context

    /// The configuration from the environment and the options.
    func configuration() throws -> LLMConfiguration {
        var c = try LLMConfiguration.fromEnvironment(baseURL: arguments.value("--base-url"), model: arguments.value("--model"))
        c.concurrency = try arguments.int("--concurrency", default: 4)
        c.maxAttempts = try arguments.int("--attempts", default: 5)
        c.maxTokens = try arguments.int("--max-tokens", default: c.maxTokens)
        if let t = arguments.value("--timeout") {
            guard let v = Double(t), v > 0 else { throw UsageError("--timeout expects seconds, got '\(t)'", command: arguments.command) }
            c.timeout = v
        }
        if let t = arguments.value("--temperature") {
            guard let v = Double(t), v >= 0 else { throw UsageError("--temperature expects a number ≥ 0, got '\(t)'", command: arguments.command) }
            c.temperature = v
        }
        c.jsonMode = !arguments.flag("--no-json-mode")
        try c.validate()
        return c
    }

    /// The prompt: `--prompt-file`, else the shipped file `name`.
    func prompt(_ name: String) throws -> PromptTemplate {
        if let p = arguments.value("--prompt-file") { return try PromptTemplate.load(path: p) }
        return try PromptTemplate.load(name: name, dataDirectory: try context.dataDirectory())
    }

    /// Plans (`--dry-run`) or runs the jobs, printing progress and the report.
    func execute<Output>(_ jobs: [LLMJob<Output>], store: Store, configuration c: LLMConfiguration, what: String,
                         apply: @escaping (LLMJob<Output>, Output) throws -> GenerationRunner.Written) throws {
        let offline = arguments.flag("--offline")
        let runner = GenerationRunner(store: store, client: offline ? nil : try ChatClient(configuration: c), concurrency: c.concurrency)
        if arguments.flag("--dry-run") {
            let plan = try runner.plan(jobs)
            let toSend = plan.filter { !$0.cached }
            let promptTokens = toSend.reduce(0) { $0 + $1.promptTokens }, answerTokens = toSend.reduce(0) { $0 + $1.maxAnswerTokens }
            if context.json {
                try Console.json(DryRunSummary(model: c.model, url: c.completionsURL, requests: plan, toSend: toSend.count, cached: plan.count - toSend.count,
                                        promptTokens: promptTokens, maxAnswerTokens: answerTokens))
                return
            }
            for p in plan {
                Console.out("# \(p.label) · \(p.hash.prefix(12)) · ~\(p.promptTokens) prompt tokens, ≤\(p.maxAnswerTokens) answer tokens\(p.cached ? " · cached, not sent" : "")")
                Console.out("POST \(c.completionsURL)")
                Console.out(p.body)
            }
            Console.out("dry run: \(plan.count) requests for \(what); \(plan.count - toSend.count) cached; \(toSend.count) would be sent to \(c.model) at \(c.completionsURL): ~\(promptTokens) prompt tokens (estimated at 4 characters a token), at most \(answerTokens) answer tokens")
            return
        }
        if !context.json && Console.stderrIsTerminal {
            var last = Date.distantPast
            runner.onProgress = { p in
                guard p.done == p.total || Date().timeIntervalSince(last) > 0.1 else { return }
                last = Date()
                let eta = p.eta.map { " ETA \(Self.duration($0))" } ?? ""
                Console.progress("\(what): \(p.done)/\(p.total) · \(String(format: "%.1f", p.rate))/s\(eta) · \(p.cached) cached · \(p.failed) failed")
            }
        }
        let report = try Blocking.run { try await runner.run(jobs, apply: apply) }
        Console.endProgress()
        if context.json {
            try Console.json(report)
        } else {
            for f in report.failures {
                Console.err("failed: \(f.label): \(f.reason)" + (f.raw.map { " — raw answer kept in llm_cache: \(Redaction.excerpt($0, limit: 160))" } ?? ""))
            }
            var parts = ["\(report.succeeded) of \(report.jobs) answered", "\(report.fromCache) from the cache", "\(report.requestsSent) requests sent"]
            if report.retries > 0 { parts.append("\(report.retries) retries") }
            if report.correctiveRequests > 0 { parts.append("\(report.correctiveRequests) corrective") }
            parts.append("\(report.rowsAdded) \(what == "judge" ? "verdicts stored" : "descriptions added")")
            if report.rowsExisting > 0 { parts.append("\(report.rowsExisting) already stored") }
            if report.pairsAdded > 0 { parts.append("\(report.pairsAdded) pairs added") }
            parts.append("\(report.usage.totalTokens) tokens")
            parts.append("\(report.failed) failed")
            Console.out("\(what) with \(c.model)\(offline ? " (offline)" : ""): " + parts.joined(separator: ", ") + String(format: " in %.1fs", report.seconds))
        }
        if report.failed > 0 { throw CommandFailure("\(report.failed) of \(report.jobs) jobs failed; re-run to retry them (answers already received are cached)") }
    }

    static func duration(_ s: Double) -> String {
        s < 60 ? "\(Int(s.rounded()))s" : s < 3600 ? "\(Int(s / 60))m\(Int(s.truncatingRemainder(dividingBy: 60)))s" : String(format: "%.1fh", s / 3600)
    }
}
