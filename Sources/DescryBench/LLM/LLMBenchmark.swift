import DescryFakes
import DescryLLM
import DescryStore
import Foundation

/// Measures generation against the loopback server: requests per second at several
/// concurrency levels with a fixed server delay (does throughput scale until the server is
/// the limit?), and the per-request and per-description cost of parsing and storing with the
/// server answering instantly. Runs the real differential pipeline on a synthetic dataset in
/// a fresh store per measurement, so nothing comes from the cache.
public struct LLMBenchmark {
    /// Requests per concurrency level.
    public var requests = 64
    /// Server delay per answer, seconds.
    public var delay = 0.05
    /// Concurrency levels.
    public var levels = [1, 4, 16]
    /// Requests for the overhead measurement (instant answers).
    public var instantRequests = 300
    /// Attributes per answer (two sentences each), like a real differential answer.
    public var attributesPerAnswer = 5
    /// Where the temporary stores go.
    public let workDirectory: String
    /// The taxonomy for the stores.
    public let taxonomy: AttributeTaxonomy
    /// The differential prompt.
    public let prompt: PromptTemplate

    /// Creates a benchmark.
    public init(workDirectory: String, taxonomy: AttributeTaxonomy, prompt: PromptTemplate) {
        self.workDirectory = workDirectory
        self.taxonomy = taxonomy
        self.prompt = prompt
    }

    /// One concurrency level's measurement.
    public struct Level: Sendable, Codable, Equatable {
        /// Requests in flight.
        public var concurrency: Int
        /// Requests completed.
        public var requests: Int
        /// Wall-clock seconds.
        public var seconds: Double
        /// Requests per second.
        public var requestsPerSecond: Double
        /// The server-bound ceiling: concurrency / delay.
        public var ceiling: Double
    }

    /// The overhead measurement.
    public struct Overhead: Sendable, Codable, Equatable {
        /// Requests completed.
        public var requests: Int
        /// Descriptions written.
        public var descriptions: Int
        /// Wall-clock seconds, HTTP included.
        public var seconds: Double
        /// Parse + store time per request, milliseconds.
        public var msPerRequest: Double
        /// Parse + store time per description, milliseconds.
        public var msPerDescription: Double
        /// End-to-end requests per second with instant answers.
        public var requestsPerSecond: Double
    }

    /// Both measurements.
    public struct Result: Sendable, Codable, Equatable {
        /// The server delay used.
        public var delay: Double
        /// Per concurrency level.
        public var levels: [Level]
        /// With instant answers.
        public var overhead: Overhead
    }

    /// Runs everything; `progress` gets a line per step.
    public func run(progress: (String) -> Void = { _ in }) async throws -> Result {
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        var levelResults: [Level] = []
        for c in levels {
            progress("concurrency \(c): \(requests) requests, server delay \(Int(delay * 1000)) ms")
            let r = try await measure(requests: requests, concurrency: c, delay: delay, tag: "c\(c)")
            levelResults.append(Level(concurrency: c, requests: r.succeeded, seconds: r.seconds,
                                      requestsPerSecond: Double(r.succeeded) / r.seconds, ceiling: Double(c) / delay))
        }
        progress("overhead: \(instantRequests) requests, instant answers")
        let r = try await measure(requests: instantRequests, concurrency: 4, delay: 0, tag: "instant")
        let overhead = Overhead(requests: r.succeeded, descriptions: r.rowsAdded, seconds: r.seconds,
                                msPerRequest: 1000 * r.processingSeconds / Double(max(1, r.succeeded)),
                                msPerDescription: 1000 * r.processingSeconds / Double(max(1, r.rowsAdded)),
                                requestsPerSecond: Double(r.succeeded) / r.seconds)
        return Result(delay: delay, levels: levelResults, overhead: overhead)
    }

    /// One run of `requests` differential jobs against a fresh store and server.
    func measure(requests: Int, concurrency: Int, delay: Double, tag: String) async throws -> GenerationReport {
        let path = (workDirectory as NSString).appendingPathComponent("bench-llm-\(tag).db")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try Store(path: path, taxonomy: taxonomy, create: true)
        // Enough classes for `requests` distinct pairs: n(n-1)/2 ≥ requests.
        var n = 2
        while n * (n - 1) / 2 < requests { n += 1 }
        let names = (0..<n).map { String(format: "bench class %04d", $0) }
        try store.write {
            let (id, _) = try store.ensureDataset(named: "bench")
            try store.setClasses(datasetID: id, names: names, file: "bench")
        }
        let attributes = attributesPerAnswer
        let server = try LoopbackChatServer { r in
            let found = Self.classNames(in: r.body)
            guard found.count >= 2 else { return .error(400, "no class names in the request") }
            let items = (0..<attributes).map { i in
                "{\"attribute\": \"attribute \(i)\", \"\(found[0])\": \"A \(found[0]) shows trait \(i), unlike a \(found[1]).\", \"\(found[1])\": \"A \(found[1]) shows other trait \(i), unlike a \(found[0]).\"}"
            }
            return .completion("{\"pairs\": [\(items.joined(separator: ", "))]}", delay: delay)
        }
        defer { server.stop() }
        var config = LLMConfiguration(baseURL: server.baseURL, model: "bench-model")
        config.concurrency = concurrency
        config.timeout = 30
        var g = try DifferentialGenerator(store: store, dataset: "bench", configuration: config, prompt: prompt)
        g.attributesPerPair = attributes
        let classes = try store.classes(ofDataset: g.datasetID)
        var pairs: [(ClassRecord, ClassRecord)] = []
        outer: for i in classes.indices {
            for j in (i + 1)..<classes.count {
                if pairs.count == requests { break outer }
                pairs.append((classes[i], classes[j]))
            }
        }
        let runner = GenerationRunner(store: store, client: try ChatClient(configuration: config), concurrency: concurrency)
        let report = try await runner.run(try g.jobs(pairs: pairs), apply: g.writer(vlmID: nil))
        guard report.failed == 0 else {
            throw LLMError.store("benchmark run failed: \(report.failures.first.map { "\($0.label): \($0.reason)" } ?? "")")
        }
        return report
    }

    /// The distinct "bench class NNNN" names in a request body, in order of appearance.
    static func classNames(in body: String) -> [String] {
        var out: [String] = []
        var rest = Substring(body)
        while let r = rest.range(of: "bench class ") {
            let digits = rest[r.upperBound...].prefix(4)
            if digits.count == 4, digits.allSatisfy(\.isNumber) {
                let name = "bench class " + digits
                if !out.contains(name) { out.append(name) }
            }
            rest = rest[r.upperBound...]
        }
        return out
    }
}
