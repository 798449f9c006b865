import DescryStore

/// Runs DQL on a store: parse → check → compile → execute. Execution is read-only (the
/// connection is switched to `query_only` while a query runs), and every SQLite failure comes
/// back as a positioned `QueryError`, never as a bare SQLite message.
public final class QueryEngine {
    /// The connection queries run on.
    public let database: Database
    /// The catalog names resolve in.
    public let catalog: Catalog
    /// The store, when the engine was made from one (needed to refresh the score rollup).
    public let store: Store?
    /// Read aggregates over scores from the score rollup when it is fresh (see `RollupPlanner`).
    public var useRollup = true
    /// Rebuild a stale score rollup before a query that can use it (needs a writable store).
    public var maintainRollup = false

    /// Creates an engine over a connection and registers the statistics functions on it.
    public init(database: Database, catalog: Catalog = .standard) throws {
        self.database = database
        self.catalog = catalog
        self.store = nil
        try database.registerStatisticsFunctions()
    }

    /// Creates an engine over a store's connection.
    public init(store: Store, catalog: Catalog = .standard) throws {
        self.database = store.database
        self.catalog = catalog
        self.store = store
        try database.registerStatisticsFunctions()
    }

    /// Parses and checks a query without touching the store.
    public func check(_ text: String) throws -> Plan {
        try Checker(catalog: catalog).check(try Parser.parse(text))
    }

    /// Parses and checks a query, then picks how to run it: over the score rollup when the
    /// plan qualifies and the rollup is fresh, else over the tables.
    public func plan(_ text: String) throws -> Plan {
        let plan = try check(text)
        guard useRollup, let rolled = RollupPlanner.rewrite(plan), rollupIsFresh() else { return plan }
        return rolled
    }

    /// Use `BoundedSearch` for one-word `search … | top k` queries when the search statistics are fresh.
    public var useBoundedSearch = true
    /// Below this many matching rows FTS5's own ranking is fast, and `BoundedSearch` steps aside.
    public var boundedSearchMinimumMatches = 2000

    /// Adds the exact top-k candidates to a pushed-down one-word search (see `BoundedSearch`).
    private func withSearchCandidates(_ plan: Plan, text: String) throws -> Plan {
        guard useBoundedSearch, let limit = plan.searchTop, let search = plan.search, limit <= 5_000,
              let term = BoundedSearch.singleTerm(search.text), let store else { return plan }
        var stats = try? store.searchStatistics()
        if stats == nil, maintainRollup, !database.isReadOnly {
            _ = try? store.refreshSearchStatistics()
            stats = try? store.searchStatistics()
        }
        guard let stats, BoundedSearch.prepare(database) else { return plan }
        // With filters, the k-th best passing row comes from the base relation over the candidates.
        var kthScore: (([(id: Int64, rank: Double)]) throws -> Double?)?
        if plan.searchLimit == nil {
            kthScore = { [database] ranked in
                var probe = plan
                probe.searchCandidates = ranked
                let rank = PlanColumn(name: "rank", sqlName: "f_rank", type: .real)
                // `search` always projects f_rank, which the probe orders by.
                probe = Plan(source: probe.source, baseFields: probe.baseFields, baseFilters: probe.baseFilters,
                             search: probe.search, searchLimit: nil, searchTop: nil, keyColumns: probe.keyColumns,
                             steps: [.limit(limit, order: [Plan.Order("f_rank", descending: false)] + probe.keyColumns.map { Plan.Order($0, descending: false) })],
                             output: [rank], order: [Plan.Order("f_rank", descending: false)], tiebreak: probe.keyColumns, pivot: nil,
                             usesRollup: false, searchCandidates: ranked)
                let compiled = Compiler().compile(probe)
                let rows = try database.prepare(compiled.sql).rows(compiled.bindings)
                guard rows.count == Int(limit), let last = rows.last?[0].double else { return nil }
                return -last
            }
        }
        guard let rows = try readOnly(text: text, { try BoundedSearch.topRows(database, term: term, k: Int(limit), statistics: stats,
                                                                                    minimumMatches: boundedSearchMinimumMatches, kthScore: kthScore) }) else { return plan }
        var out = plan
        out.searchCandidates = rows
        return out
    }

