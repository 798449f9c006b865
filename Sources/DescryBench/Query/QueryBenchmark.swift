import DescryQuery
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

    /// One query of the benchmark: a label, the DQL text and, for some, an equivalent plain SQL
    /// query (a baseline from ``BenchSQL``) to compare it with.
    public struct Case: Sendable {
        /// A short label.
        public let name: String
        /// The DQL text.
        public let query: String
        /// The baseline SQL and its bindings, when there is one.
        public let plain: (sql: String, bindings: [DatabaseValue])?
    }

    let store: Store
    let engine: QueryEngine
    let runs: Int

    /// Sets up a benchmark on a store, with a DQL engine on the store's connection; every timing
    /// is the fastest of `runs` runs (on a shared machine the minimum is the least noisy
    /// estimate of the cost itself).
    public init(store: Store, runs: Int = 5) throws {
        self.store = store
        self.engine = try QueryEngine(store: store)
        self.runs = max(1, runs)
    }

    /// The example queries on `dataset`, the first with its plain SQL baseline;
    /// `word` is the search term.
    public static func exampleCases(dataset ds: String, word: String) -> [Case] {
        [
            Case(name: "search example", query: "descriptions\n| where dataset = \"\(ds)\" and kind = \"differential\"\n| search \"\(word)\"\n| show class, attribute, text\n| top 10",
                 plain: (BenchSQL.searchExample, [.text(word), .text(ds)])),
            Case(name: "group by vlm, top per vlm", query: "descriptions\n| where dataset = \"\(ds)\"\n| group by vlm, category, attribute\n| aggregate n = count(), score = mean(alignment), spread = stddev(alignment)\n| sort score desc\n| top 3 per vlm", plain: nil),
            Case(name: "pairs by confusion", query: "pairs | where dataset = \"\(ds)\" | sort confusion desc | top 10 | show class_a, class_b, n_descriptions", plain: nil),
            Case(name: "pivot lift", query: "descriptions | where dataset = \"\(ds)\" | pivot attribute by vlm value mean(lift)", plain: nil),
            Case(name: "count per attribute", query: "descriptions | where dataset = \"\(ds)\" | group by attribute | aggregate n = count() | sort n desc | top 5", plain: nil),
            Case(name: "median (no rollup)", query: "scores | where vlm = \"bench-vlm-1\" and attribute = \"colour\" | aggregate m = median(alignment)", plain: nil),
        ]
    }

    /// The queries that are slow in plain SQLite, each with its plain SQL baseline: bm25 top 20
    /// of one common word, of two words that must both match, and of two words joined by OR.
    public static func slowCases(word: String) -> [Case] {
        [
            Case(name: "bm25 search top 20", query: "descriptions | search \"\(word)\" | top 20 | show id, text",
                 plain: (BenchSQL.bm25Top20, [.text(word)])),
            Case(name: "bm25 search top 20, two words", query: "descriptions | search \"pointed ears\" | top 20 | show id, text",
                 plain: (BenchSQL.bm25Top20, [.text("pointed ears")])),
            Case(name: "bm25 search top 20, OR", query: "descriptions | search \"ear OR ears\" | top 20 | show id, text",
                 plain: (BenchSQL.bm25Top20, [.text("ear OR ears")])),
            Case(name: "mean alignment per vlm, attribute", query: "descriptions | group by vlm, attribute | aggregate score = mean(alignment)",
                 plain: (BenchSQL.meanAlignmentPerVLMAndAttribute, [])),
        ]
    }

    /// Times one case.
    public func measure(_ c: Case, compileIterations: Int = 2000) throws -> Timing {
        try measure(name: c.name, query: c.query, plain: c.plain, compileIterations: compileIterations)
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
                _ = try store.database.prepare(compiled.sql).rows(compiled.bindings)
                direct = min(direct, Self.now() - t0)
            }
        }
        t.endToEndMilliseconds = e2e
        t.directMilliseconds = compiled == nil ? e2e : direct
        t.rows = result.rows.count
        if let plain {
            var rows: [Row] = []
            _ = try store.database.prepare(plain.sql).rows(plain.bindings)
            t.plainMilliseconds = try fastest { rows = try store.database.prepare(plain.sql).rows(plain.bindings) }
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
        if try store.database.scalar(Int.self, BenchSQL.scoreCount) == 0 {
            try store.write {
                for i in stride(from: 1, through: vlms, by: 1) {
                    let vlm = try store.vlms.ensure(named: "bench-vlm-\(i)")
                    try store.database.execute(BenchSQL.insertFakeScores, [vlm, vlm, vlm])
                }
            }
        }
        try store.scores.refreshRollup()
        try store.refreshSearchStatistics()
    }

    /// How many descriptions and scores a store holds.
    public static func size(of store: Store) throws -> (descriptions: Int, scores: Int) {
        (try store.database.scalar(Int.self, BenchSQL.descriptionCount), try store.database.scalar(Int.self, BenchSQL.scoreCount))
    }

    /// The store's first dataset (the benchmark store has one), nil for a store without any.
    public static func firstDataset(of store: Store) throws -> String? {
        try store.database.scalarIfPresent(String.self, BenchSQL.firstDatasetName)
    }
}
