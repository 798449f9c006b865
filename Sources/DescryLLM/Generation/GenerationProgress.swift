/// A snapshot for a progress line; the CLI turns it into done/total, rate and ETA.
public struct GenerationProgress: Sendable, Equatable {
    /// Jobs finished (succeeded or failed).
    public var done: Int
    /// Jobs in the run.
    public var total: Int
    /// Jobs that failed so far.
    public var failed: Int
    /// Jobs answered from the cache so far.
    public var cached: Int
    /// Seconds since the run started.
    public var elapsed: Double

    /// Creates a snapshot.
    public init(done: Int, total: Int, failed: Int, cached: Int, elapsed: Double) {
        self.done = done
        self.total = total
        self.failed = failed
        self.cached = cached
        self.elapsed = elapsed
    }

    /// Jobs per second over the run so far.
    public var rate: Double { elapsed > 0 ? Double(done) / elapsed : 0 }

    /// Seconds left at the current rate, nil before the first job ends.
    public var eta: Double? { rate > 0 ? Double(total - done) / rate : nil }
}