    /// Whether the score rollup exists and is fresh, refreshing it first when allowed.
    private func rollupIsFresh() -> Bool {
        guard (try? database.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'score_rollup_state'").int) == 1 else { return false }
        if (try? database.scalar("SELECT stale FROM score_rollup_state WHERE id = 1").int) == 0 { return true }
        guard maintainRollup, let store, !database.isReadOnly else { return false }
        return (try? store.refreshScoreRollup()) != nil
    }

    /// Parses, checks and compiles (for a pivot: its first phase).
    public func compile(_ text: String) throws -> CompiledQuery {
        Compiler().compile(try plan(text))
    }

    /// The SQL and bindings a query runs, as `--explain` prints them. For a pivot, the first
    /// phase runs to find the columns, then the second phase is shown too.
    public func explain(_ text: String) throws -> String {
        let plan = try executablePlan(text)
        let first = Compiler().compile(plan)
        guard plan.pivot != nil else { return first.explained() }
        let values = try pivotValues(plan, first, text: text)
        return first.explained() + "\n\n-- pivot, phase 2\n" + Compiler().compilePivot(plan, values: values).explained()
    }

    /// Runs a query and returns its rows.
    public func run(_ text: String) throws -> QueryResult {
        let plan = try executablePlan(text)
        var compiled = Compiler().compile(plan)
        if plan.pivot != nil {
            compiled = Compiler().compilePivot(plan, values: try pivotValues(plan, compiled, text: text))
        }
        return try execute(compiled, text: text)
    }

    /// The plan as it will run: checked, over the rollup when it can, its search syntax
    /// validated, and a one-word top-k search narrowed to its exact best rows.
    public func executablePlan(_ text: String) throws -> Plan {
        let plan = try self.plan(text)
        try validateSearch(plan, text: text)
        return try withSearchCandidates(plan, text: text)
    }

    /// Runs already compiled SQL (used by the benchmark to compare with the pipeline).
    public func execute(_ compiled: CompiledQuery, text: String) throws -> QueryResult {
        let rows = try readOnly(text: text) { try database.prepare(compiled.sql).rows(compiled.bindings) }
        return QueryResult(columns: compiled.columns.map { ResultColumn(name: $0.name, type: $0.type) },
                           rows: rows.map(\.values))
    }

    private func pivotValues(_ plan: Plan, _ discovery: CompiledQuery, text: String) throws -> [DatabaseValue] {
        let values = try readOnly(text: text) { try database.prepare(discovery.sql).rows(discovery.bindings) }.map { $0[0] }
        if values.count > Compiler.maxPivotColumns, let pivot = plan.pivot {
            throw QueryError(.execution, "pivot would make more than \(Compiler.maxPivotColumns) columns", at: pivot.columnsSpan,
                             hint: "filter first with 'where', or pivot by a field with fewer distinct values", source: text)
        }
        return values
    }

    /// Checks the FTS5 syntax of `search "…"` with SQLite itself, the authority on it, and
    /// reports a failure at the string's position.
    private func validateSearch(_ plan: Plan, text: String) throws {
        guard let search = plan.search else { return }
        do {
            _ = try readOnly(text: text, wrap: false) {
                try database.prepare("SELECT 1 FROM descriptions_fts WHERE descriptions_fts MATCH ? LIMIT 1").rows([search.text])
            }
        } catch let e as DatabaseError {
            throw QueryError(.search, "invalid full-text query: \(e.message)", at: search.span,
                             hint: "FTS5 syntax: words, \"exact phrases\", AND / OR / NOT (upper case), prefix*, NEAR(a b); quote words with punctuation", source: text)
        }
    }

    /// Runs `body` with the connection in `query_only` mode, restoring the previous mode.
    private func readOnly<T>(text: String, wrap: Bool = true, _ body: () throws -> T) throws -> T {
        let previous = (try? database.scalar("PRAGMA query_only").int) ?? 0
        if previous == 0 { try? database.execute("PRAGMA query_only = 1") }
        defer { if previous == 0 { try? database.execute("PRAGMA query_only = 0") } }
        do {
            return try body()
        } catch let e as DatabaseError where wrap {
            let busy = e.code == 5 || e.code == 6  // SQLITE_BUSY, SQLITE_LOCKED
            throw QueryError(.execution, "the store could not run the query: \(e.message)",
                             at: busy ? nil : SourceSpan(start: 0, end: text.unicodeScalars.count),
                             hint: busy ? "another process holds a lock on the store; try again" : "run it with --explain to see the SQL", source: text)
        }
    }
}
