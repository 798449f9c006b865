import DescryStore
import Foundation

/// Runs LLM jobs against the cache and the server: answers already cached are used without a
/// request; the rest go out with at most `concurrency` in flight. Answers are parsed and
/// written on the calling task, one transaction per answer — cache row first, then what the
/// answer produced — so a killed run loses at most the requests in flight, and a re-run sends
/// only what is missing. An unusable answer gets one corrective request; a second failure is
/// recorded with its raw text. 401/403/404 end the run at once.
public final class GenerationRunner {
    /// Counts of rows one answer wrote.
    public struct Written: Sendable, Equatable {
        /// Rows added.
        public var added = 0
        /// Rows already present.
        public var existing = 0
        /// Pairs created.
        public var pairs = 0
        /// Creates counts.
        public init(added: Int = 0, existing: Int = 0, pairs: Int = 0) {
            self.added = added
            self.existing = existing
            self.pairs = pairs
        }
    }

    /// The store holding the cache and receiving the output.
    public let store: Store
    /// The client, nil when offline.
    public let client: ChatClient?
    /// Requests in flight at once.
    public let concurrency: Int
    /// Called after every finished job (on the running task).
    public var onProgress: ((GenerationProgress) -> Void)?
    private let cache: RequestCache

    /// Creates a runner. Without a client it is offline: answers come from the cache alone.
    public init(store: Store, client: ChatClient?, concurrency: Int = 4) {
        self.store = store
        self.client = client
        self.concurrency = max(1, concurrency)
        self.cache = RequestCache(store: store)
    }

    /// The first request of every job, with token estimates and whether each is cached.
    public func plan<Output>(_ jobs: [LLMJob<Output>]) throws -> [PlannedRequest] {
        try jobs.map { j in
            PlannedRequest(label: j.label, hash: j.request.hash, body: j.request.body, promptTokens: j.request.estimatedPromptTokens,
                           maxAnswerTokens: j.request.maxTokens, cached: try cache.lookup(j.request.hash) != nil)
        }
    }

    private struct Step {
        let job: Int
        let request: ChatRequest
        let corrective: Bool
    }

    /// Runs the jobs; `apply` writes one parsed answer inside the answer's transaction.
    public func run<Output>(_ jobs: [LLMJob<Output>], apply: @escaping (LLMJob<Output>, Output) throws -> Written) async throws -> GenerationReport {
        var report = GenerationReport()
        report.jobs = jobs.count
        let start = Date()
        var pending = jobs.indices.map { Step(job: $0, request: jobs[$0].request, corrective: false) }
        var next = 0
        var done = 0
        func progress() {
            onProgress?(GenerationProgress(done: done, total: jobs.count, failed: report.failed, cached: report.fromCache,
                                           elapsed: Date().timeIntervalSince(start)))
        }
        func fail(_ step: Step, _ reason: String, raw: String? = nil) {
            report.failures.append(FailureRecord(label: jobs[step.job].label, reason: reason, raw: raw))
            done += 1
            progress()
        }
        /// Parses and writes one answer; returns the corrective step when the answer is unusable.
        func handle(_ step: Step, content: String, usage: TokenUsage, cachedStatus: String?) throws -> Step? {
            let t0 = Date()
            defer { report.processingSeconds += Date().timeIntervalSince(t0) }
            let job = jobs[step.job]
            do {
                let output = try job.parse(content)
                let w = try store.write { () -> Written in
                    if cachedStatus != RequestCache.ok {
                        try cache.save(step.request, answer: content, usage: usage, status: RequestCache.ok)
                    }
                    return try apply(job, output)
                }
                report.succeeded += 1
                report.rowsAdded += w.added
                report.rowsExisting += w.existing
                report.pairsAdded += w.pairs
                done += 1
                progress()
                return nil
            } catch LLMError.invalidAnswer(let reason, let raw) {
                if cachedStatus == nil {
                    try cache.save(step.request, answer: content, usage: usage, status: RequestCache.invalid)
                }
                if step.corrective {
                    fail(step, "unusable answer after a corrective retry: \(reason)", raw: raw)
                    return nil
                }
                let messages = job.prompt.correction(of: step.request.messages, answer: content, problem: reason)
                var r = step.request
                r.messages = messages
                return Step(job: step.job, request: r, corrective: true)
            }
        }

        try await withThrowingTaskGroup(of: (Step, Result<ChatCompletion, LLMError>).self) { group in
            var inFlight = 0
            while true {
                // Fill the window: cached answers are handled here, the rest are sent.
                while inFlight < concurrency && next < pending.count {
                    let step = pending[next]
                    next += 1
                    if let hit = try cache.lookup(step.request.hash) {
                        if !step.corrective { report.fromCache += 1 }
                        if let follow = try handle(step, content: hit.content, usage: hit.usage, cachedStatus: hit.status) { pending.append(follow) }
                        continue
                    }
                    guard let client else {
                        fail(step, LLMError.offlineMiss(requestHash: step.request.hash).description)
                        continue
                    }
                    if step.corrective { report.correctiveRequests += 1 }
                    group.addTask {
                        do { return (step, .success(try await client.complete(step.request))) }
                        catch let e as LLMError { return (step, .failure(e)) }
                        catch { return (step, .failure(.retriesExhausted(attempts: 0, last: "cancelled"))) }
                    }
                    inFlight += 1
                }
                guard inFlight > 0, let (step, result) = try await group.next() else { break }
                inFlight -= 1
                switch result {
                case .success(let c):
                    report.requestsSent += 1
                    report.retries += max(0, c.attempts - 1)
                    report.usage = report.usage + c.usage
                    if let follow = try handle(step, content: c.content, usage: c.usage, cachedStatus: nil) { pending.append(follow) }
                case .failure(let e) where e.isFatal:
                    group.cancelAll()
                    throw e
                case .failure(let e):
                    fail(step, e.description)
                }
            }
        }
        report.seconds = Date().timeIntervalSince(start)
        return report
    }
}
