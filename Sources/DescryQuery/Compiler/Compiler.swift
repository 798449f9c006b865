import DescryStore

/// Compiles a checked `Plan` to one parameterized SQL statement: a CTE for the base relation
/// (source, joins it needs, filters, FTS5 search) and one CTE per later stage. SQLite flattens
/// the simple CTEs, so the stage structure costs nothing at run time.
public struct Compiler {
    /// Creates a compiler.
    public init() {}

    /// Compiles a plan. For a pivot this is the first phase (see `compilePivot`).
    public func compile(_ plan: Plan) -> CompiledQuery {
        var b = SQLBuilder()
        let last = prefix(plan, into: &b)
        if let pivot = plan.pivot {
            b.append("SELECT DISTINCT ")
            emit(pivot.columns, into: &b)
            b.append(" AS v FROM \(last) ORDER BY 1 LIMIT \(Self.maxPivotColumns + 1)")
            return CompiledQuery(sql: b.sql, bindings: b.bindings, columns: [PlanColumn(name: "value", sqlName: "v", type: pivot.columns.type)],
                                 isPivotDiscovery: true, usesRollup: plan.usesRollup)
        }
        b.append("SELECT ")
        b.append(plan.output.map(\.sqlName).joined(separator: ", "))
        b.append(" FROM \(last)")
        let order = plan.order + plan.tiebreak.map { Plan.Order($0, descending: false) }
        if !order.isEmpty { b.append(" ORDER BY " + orderList(order)) }
        return CompiledQuery(sql: b.sql, bindings: b.bindings, columns: plan.output, usesRollup: plan.usesRollup)
    }

    /// The most columns a pivot may produce.
    public static let maxPivotColumns = 200

    /// The second phase of a pivot: one column per distinct value found by the first phase.
    /// Values are bound, and the result columns are named after them (as text).
    public func compilePivot(_ plan: Plan, values: [DatabaseValue]) -> CompiledQuery {
        guard let pivot = plan.pivot else { return compile(plan) }
        var b = SQLBuilder()
        let last = prefix(plan, into: &b)
        b.append("SELECT ")
        emit(pivot.rows, into: &b)
        b.append(" AS r")
        var columns = [pivot.rowColumn]
        for (i, v) in values.enumerated() {
            b.append(", ")
            emit(pivot.value, into: &b, cell: (pivot.columns, v))
            b.append(" AS p\(i + 1)")
            columns.append(PlanColumn(name: Self.columnName(v), sqlName: "p\(i + 1)", type: pivot.value.type))
        }
        b.append(" FROM \(last) GROUP BY 1 ORDER BY 1")
        return CompiledQuery(sql: b.sql, bindings: b.bindings, columns: columns, usesRollup: plan.usesRollup)
    }

    static func columnName(_ v: DatabaseValue) -> String {
        switch v {
        case .null: return "null"
        case .integer(let i): return String(i)
        case .real(let r): return String(r)
        case .text(let s): return s
        case .blob(let b): return "\(b.count) bytes"
        }
    }

    func orderList(_ order: [Plan.Order]) -> String {
        order.map { $0.column + ($0.descending ? " DESC" : "") }.joined(separator: ", ")
    }

