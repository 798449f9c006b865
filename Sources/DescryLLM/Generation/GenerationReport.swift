/// What a generation (or judge) run did.
public struct GenerationReport: Sendable, Equatable, Codable {
    /// Jobs planned.
    public var jobs = 0
    /// Jobs whose answer was parsed and written.
    public var succeeded = 0
    /// Jobs answered from the cache without a request.
    public var fromCache = 0
    /// HTTP requests completed (retries of one request count once; see `retries`).
    public var requestsSent = 0
    /// Extra attempts spent on 429, 5xx, timeouts and dropped connections.
    public var retries = 0
    /// Corrective requests sent after unusable answers.
    public var correctiveRequests = 0
    /// Tokens used by the requests sent in this run.
    public var usage = TokenUsage()
    /// Rows written: descriptions added (generate) or verdicts stored (judge).
    public var rowsAdded = 0
    /// Rows found already stored (deduplicated descriptions).
    public var rowsExisting = 0
    /// Class pairs created.
    public var pairsAdded = 0
    /// Jobs that produced nothing.
    public var failures: [FailureRecord] = []
    /// Wall-clock seconds of the run.
    public var seconds = 0.0
    /// Seconds spent parsing answers and writing them (cache row + descriptions), summed.
    public var processingSeconds = 0.0

    /// Creates an empty report.
    public init() {}

    /// Jobs that failed.
    public var failed: Int { failures.count }
}
