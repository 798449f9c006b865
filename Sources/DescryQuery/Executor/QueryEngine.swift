import DescryStore

/// Runs DQL on a store: parse → check → compile → execute. Execution is read-only (every
/// statement runs through `Store.readOnlyQuery`, with SQLite's `query_only` switched on),
/// and every SQLite failure comes back as a positioned `QueryError`, never as a bare SQLite
/// message. The compiler holds all of DescryQuery's SQL; the engine only runs it.
public final class QueryEngine {
    /// The catalog names resolve in.
    public let catalog: Catalog
    /// The store queries run on.
    public let store: Store
    /// Read aggregates over scores from the score rollup when it is fresh (see `RollupPlanner`).
    public var useRollup = true
    /// Rebuild a stale score rollup before a query that can use it (needs a writable store).
    public var maintainRollup = false
    /// Stop a query that runs longer than this (nil: no limit); it fails with an execution error.
    public var timeLimit: Duration?
    /// Fail a query whose result has more rows than this (nil: no limit).
    public var maxRows: Int?

    /// Creates an engine over a store and registers the statistics functions on its connection.
    public init(store: Store, catalog: Catalog = .standard) throws {
        self.catalog = catalog
        self.store = store
        try store.registerQueryFunctions()
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

    /// Use `BoundedSearch` for `search … | top k` queries of one bare word or bare words joined
    /// by OR when the search statistics are fresh.
    public var useBoundedSearch = true
    /// Below this many matching rows FTS5's own ranking is fast, and `BoundedSearch` steps aside.
    public var boundedSearchMinimumMatches = 2000

    /// Adds the exact top-k candidates to a pushed-down search of bare words (see `BoundedSearch`).
    private func withSearchCandidates(_ plan: Plan, text: String) throws -> Plan {
        guard useBoundedSearch, let limit = plan.searchTop, let search = plan.search, limit <= 5_000,
              let terms = BoundedSearch.terms(search.text) else { return plan }
        var stats = try? store.searchStatistics()
        if stats == nil, maintainRollup, !store.isReadOnly {
            _ = try? store.refreshSearchStatistics()
            stats = try? store.searchStatistics()
        }
        guard let stats, store.descriptions.prepareTermIndex() else { return plan }
        let rows = try readOnly(text: text) { query in
            // With filters, the k-th best passing row comes from the base relation over the candidates.
            var kthScore: (([(id: Int64, rank: Double)]) throws -> Double?)?
            if plan.searchLimit == nil {
                kthScore = { ranked in
                    let compiled = Compiler().compile(Self.rankProbe(plan, candidates: ranked, limit: limit))
                    let rows = try query.rows(compiled.sql, compiled.bindings)
                    guard rows.count == Int(limit), let last = try rows.last?.optionalDouble(compiled.columns[0].sqlName) else { return nil }
                    return -last
                }
            }
            return try BoundedSearch.topRows(query, query: terms, k: Int(limit), statistics: stats,
                                             minimumMatches: boundedSearchMinimumMatches, kthScore: kthScore)
        }
        guard let rows else { return plan }
        var out = plan
        out.searchCandidates = rows
        return out
    }

    /// The plan's base relation over `candidates`, cut to its best `limit` rows by rank: the
    /// last row's rank is the k-th best score among rows that pass the filters.
    private static func rankProbe(_ plan: Plan, candidates: [(id: Int64, rank: Double)], limit: Int64) -> Plan {
        let rank = PlanColumn(name: "rank", sqlName: "f_rank", type: .real)
        // `search` always projects f_rank, which the probe orders by.
        let order = [Plan.Order("f_rank", descending: false)]
        return Plan(source: plan.source, baseFields: plan.baseFields, baseFilters: plan.baseFilters,
                    search: plan.search, searchLimit: nil, searchTop: nil, keyColumns: plan.keyColumns,
                    steps: [.limit(limit, order: order + plan.keyColumns.map { Plan.Order($0, descending: false) })],
                    output: [rank], order: order, tiebreak: plan.keyColumns, pivot: nil,
                    usesRollup: false, searchCandidates: candidates)
    }

    /// Whether the score rollup exists and is fresh, refreshing it first when allowed.
    private func rollupIsFresh() -> Bool {
        if (try? store.scores.isRollupFresh()) == true { return true }
        guard maintainRollup, !store.isReadOnly else { return false }
        return (try? store.scores.refreshRollup()) != nil
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
        let rows = try readOnly(text: text) { try $0.rows(compiled.sql, compiled.bindings) }
        return QueryResult(columns: compiled.columns.map { ResultColumn(name: $0.name, type: $0.type) },
                           rows: rows.map(\.values))
    }

    private func pivotValues(_ plan: Plan, _ discovery: CompiledQuery, text: String) throws -> [DatabaseValue] {
        let column = discovery.columns[0].sqlName
        let values = try readOnly(text: text) { try $0.rows(discovery.sql, discovery.bindings) }.map { try $0.value(column) }
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
            try store.readOnlyQuery { try $0.checkFullTextQuery(search.text) }
        } catch let e as DatabaseError {
            throw QueryError(.search, "invalid full-text query: \(e.message)", at: search.span,
                             hint: "FTS5 syntax: words, \"exact phrases\", AND / OR / NOT (upper case), prefix*, NEAR(a b); quote words with punctuation", source: text)
        }
    }