    /// Writes `WITH base AS (…), s1 AS (…), …` and returns the name of the last relation.
    func prefix(_ plan: Plan, into b: inout SQLBuilder) -> String {
        let source = plan.source
        b.append("WITH\n  base AS (SELECT ")
        let keyParts = source.key.components(separatedBy: ", ")
        let joined = joins(plan)
        let unjoined = Set(source.joins.map(\.alias)).subtracting(joined.map(\.alias))
        var items = zip(keyParts, plan.keyColumns).map { part, name in
            // A key part on a join that is not made is constant for every row.
            unjoined.contains(String(part.prefix { $0 != "." })) ? "NULL AS \(name)" : "\(part) AS \(name)"
        }
        items += plan.baseFields.map { "\($0.1.sql) AS \($0.0)" }
        if plan.usesRollup { items += RollupPlanner.partialColumns(of: plan).map { "r.\($0) AS \($0)" } }
        b.append(items.joined(separator: ", "))
        b.append("\n    FROM ")
        var conditions: [(inout SQLBuilder) -> Void] = []
        if let search = plan.search, let key = source.searchKey {
            // FTS5 drives the join; CROSS JOIN keeps SQLite from reordering it.
            if let rows = plan.searchCandidates, !rows.isEmpty {
                // Already ranked (BoundedSearch): the rows and ranks FTS5 would return.
                b.append("(SELECT column1 AS id, column2 AS rank FROM (VALUES ")
                for (i, r) in rows.enumerated() {
                    b.append(i > 0 ? ", (" : "(")
                    b.bind(.integer(r.id))
                    b.append(", ")
                    b.bind(.real(r.rank))
                    b.append(")")
                }
                b.append(")")
            } else {
                b.append("(SELECT rowid AS id, rank AS rank FROM descriptions_fts WHERE descriptions_fts MATCH ")
                b.bind(.text(search.text))
                if let limit = plan.searchLimit {
                    b.append(" ORDER BY rank, rowid LIMIT ")
                    b.bind(.integer(limit))
                }
            }
            b.append(") AS fts CROSS JOIN ")
            conditions.append { $0.append("\(key) = fts.id") }
        }
        b.append(source.table)
        for j in joined { b.append("\n    " + j.sql) }
        for f in plan.baseFilters { conditions.append { b in emit(f, into: &b) } }
        if !conditions.isEmpty {
            b.append("\n    WHERE ")
            for (i, c) in conditions.enumerated() {
                if i > 0 { b.append(" AND ") }
                c(&b)
            }
        }
        b.append(")")
        var last = "base"
        var n = 0
        for step in plan.steps {
            n += 1
            let name = "s\(n)"
            b.append(",\n  \(name) AS (")
            switch step {
            case .filter(let e):
                b.append("SELECT * FROM \(last) WHERE ")
                emit(e, into: &b)
            case .extend(let cols):
                b.append("SELECT *")
                for (c, e) in cols {
                    b.append(", ")
                    emit(e, into: &b)
                    b.append(" AS \(c)")
                }
                b.append(" FROM \(last)")
            case .limit(let count, let order):
                b.append("SELECT * FROM \(last)")
                if !order.isEmpty { b.append(" ORDER BY " + orderList(order)) }
                b.append(" LIMIT ")
                b.bind(.integer(count))
            case .limitPer(let count, let partition, let order):
                let rn = "rn\(n)"
                b.append("SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY \(partition)")
                if !order.isEmpty { b.append(" ORDER BY " + orderList(order)) }
                b.append(") AS \(rn) FROM \(last)) WHERE \(rn) <= ")
                b.bind(.integer(count))
            case .project(let cols, let carry):
                b.append("SELECT ")
                for (i, (c, e)) in cols.enumerated() {
                    if i > 0 { b.append(", ") }
                    emit(e, into: &b)
                    b.append(" AS \(c)")
                }
                for c in carry { b.append(", \(c)") }
                b.append(" FROM \(last)")
            case .aggregate(let keys, let aggs):
                b.append("SELECT ")
                for (i, (c, e)) in (keys + aggs).enumerated() {
                    if i > 0 { b.append(", ") }
                    emit(e, into: &b)
                    b.append(" AS \(c)")
                }
                b.append(" FROM \(last)")
                if !keys.isEmpty { b.append(" GROUP BY " + (1...keys.count).map(String.init).joined(separator: ", ")) }
            }
            b.append(")")
            last = name
        }
        b.append("\n")
        return last
    }

    /// The joins the base relation needs, with their prerequisites, in catalog order.
    func joins(_ plan: Plan) -> [JoinDefinition] {
        var needed = Set<String>()
        func need(_ alias: String) {
            guard !needed.contains(alias), let j = plan.source.joins.first(where: { $0.alias == alias }) else { return }
            needed.insert(alias)
            j.requires.forEach(need)
        }
        for (_, f) in plan.baseFields { f.joins.forEach(need) }
        for e in plan.baseFilters { fields(in: e).forEach { $0.joins.forEach(need) } }
        return plan.source.joins.filter { needed.contains($0.alias) }
    }

    func fields(in e: TypedExpression) -> [FieldDefinition] {
        switch e.kind {
        case .field(let f): return [f]
        case .value, .column: return []
        case .unary(_, let a), .isNull(let a, _): return fields(in: a)
        case .binary(_, let a, let b), .like(let a, let b, _): return fields(in: a) + fields(in: b)
        case .function(_, let args): return args.flatMap(fields(in:))
        case .aggregate(_, let a): return a.map(fields(in:)) ?? []
        case .rollupAggregate: return []
        case .inList(let a, let l, _): return fields(in: a) + l.flatMap(fields(in:))
        case .between(let a, let b, let c, _): return fields(in: a) + fields(in: b) + fields(in: c)
        }
    }

