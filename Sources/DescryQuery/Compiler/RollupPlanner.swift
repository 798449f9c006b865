/// Rewrites an aggregate over scores to read the store's score rollup (schema 2): partial
/// counts, sums, sums of squares, minima and maxima per VLM × dataset × kind × attribute ×
/// category. A plan qualifies when its rows are scores (a `scores` query, or `descriptions`
/// using a score field), it has no search, filters and group keys use only those five
/// fields, and every aggregate is count/sum/mean/stddev/min/max of alignment, lift, margin or
/// content. The result equals the plain query's up to floating-point rounding (sums are added
/// in another order; stddev comes from sums of squares).
public enum RollupPlanner {
    /// Fields the rollup keeps per group.
    static let keyFields: Set<String> = ["vlm", "dataset", "kind", "attribute", "category"]
    /// Scores it aggregates.
    static let scoreFields: Set<String> = ["alignment", "lift", "margin", "content"]

    /// The rollup as a source: its key fields, named as in `descriptions`.
    static let source = SourceDefinition(
        name: "score_rollup", summary: "pre-aggregated scores", grain: "one row per VLM × dataset × kind × attribute × category",
        table: "score_rollup r", key: "r.vlm_id, r.dataset_id, r.kind, r.attribute, r.category",
        joins: [
            JoinDefinition("v", "JOIN vlms v ON v.id = r.vlm_id"),
            JoinDefinition("ds", "LEFT JOIN datasets ds ON ds.id = r.dataset_id"),
        ],
        fields: [
            FieldDefinition("vlm", .text, "v.name", joins: ["v"], "the VLM"),
            FieldDefinition("dataset", .text, "ds.name", joins: ["ds"], "dataset name"),
            FieldDefinition("kind", .text, "r.kind", "description kind"),
            FieldDefinition("attribute", .text, "nullif(r.attribute, '')", "canonical attribute"),
            FieldDefinition("category", .text, "r.category", "category"),
        ],
        defaultFields: [], searchKey: nil)