    /// Runs `body` through the store's read-only door under the engine's limits, turning
    /// every failure of the store into a `QueryError`.
    private func readOnly<T>(text: String, _ body: (ReadOnlyQuery) throws -> T) throws -> T {
        do {
            return try store.readOnlyQuery(limits: ReadOnlyQueryLimits(timeLimit: timeLimit, maxRows: maxRows), body)
        } catch let e as DatabaseError {
            throw executionError(e, text: text)
        } catch StoreError.database(let e) {
            throw executionError(e, text: text)
        } catch let e as ReadOnlyQueryLimitError {
            switch e {
            case .timeLimit(let limit):
                throw QueryError(.execution, "the query ran longer than its time limit of \(limit)", at: nil,
                                 hint: "narrow it with 'where' or 'top', or allow more time", source: text)
            case .rowLimit(let n):
                throw QueryError(.execution, "the query returns more than \(n) rows", at: nil,
                                 hint: "keep the first rows with '| top \(n)', or filter with 'where'", source: text)
            }
        }
    }

    private func executionError(_ e: DatabaseError, text: String) -> QueryError {
        let busy = e.code == 5 || e.code == 6  // SQLITE_BUSY, SQLITE_LOCKED
        if busy {
            return QueryError(.execution, "the store could not run the query: \(e.message)", at: nil,
                              hint: "another process holds a lock on the store; try again", source: text)
        }
        return QueryError(.execution, "the store could not run the query: \(e.message)",
                          at: blame(e, text: text) ?? SourceSpan(start: 0, end: text.unicodeScalars.count),
                          hint: "run it with --explain to see the SQL", source: text)
    }

    /// The stage an SQLite run-time error comes from: SQLite's message names no part of the
    /// query, so the query is re-run cut after each stage in turn (only on this error path,
    /// under a short time limit and a one-row limit), and the first cut that fails the same way
    /// names the stage. Nil when no cut reproduces it.
    private func blame(_ e: DatabaseError, text: String) -> SourceSpan? {
        guard let query = try? Parser.parse(text), query.stages.count > 0 else { return nil }
        let scalars = Array(text.unicodeScalars)
        for stage in query.stages {
            let cut = String(String.UnicodeScalarView(scalars[..<min(stage.span.end, scalars.count)]))
            guard let plan = try? check(cut) else { continue }
            let compiled = Compiler().compile(plan)
            do {
                _ = try store.readOnlyQuery(limits: ReadOnlyQueryLimits(timeLimit: .seconds(2), maxRows: 1)) {
                    try $0.rows(compiled.sql, compiled.bindings)
                }
            } catch let again as DatabaseError where again.code == e.code {
                return stage.span
            } catch StoreError.database(let again) where again.code == e.code {
                return stage.span
            } catch {
                continue
            }
        }
        return nil
    }
}