    /// Writes an expression. `cell` (pivot) wraps every aggregate's input in
    /// `CASE WHEN column IS value THEN … END`, so the aggregate sees only that column's rows.
    func emit(_ e: TypedExpression, into b: inout SQLBuilder, cell: (TypedExpression, DatabaseValue)? = nil) {
        switch e.kind {
        case .value(let v): b.bind(v)
        case .field(let f): b.append(f.sql)
        case .column(let c): b.append(c)
        case .unary(let op, let a):
            b.append(op == .negate ? "(- " : "(NOT ")
            emit(a, into: &b, cell: cell)
            b.append(")")
        case .binary(let op, let l, let r):
            b.append("(")
            if op == .divide { b.append("CAST(") }
            emit(l, into: &b, cell: cell)
            if op == .divide { b.append(" AS REAL)") }
            let sqlOp: String
            switch op {
            case .and: sqlOp = "AND"
            case .or: sqlOp = "OR"
            case .notEqual: sqlOp = "<>"
            default: sqlOp = op.rawValue
            }
            b.append(" \(sqlOp) ")
            emit(r, into: &b, cell: cell)
            b.append(")")
        case .function(let fn, let args):
            if fn == .contains {
                b.append("(instr(")
                emit(args[0], into: &b, cell: cell)
                b.append(", ")
                emit(args[1], into: &b, cell: cell)
                b.append(") > 0)")
                return
            }
            b.append(fn.rawValue + "(")
            for (i, a) in args.enumerated() {
                if i > 0 { b.append(", ") }
                emit(a, into: &b, cell: cell)
            }
            b.append(")")
        case .aggregate(let agg, let arg):
            let name: String
            switch agg {
            case .mean: name = "avg"
            case .stddev: name = "descry_stddev"
            case .median: name = "descry_median"
            default: name = agg.rawValue
            }
            b.append(name + "(")
            if let (column, value) = cell {
                b.append("CASE WHEN ")
                emit(column, into: &b)
                b.append(" IS ")
                b.bind(value)
                b.append(" THEN ")
                if let arg { emit(arg, into: &b) } else { b.append("1") }
                b.append(" END")
            } else if let arg {
                emit(arg, into: &b)
            } else {
                b.append("*")
            }
            b.append(")")
        case .rollupAggregate(let agg, let score):
            // Expand the template: each {partial} column, filtered to the pivot cell if any.
            var rest = Substring(RollupPlanner.template(agg, score: score))
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                b.append(String(rest[..<open]))
                let column = String(rest[rest.index(after: open)..<close])
                if let (cellColumn, value) = cell {
                    b.append("CASE WHEN ")
                    emit(cellColumn, into: &b)
                    b.append(" IS ")
                    b.bind(value)
                    b.append(" THEN \(column) END")
                } else {
                    b.append(column)
                }
                rest = rest[rest.index(after: close)...]
            }
            b.append(String(rest))
        case .inList(let x, let items, let negated):
            if items.isEmpty {
                b.append(negated ? "(1)" : "(0)")
                return
            }
            b.append("(")
            emit(x, into: &b, cell: cell)
            b.append(negated ? " NOT IN (" : " IN (")
            for (i, item) in items.enumerated() {
                if i > 0 { b.append(", ") }
                emit(item, into: &b, cell: cell)
            }
            b.append("))")
        case .between(let x, let lo, let hi, let negated):
            b.append("(")
            emit(x, into: &b, cell: cell)
            b.append(negated ? " NOT BETWEEN " : " BETWEEN ")
            emit(lo, into: &b, cell: cell)
            b.append(" AND ")
            emit(hi, into: &b, cell: cell)
            b.append(")")
        case .isNull(let x, let negated):
            b.append("(")
            emit(x, into: &b, cell: cell)
            b.append(negated ? " IS NOT NULL)" : " IS NULL)")
        case .like(let x, let p, let negated):
            b.append("(")
            emit(x, into: &b, cell: cell)
            b.append(negated ? " NOT GLOB " : " GLOB ")
            emit(p, into: &b, cell: cell)
            b.append(")")
        }
    }
}
