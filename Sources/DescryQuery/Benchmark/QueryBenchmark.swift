import DescryStore
import Foundation

/// Measures DQL on a store: the cost of parse + check + compile, the end-to-end overhead
/// over running the compiled SQL directly, and the two queries that are slow in plain SQLite
/// (bm25 top-20 of a common word; mean alignment per VLM and attribute). For
/// `descry bench query`; it never prints.
public struct QueryBenchmark {
    /// One measured query.
    public struct Timing: Sendable {
        /// A short label.
        public let name: String
        /// The DQL text.
        public let query: String
        /// Parse + check + compile, microseconds per query (mean over many runs).
        public var compileMicroseconds = 0.0
        /// DQL end to end, milliseconds (fastest of the runs).
        public var endToEndMilliseconds = 0.0
        /// The compiled SQL run directly, milliseconds (fastest of the runs, interleaved with the DQL runs).
        public var directMilliseconds = 0.0
        /// A plain hand-written SQL query for the same rows, milliseconds (fastest), when one is given.
        public var plainMilliseconds: Double?
        /// Rows returned.
        public var rows = 0
        /// Whether the DQL rows equal the plain query's rows (reals within 1e-9 relative).
        public var sameRowsAsPlain: Bool?
    }

    let engine: QueryEngine
    let runs: Int

    /// Sets up a benchmark on an engine; every timing is the fastest of `runs` runs (on a
    /// shared machine the minimum is the least noisy estimate of the cost itself).
    public init(engine: QueryEngine, runs: Int = 5) {
        self.engine = engine
        self.runs = max(1, runs)
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e6 }

    func fastest(_ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<runs {
            let t0 = Self.now()
            try body()
            best = min(best, Self.now() - t0)
        }
        return best
    }

    /// Times one query; `plain` is an equivalent hand-written SQL query to compare with.
    public func measure(name: String, query: String, plain: (sql: String, bindings: [DatabaseValue])? = nil,
                        compileIterations: Int = 2000) throws -> Timing {
        var t = Timing(name: name, query: query)
        let t0 = Self.now()
        for _ in 0..<compileIterations { _ = Compiler().compile(try engine.plan(query)) }
        t.compileMicroseconds = (Self.now() - t0) * 1000 / Double(compileIterations)
        var result = try engine.run(query)  // warm the cache once before timing either side
        let plan = try engine.executablePlan(query)
        let compiled = plan.pivot == nil ? Compiler().compile(plan) : nil
        // Interleaved, so both sides see the same machine load.
        var e2e = Double.infinity, direct = Double.infinity
        for _ in 0..<runs {
            var t0 = Self.now()
            result = try engine.run(query)
            e2e = min(e2e, Self.now() - t0)
            if let compiled {
                t0 = Self.now()
                _ = try engine.database.prepare(compiled.sql).rows(compiled.bindings)
                direct = min(direct, Self.now() - t0)
            }
        }
        t.endToEndMilliseconds = e2e
        t.directMilliseconds = compiled == nil ? e2e : direct
        t.rows = result.rows.count
        if let plain {
            var rows: [Row] = []
            _ = try engine.database.prepare(plain.sql).rows(plain.bindings)
            t.plainMilliseconds = try fastest { rows = try engine.database.prepare(plain.sql).rows(plain.bindings) }
            t.sameRowsAsPlain = Self.same(result.rows, rows.map(\.values))
        }
        return t
    }

    /// Row equality with a relative tolerance on reals (sums may be added in another order).
    public static func same(_ a: [[DatabaseValue]], _ b: [[DatabaseValue]]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            guard x.count == y.count else { return false }
            for (u, v) in zip(x, y) {
                switch (u, v) {
                case (.real, _), (_, .real):
                    guard let p = u.double, let q = v.double, abs(p - q) <= 1e-9 * max(1, abs(q)) else { return false }
                default: if u != v { return false }
                }
            }
        }
        return true
    }

    /// Runs `cases` fuzz cases through parse + check + compile; returns (valid, errors).
    /// Anything other than a plan or a positioned `QueryError` is a bug and is thrown.
    public static func fuzz(cases: Int, seed: UInt64 = 1) throws -> (valid: Int, errors: Int) {
        var f = QueryFuzzer(seed: seed)
        var valid = 0, errors = 0
        for _ in 0..<cases {
            let text = f.nextCase()
            do {
                _ = Compiler().compile(try Checker().check(try Parser.parse(text)))
                valid += 1
            } catch let e as QueryError {
                guard e.span != nil else { throw e }
                errors += 1
            }
        }
        return (valid, errors)
    }

    /// Adds fake scores for `vlms` VLMs to every description of a store without scores
    /// (deterministic values in 0.10…0.35), then refreshes the score rollup and the search
    /// statistics.
    public static func addFakeScores(store: Store, vlms: Int) throws {
        let existing = try store.database.scalar("SELECT count(*) FROM scores").int ?? 0
        if existing == 0 {
            try store.write {
                for i in 1...vlms {
                    let vlm = try store.ensureVLM(named: "bench-vlm-\(i)")
                    try store.database.execute("""
                        INSERT INTO scores(vlm_id, description_id, alignment, lift, margin, n_images)
                        SELECT ?, id, 0.10 + ((id * 2654435761 + ? * 40503) % 1000) / 4000.0,
                               ((id * 40503 + ?) % 200) / 2000.0 - 0.05, NULL, 50
                        FROM descriptions ORDER BY id
                        """, [vlm, vlm, vlm])
                }
            }
        }
        try store.refreshScoreRollup()
        try store.refreshSearchStatistics()
    }
}