    /// The partial statistics a rewritten plan reads, in a stable order: the `{…}` names of
    /// the templates of its aggregates.
    static func partialColumns(of plan: Plan) -> [String] {
        var names: [String] = []
        func visit(_ e: TypedExpression) {
            switch e.kind {
            case .rollupAggregate(let agg, let score):
                var rest = Substring(template(agg, score: score))
                while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                    let name = String(rest[rest.index(after: open)..<close])
                    if !names.contains(name) { names.append(name) }
                    rest = rest[rest.index(after: close)...]
                }
            case .value, .field, .column, .aggregate: break
            case .unary(_, let a), .isNull(let a, _): visit(a)
            case .binary(_, let a, let b), .like(let a, let b, _): visit(a); visit(b)
            case .function(_, let args): args.forEach(visit)
            case .inList(let a, let l, _): visit(a); l.forEach(visit)
            case .between(let a, let b, let c, _): visit(a); visit(b); visit(c)
            }
        }
        for step in plan.steps { if case .aggregate(let keys, let items) = step { (keys + items).forEach { visit($0.1) } } }
        if let p = plan.pivot { visit(p.value) }
        return names
    }

    /// SQL recombining partial statistics into one aggregate, as a template: `{name}` marks
    /// a partial column, which the compiler writes as is or, inside a pivot cell, wrapped in
    /// `CASE WHEN column IS value THEN name END`.
    static func template(_ agg: TypedExpression.Aggregate, score: String?) -> String {
        guard let x = score else { return "coalesce(sum({n}), 0)" }  // count()
        let n = "sum({n_\(x)})", s = "sum({sum_\(x)})", q = "sum({sumsq_\(x)})"
        switch agg {
        case .count: return "coalesce(\(n), 0)"
        case .sum: return "(CASE WHEN \(n) > 0 THEN \(s) END)"
        case .mean: return "(CASE WHEN \(n) > 0 THEN \(s) / \(n) END)"
        case .stddev: return "(CASE WHEN \(n) > 1 THEN descry_sqrt(max(0.0, (\(q) - \(s) * \(s) / \(n)) / (\(n) - 1))) END)"
        case .min: return "min({min_\(x)})"
        case .max: return "max({max_\(x)})"
        case .median: return "NULL"  // never produced: median does not qualify
        }
    }

    /// The plan over the rollup, or nil when the plan does not qualify.
    public static func rewrite(_ plan: Plan) -> Plan? {
        guard plan.search == nil, plan.source.name == "descriptions" || plan.source.name == "scores" else { return nil }
        if plan.steps.isEmpty, let pivot = plan.pivot { return rewritePivot(plan, pivot) }
        guard case .aggregate(let keys, let items)? = plan.steps.first else { return nil }
        // descriptions rows are scores only when a score field is used somewhere.
        guard baseQualifies(plan) else { return nil }
        var newKeys: [(String, TypedExpression)] = []
        for (name, k) in keys {
            guard let k2 = rewrite(k, inAggregate: false) else { return nil }
            newKeys.append((name, k2))
        }
        var newItems: [(String, TypedExpression)] = []
        for (name, item) in items {
            guard let i2 = rewrite(item, inAggregate: false) else { return nil }
            newItems.append((name, i2))
        }
        let baseFields = plan.baseFields.filter { keyFields.contains($0.1.name) }.map { ($0.0, source.field($0.1.name)!) }
        let filters = plan.baseFilters.map { retarget($0) }
        var out = Plan(source: source, baseFields: baseFields, baseFilters: filters, search: nil, searchLimit: nil,
                       searchTop: nil, keyColumns: ["k0", "k1", "k2", "k3", "k4"], steps: [.aggregate(keys: newKeys, items: newItems)] + plan.steps.dropFirst(),
                       output: plan.output, order: plan.order, tiebreak: plan.tiebreak, pivot: plan.pivot)
        out.usesRollup = true
        return out
    }

    /// Checks the base relation's fields and filters, shared by both rewrites.
    static func baseQualifies(_ plan: Plan) -> Bool {
        let used = Set(plan.baseFields.map(\.1.name))
        guard used.isSubset(of: keyFields.union(scoreFields)) else { return false }
        if plan.source.name == "descriptions" && used.isDisjoint(with: scoreFields.union(["vlm"])) { return false }
        return plan.baseFilters.allSatisfy { fieldNames($0).map { $0.isSubset(of: keyFields) } ?? false }
    }

    /// `pivot ROWS by COLUMNS value AGG` over the rollup: rows and columns from key fields,
    /// the value from partial statistics.
    static func rewritePivot(_ plan: Plan, _ pivot: Plan.Pivot) -> Plan? {
        guard baseQualifies(plan), let rows = rewrite(pivot.rows, inAggregate: false),
              let columns = rewrite(pivot.columns, inAggregate: false), let value = rewrite(pivot.value, inAggregate: false) else { return nil }
        let baseFields = plan.baseFields.filter { keyFields.contains($0.1.name) }.map { ($0.0, source.field($0.1.name)!) }
        var out = Plan(source: source, baseFields: baseFields, baseFilters: plan.baseFilters.map { retarget($0) }, search: nil, searchLimit: nil,
                       searchTop: nil, keyColumns: ["k0", "k1", "k2", "k3", "k4"], steps: [], output: plan.output, order: plan.order, tiebreak: plan.tiebreak,
                       pivot: Plan.Pivot(rows: rows, rowColumn: pivot.rowColumn, columns: columns, value: value, columnsSpan: pivot.columnsSpan))
        out.usesRollup = true
        return out
    }

    /// Catalog field names used by a base filter, or nil when it uses anything else.
    static func fieldNames(_ e: TypedExpression) -> Set<String>? {
        switch e.kind {
        case .field(let f): return [f.name]
        case .value: return []
        case .column, .aggregate, .rollupAggregate: return nil
        case .unary(_, let a), .isNull(let a, _): return fieldNames(a)
        case .binary(_, let a, let b), .like(let a, let b, _):
            guard let x = fieldNames(a), let y = fieldNames(b) else { return nil }
            return x.union(y)
        case .inList(let a, let l, _):
            var all = Set<String>()
            for x in [a] + l { guard let s = fieldNames(x) else { return nil }; all.formUnion(s) }
            return all
        case .between(let a, let b, let c, _):
            var all = Set<String>()
            for x in [a, b, c] { guard let s = fieldNames(x) else { return nil }; all.formUnion(s) }
            return all
        case .function(_, let args):
            var all = Set<String>()
            for a in args { guard let s = fieldNames(a) else { return nil }; all.formUnion(s) }
            return all
        }
    }

    /// Points a filter's fields at the rollup's fields of the same name.
    static func retarget(_ e: TypedExpression) -> TypedExpression {
        func r(_ x: TypedExpression) -> TypedExpression { retarget(x) }
        switch e.kind {
        case .field(let f): return TypedExpression(.field(source.field(f.name) ?? f), e.type)
        case .value, .column, .aggregate, .rollupAggregate: return e
        case .unary(let op, let a): return TypedExpression(.unary(op, r(a)), e.type)
        case .binary(let op, let a, let b): return TypedExpression(.binary(op, r(a), r(b)), e.type)
        case .function(let fn, let args): return TypedExpression(.function(fn, args.map(r)), e.type)
        case .inList(let a, let l, let n): return TypedExpression(.inList(r(a), l.map(r), negated: n), e.type)
        case .between(let a, let b, let c, let n): return TypedExpression(.between(r(a), r(b), r(c), negated: n), e.type)
        case .isNull(let a, let n): return TypedExpression(.isNull(r(a), negated: n), e.type)
        case .like(let a, let b, let n): return TypedExpression(.like(r(a), r(b), negated: n), e.type)
        }
    }

    /// Rewrites a key or aggregate item over the base relation's columns; nil when some part
    /// cannot come from the rollup.
    static func rewrite(_ e: TypedExpression, inAggregate: Bool) -> TypedExpression? {
        func r(_ x: TypedExpression) -> TypedExpression? { rewrite(x, inAggregate: inAggregate) }
        switch e.kind {
        case .value: return e
        case .field, .rollupAggregate: return nil
        case .column(let c):
            // Only key fields survive, as themselves; score columns exist only inside aggregates.
            guard !inAggregate, c.hasPrefix("f_"), keyFields.contains(String(c.dropFirst(2))) else { return nil }
            return e
        case .aggregate(let agg, let arg):
            guard agg != .median else { return nil }
            guard let arg else { return TypedExpression(.rollupAggregate(.count, score: nil), e.type) }
            guard case .column(let c) = arg.kind, c.hasPrefix("f_"), scoreFields.contains(String(c.dropFirst(2))) else { return nil }
            return TypedExpression(.rollupAggregate(agg, score: String(c.dropFirst(2))), e.type)
        case .unary(let op, let a): return r(a).map { TypedExpression(.unary(op, $0), e.type) }
        case .binary(let op, let a, let b):
            guard let x = r(a), let y = r(b) else { return nil }
            return TypedExpression(.binary(op, x, y), e.type)
        case .function(let fn, let args):
            let mapped = args.compactMap(r)
            return mapped.count == args.count ? TypedExpression(.function(fn, mapped), e.type) : nil
        case .inList(let a, let l, let n):
            guard let x = r(a) else { return nil }
            let m = l.compactMap(r)
            return m.count == l.count ? TypedExpression(.inList(x, m, negated: n), e.type) : nil
        case .between(let a, let b, let c, let n):
            guard let x = r(a), let y = r(b), let z = r(c) else { return nil }
            return TypedExpression(.between(x, y, z, negated: n), e.type)
        case .isNull(let a, let n): return r(a).map { TypedExpression(.isNull($0, negated: n), e.type) }
        case .like(let a, let b, let n):
            guard let x = r(a), let y = r(b) else { return nil }
            return TypedExpression(.like(x, y, negated: n), e.type)
        }
    }
}
