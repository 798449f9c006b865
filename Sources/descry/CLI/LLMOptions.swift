import DescryLLM
import DescryStore
import Foundation

/// The options every LLM command shares, and how they become a configuration, a runner and
/// printed reports.
struct LLMOptions {
    static let model = Option<String?>.string("--model", "NAME", help: "the model (default: $DESCRY_LLM_MODEL)")
    static let baseURL = Option<String?>.string(
        "--base-url", "URL",
        help: "the OpenAI-compatible API root (default: $DESCRY_LLM_BASE_URL, else\nhttps://api.openai.com/v1); the key comes from $DESCRY_LLM_API_KEY,\nelse $OPENAI_API_KEY, and is never stored or printed")
    static let concurrency = Option<Int>.int("--concurrency", default: 4, range: 1...256, help: "requests in flight")
    static let timeout = Option<Double>.double("--timeout", "S", default: 120, bounds: .positive(max: 3600),
                                               help: "deadline per attempt, whole (connect, headers and body), in seconds")
    static let maxResponseBytes = Option<Int>.int("--max-response-bytes", default: 4 << 20, range: 1024...(1 << 30),
                                                  help: "largest answer accepted, counted after decoding; nothing larger is kept")
    static let attempts = Option<Int>.int("--attempts", default: 5, range: 1...20, help: "attempts per request on 429/5xx/timeouts")
    static let temperature = Option<Double>.double("--temperature", "T", default: 0.7, bounds: .closed(0, 2), help: "sampling temperature")
    static let maxTokens = Option<Int>.int("--max-tokens", default: 1024, range: 1...1_000_000, help: "answer token limit")
    static let noJSONMode = Option<Bool>.flag("--no-json-mode", help: "do not send response_format (for servers that refuse it)")
    static let promptFile = Option<String?>.path("--prompt-file", help: "use this prompt file instead of the shipped one")
    static let dryRun = Option<Bool>.flag("--dry-run", help: "print the requests that would be sent, with token estimates")
    static let offline = Option<Bool>.flag("--offline", help: "answer from the request cache only; send nothing")

    /// The group the LLM commands list under "LLM options".
    static let group = OptionGroup(title: "LLM options", usage: "[LLM options]", options: [
        model, baseURL, concurrency, timeout, attempts, maxResponseBytes, temperature, maxTokens, noJSONMode, promptFile, dryRun, offline,
    ])

    let arguments: ParsedArguments
    let context: Context

    /// The configuration from the environment and the options.
    func configuration() throws -> LLMConfiguration {
        var c = try LLMConfiguration.fromEnvironment(baseURL: arguments[Self.baseURL], model: arguments[Self.model])
        c.concurrency = arguments[Self.concurrency]
        c.maxAttempts = arguments[Self.attempts]
        c.maxTokens = arguments[Self.maxTokens]
        c.timeout = arguments[Self.timeout]
        c.maxResponseBytes = arguments[Self.maxResponseBytes]
        c.temperature = arguments[Self.temperature]
        c.jsonMode = !arguments[Self.noJSONMode]
        try c.validate()
        return c
    }

    /// The prompt: `--prompt-file`, else the shipped file `name`.
    func prompt(_ name: String) throws -> PromptTemplate {
        if let p = arguments[Self.promptFile] { return try PromptTemplate.load(path: p) }
        return try PromptTemplate.load(name: name, dataDirectory: try context.dataDirectory())
    }

    /// Plans (`--dry-run`) or runs the jobs, printing progress and the report.
    func execute<Output>(_ jobs: [LLMJob<Output>], store: Store, configuration c: LLMConfiguration, what: String,
                         apply: @escaping (LLMJob<Output>, Output) throws -> GenerationRunner.Written) async throws {
        let offline = arguments[Self.offline]
        let runner = GenerationRunner(store: store, client: offline ? nil : try ChatClient(configuration: c), concurrency: c.concurrency)
        if arguments[Self.dryRun] {
            let plan = try runner.plan(jobs)
            let toSend = plan.filter { !$0.cached }
            let promptTokens = toSend.reduce(0) { $0 + $1.promptTokens }, answerTokens = toSend.reduce(0) { $0 + $1.maxAnswerTokens }
            if context.json {
                try Console.json(DryRunSummary(model: c.model, url: Self.displayURL(c.completionsURL), requests: plan, toSend: toSend.count, cached: plan.count - toSend.count,
                                        promptTokens: promptTokens, maxAnswerTokens: answerTokens))
                return
            }
            for line in Self.dryRunLines(plan, configuration: c, what: what) { Console.out(line) }
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
        let report = try await runner.run(jobs, apply: apply)
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

    /// What `--dry-run` prints: each request (label, cache key, token estimates, the URL and
    /// the exact JSON body: model, messages, the prompt), then the totals. With `bodies`, only
    /// the first `bodies` bodies are printed (the demo's bounded output); the rest are counted.
    static func dryRunLines(_ plan: [PlannedRequest], configuration c: LLMConfiguration, what: String, bodies: Int? = nil) -> [String] {
        let toSend = plan.filter { !$0.cached }
        let promptTokens = toSend.reduce(0) { $0 + $1.promptTokens }, answerTokens = toSend.reduce(0) { $0 + $1.maxAnswerTokens }
        let url = displayURL(c.completionsURL)
        var out: [String] = []
        for (i, p) in plan.enumerated() {
            out.append("# \(p.label) · \(p.hash.prefix(12)) · ~\(p.promptTokens) prompt tokens, ≤\(p.maxAnswerTokens) answer tokens\(p.cached ? " · cached, not sent" : "")")
            if let bodies, i >= bodies { continue }
            out.append("POST \(url)")
            out.append(p.body)
        }
        if let bodies, plan.count > bodies { out.append("(\(plan.count - bodies) more request bodies not shown)") }
        out.append("dry run: \(plan.count) requests for \(what); \(plan.count - toSend.count) cached; \(toSend.count) would be sent to \(c.model) at \(url): ~\(promptTokens) prompt tokens (estimated at 4 characters a token), at most \(answerTokens) answer tokens")
        return out
    }

    /// The URL without any user name or password it carries (the API key is never in it;
    /// credentials in a base URL must not be printed either).
    static func displayURL(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.user != nil || parts.password != nil else { return url }
        parts.user = nil
        parts.password = nil
        return parts.string ?? url
    }

    static func duration(_ s: Double) -> String {
        s < 60 ? "\(Int(s.rounded()))s" : s < 3600 ? "\(Int(s / 60))m\(Int(s.truncatingRemainder(dividingBy: 60)))s" : String(format: "%.1fh", s / 3600)
    }
}
