import DescryStore

/// The checker's walk over the stages: the current relation's columns, ordering and steps.
struct CheckState {
    let source: SourceDefinition
    let text: String
    /// True until a stage replaces the source's rows with new columns (show, aggregate).
    var sourceMode = true
    /// True while only `where`/`search` stages were seen: conditions go into the base query.
    var inBase = true
    var baseFields: [(String, FieldDefinition)] = []
    var baseFilters: [TypedExpression] = []
    var search: (text: String, span: SourceSpan)?
    var steps: [Plan.Step] = []
    var columns: [PlanColumn] = []
    var order: [Plan.Order] = []
    var tiebreak: [String]
    let keyColumns: [String]
    var counter = 0
    var pivot: Plan.Pivot?
    /// Fields a source-mode `sort` named; shown by default after the source's default fields.
    var sortedFields: [String] = []
    /// What replaced the source's columns, for "not available after …" messages.
    var reshapedBy = ""

    init(source: SourceDefinition, text: String) {
        self.source = source
        self.text = text
        let parts = source.key.components(separatedBy: ", ")
        keyColumns = parts.indices.map { "k\($0)" }
        tiebreak = keyColumns
    }

    func error(_ message: String, _ span: SourceSpan, hint: String? = nil) -> QueryError {
        QueryError(.check, message, at: span, hint: hint, source: text)
    }

    mutating func fresh(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)\(counter)"
    }

    static let rankField = FieldDefinition("rank", .real, "fts.rank", "bm25 rank of the search (lower is better)")

    // MARK: stages

    /// Walks the stages in order, one method per stage kind, then settles the output columns
    /// and whether the search may be cut early.
    mutating func run(_ stages: [Stage]) throws -> Plan {
        var i = 0
        var searchTop = boundedTop(stages)
        var searchLimit = stages.contains(where: { if case .filter = $0.kind { return true }; return false }) ? nil : searchTop
        while i < stages.count {
            let stage = stages[i]
            if pivot != nil {
                throw error("'pivot' must be the last stage", stage.keywordSpan, hint: "its columns come from the data, so nothing can refer to them")
            }
            switch stage.kind {
            case .filter(let e):
                try whereStage(e)
            case .search(let q, let span):
                try searchStage(q, span: span, stage: stage)
            case .group(let keys):
                // `group by` takes the `aggregate` right after it as its items.
                if i + 1 < stages.count, case .aggregate(let items) = stages[i + 1].kind {
                    try groupStage(keys, items: items, stage: stage)
                    i += 1
                } else {
                    try groupStage(keys, items: nil, stage: stage)
                }
            case .aggregate(let items):
                try aggregateStage(items, stage: stage)
            case .sort(let keys):
                try sortStage(keys)
            case .top(let n, _, let per):
                try topStage(n, per: per)
            case .show(let items):
                try showStage(items)
            case .pivot(let rows, let cols, let value):
                try pivotStage(rows: rows, columns: cols, value: value)
            }
            i += 1
        }
        // First, as default columns add base fields, which the search cut then checks.
        let output = try outputColumns()
        // Cutting candidates early is exact only when no join drops or repeats rows.
        if !searchCutIsExact() {
            searchLimit = nil
            searchTop = nil
        }
        return Plan(source: source, baseFields: baseFields, baseFilters: baseFilters, search: search, searchLimit: searchLimit,
                    searchTop: searchTop, keyColumns: keyColumns, steps: steps, output: output, order: order, tiebreak: tiebreak, pivot: pivot)
    }

    /// `where condition`: into the base query while only `where`/`search` came before, else a step.
    mutating func whereStage(_ e: ExpressionNode) throws {
        if inBase {
            baseFilters.append(try condition(e, base: true))
        } else {
            steps.append(.filter(try condition(e, base: false)))
        }
    }

    /// `search "…"`: once, early, on a source with description text; orders by rank.
    mutating func searchStage(_ q: String, span: SourceSpan, stage: Stage) throws {
        guard source.searchKey != nil else {
            throw error("'\(source.name)' has no description text to search", stage.keywordSpan,
                        hint: "search works on descriptions, scores and audits")
        }
        guard search == nil else { throw error("a query can have only one 'search'", stage.keywordSpan, hint: "combine them in one FTS5 query: \"a AND b\"") }
        guard inBase else {
            throw error("'search' must come before other stages (only 'where' may precede it)", stage.keywordSpan)
        }
        guard !q.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw QueryError(.search, "empty full-text query", at: span, hint: "search for words: search \"ear OR ears\"", source: text)
        }
        search = (q, span)
        order = [Plan.Order(baseColumn(Self.rankField), descending: false)]
    }

    /// `group by keys` with the items of the `aggregate` that follows it; without one
    /// (`items` nil), the rows of each group are counted.
    mutating func groupStage(_ keys: [Stage.Item], items: [Stage.Item]?, stage: Stage) throws {
        inBase = false
        let counted = [Stage.Item(alias: ("n", stage.keywordSpan),
                                  expression: ExpressionNode(.call("count", [], nameSpan: stage.keywordSpan), span: stage.keywordSpan))]
        try aggregate(keys: keys, items: items ?? counted, stage: stage)
    }

    /// `aggregate items` on its own: one row for the whole relation.
    mutating func aggregateStage(_ items: [Stage.Item], stage: Stage) throws {
        inBase = false
        try aggregate(keys: [], items: items, stage: stage)
    }

    /// `sort keys`: columns sort as they are; expressions become hidden computed columns.
    mutating func sortStage(_ keys: [Stage.SortKey]) throws {
        inBase = false
        var terms: [Plan.Order] = []
        var extra: [(String, TypedExpression)] = []
        for k in keys {
            let t = try typed(k.expression, Context(base: false))
            if case .column(let c) = t.kind {
                terms.append(Plan.Order(c, descending: k.descending))
                if sourceMode, case .name(let n) = k.expression.kind { sortedFields.append(n.lowercased()) }
            } else {
                let name = fresh("o")
                extra.append((name, t))
                terms.append(Plan.Order(name, descending: k.descending))
            }
        }
        if !extra.isEmpty { steps.append(.extend(extra)) }
        order = terms
    }

    /// `top n [per expression]`: the first rows in the current order (ties broken by key).
    mutating func topStage(_ n: Int64, per: ExpressionNode?) throws {
        inBase = false
        guard let per else {
            steps.append(.limit(n, order: order + tiebreak.map { Plan.Order($0, descending: false) }))
            return
        }
        let t = try typed(per, Context(base: false))
        var partition: String
        if case .column(let c) = t.kind { partition = c } else {
            partition = fresh("o")
            steps.append(.extend([(partition, t)]))
        }
        steps.append(.limitPer(n, partition: partition, order: order + tiebreak.map { Plan.Order($0, descending: false) }))
        order = [Plan.Order(partition, descending: false)] + order
    }

    /// `show items`: new columns, carrying what the ordering still needs.
    mutating func showStage(_ items: [Stage.Item]) throws {
        inBase = false
        var projected: [(String, TypedExpression)] = []
        var newColumns: [PlanColumn] = []
        for item in items {
            let t = try typed(item.expression, Context(base: false))
            let name = try itemName(item, existing: newColumns)
            let sqlName = fresh("c")
            projected.append((sqlName, t))
            newColumns.append(PlanColumn(name: name, sqlName: sqlName, type: t.type))
        }
        var carry: [String] = []
        for c in order.map(\.column) + tiebreak where !carry.contains(c) { carry.append(c) }
        steps.append(.project(projected, carry: carry))
        columns = newColumns
        sourceMode = false
        reshapedBy = "show"
    }

    /// `pivot rows by columns value aggregate`: the last stage; its columns come from the data.
    mutating func pivotStage(rows: ExpressionNode, columns cols: ExpressionNode, value: ExpressionNode) throws {
        inBase = false
        let r = try typed(rows, Context(base: false))
        let c = try typed(cols, Context(base: false))
        let v = try typed(value, Context(base: false, aggregates: true, keys: [:]))
        guard containsAggregate(v) else {
            throw error("the value of 'pivot' must be an aggregate", value.span, hint: "for example: value mean(lift), or value count()")
        }
        let rowName = try itemName(Stage.Item(alias: nil, expression: rows), existing: [])
        pivot = Plan.Pivot(rows: r, rowColumn: PlanColumn(name: rowName, sqlName: "r", type: r.type), columns: c, value: v, columnsSpan: cols.span)
    }

    /// The result's columns: those of the last reshaping stage, or, while the rows are still
    /// the source's, its default fields, then fields a `sort` named, then the search rank.
    /// A pivot's columns come from the data; it projects nothing by default.
    mutating func outputColumns() throws -> [PlanColumn] {
        guard sourceMode && pivot == nil else { return columns }
        var names = source.defaultFields
        for n in sortedFields where !names.contains(n) && source.field(n) != nil { names.append(n) }
        var output = try names.map { n in
            guard let f = source.field(n) else {
                throw QueryError(.check, "the catalog's default field '\(n)' of \(source.name) does not exist", at: nil, source: text)
            }
            return PlanColumn(name: f.name, sqlName: baseColumn(f), type: f.type)
        }
        if search != nil { output.append(PlanColumn(name: "rank", sqlName: baseColumn(Self.rankField), type: .real)) }
        return output
    }

    /// True when every join the base relation makes keeps each source row once, so a search
    /// may be cut to its best rows before the joins.
    func searchCutIsExact() -> Bool {
        let filterFields = baseFilters.flatMap { Compiler().fields(in: $0) }
        return (baseFields.map(\.1) + filterFields).allSatisfy { f in
            f.joins.allSatisfy { a in source.joins.first { $0.alias == a }?.preservesRows ?? false }
        }
    }

    /// `search … | top n` may be answered from a bounded candidate set when the other stages
    /// are `where` on source fields before the top, and `show`; with no `where` at all, FTS5
    /// itself can cut its candidates to n (`searchLimit`).
    func boundedTop(_ stages: [Stage]) -> Int64? {
        // One row per matched description: the source's own key is the searched id (joins that
        // would repeat rows are ruled out at the end of the check).
        guard source.searchKey != nil, source.key.components(separatedBy: ", ").first == source.searchKey else { return nil }
        var limit: Int64?
        var searched = false, shown = false
        for s in stages {
            switch s.kind {
            case .search: searched = true
            case .filter where !shown && limit == nil: continue
            case .show: shown = true
            case .top(let n, _, let per) where limit == nil && per == nil && searched: limit = n
            default: return nil
            }
        }
        return limit
    }

    mutating func aggregate(keys: [Stage.Item], items: [Stage.Item], stage: Stage) throws {
        var keyPairs: [(String, TypedExpression)] = []
        var newColumns: [PlanColumn] = []
        var keyMap: [String: TypedExpression] = [:]
        for k in keys {
            let t = try typed(k.expression, Context(base: false))
            let name = try itemName(k, existing: newColumns)
            let sqlName = fresh("g")
            keyPairs.append((sqlName, t))
            newColumns.append(PlanColumn(name: name, sqlName: sqlName, type: t.type))
            keyMap[name.lowercased()] = t
        }
        var itemPairs: [(String, TypedExpression)] = []
        for item in items {
            let t = try typed(item.expression, Context(base: false, aggregates: true, keys: keyMap))
            let name = try itemName(item, existing: newColumns)
            let sqlName = fresh("a")
            itemPairs.append((sqlName, t))
            newColumns.append(PlanColumn(name: name, sqlName: sqlName, type: t.type))
        }
        steps.append(.aggregate(keys: keyPairs, items: itemPairs))
        columns = newColumns
        order = []
        tiebreak = keyPairs.map(\.0)
        sourceMode = false
        reshapedBy = keys.isEmpty ? "aggregate" : "group by"
    }

    /// The name a `show`/`aggregate` item gets: its alias, the field it names, or a name
    /// derived from the call (`mean_alignment`). Two columns of one stage may not share a name.
    func itemName(_ item: Stage.Item, existing: [PlanColumn]) throws -> String {
        let name: String
        var span = item.expression.span
        if let (alias, aliasSpan) = item.alias {
            name = alias
            span = aliasSpan
        } else {
            switch item.expression.kind {
            case .name(let n): name = n.lowercased()
            case .call(let f, let args, _):
                if args.count == 1, case .name(let a) = args[0].kind { name = "\(f.lowercased())_\(a.lowercased())" } else { name = f.lowercased() }
            default: name = "column\(existing.count + 1)"
            }
        }
        if existing.contains(where: { $0.name.lowercased() == name.lowercased() }) {
            throw error("two columns are named '\(name)'", span, hint: "name one of them: other_name = …")
        }
        return name
    }

    // MARK: names

    /// Adds a catalog field to the base projection (once) and returns its internal name.
    mutating func baseColumn(_ f: FieldDefinition) -> String {
        let name = "f_" + f.name
        if !baseFields.contains(where: { $0.0 == name }) { baseFields.append((name, f)) }
        return name
    }

    mutating func resolve(_ name: String, span: SourceSpan, base: Bool) throws -> TypedExpression {
        let lower = name.lowercased()
        if sourceMode {
            var field = source.field(lower)
            if lower == "rank" {
                guard search != nil else {
                    throw error("'rank' exists only after a 'search' stage", span, hint: "add | search \"words\" before using rank")
                }
                field = Self.rankField
            }
            guard let f = field else {
                let names = source.fields.map(\.name) + (search != nil ? ["rank"] : [])
                let hint = EditDistance.nearest(name, among: names).map { "did you mean '\($0)'?" }
                    ?? "fields of \(source.name): \(names.joined(separator: ", "))"
                throw error("unknown field '\(name)' in \(source.name)", span, hint: hint)
            }
            if base { return TypedExpression(.field(f), f.type) }
            return TypedExpression(.column(baseColumn(f)), f.type)
        }
        if let c = columns.first(where: { $0.name.lowercased() == lower }) {
            return TypedExpression(.column(c.sqlName), c.type)
        }
        let available = columns.map(\.name)
        if source.field(lower) != nil {
            throw error("field '\(name)' is not available after '\(reshapedBy)'", span,
                        hint: "available here: \(available.joined(separator: ", ")); keep it by listing it in the earlier stage")
        }
        let hint = EditDistance.nearest(name, among: available).map { "did you mean '\($0)'?" }
            ?? "available here: \(available.joined(separator: ", "))"
        throw error("unknown column '\(name)'", span, hint: hint)
    }

    // MARK: expressions

    struct Context {
        /// Names resolve to catalog fields (base filter) rather than relation columns.
        var base: Bool
        /// Aggregate calls are allowed (aggregate items, pivot values).
        var aggregates = false
        /// Group keys by name: the only names allowed outside an aggregate call.
        var keys: [String: TypedExpression]? = nil
        /// Inside an aggregate call's argument.
        var insideAggregate = false
    }

    mutating func condition(_ e: ExpressionNode, base: Bool) throws -> TypedExpression {
        let t = try typed(e, Context(base: base))
        guard t.type == .boolean || t.type == .null else {
            throw error("'where' needs a condition, but this is \(article(t.type))", e.span,
                        hint: "compare it: for example dataset = \"pets\" or alignment > 0.2")
        }
        return t
    }

    func article(_ t: ValueType) -> String {
        switch t {
        case .integer: return "an integer"
        case .real: return "a real number"
        case .text: return "text"
        case .boolean: return "a condition"
        case .null: return "null"
        }
    }

    func containsAggregate(_ t: TypedExpression) -> Bool {
        switch t.kind {
        case .aggregate: return true
        case .value, .field, .column: return false
        case .unary(_, let a), .isNull(let a, _): return containsAggregate(a)
        case .binary(_, let a, let b), .like(let a, let b, _): return containsAggregate(a) || containsAggregate(b)
        case .function(_, let args): return args.contains(where: containsAggregate)
        case .rollupAggregate: return true
        case .inList(let a, let l, _): return containsAggregate(a) || l.contains(where: containsAggregate)
        case .between(let a, let b, let c, _): return containsAggregate(a) || containsAggregate(b) || containsAggregate(c)
        }
    }

    mutating func typed(_ e: ExpressionNode, _ ctx: Context) throws -> TypedExpression {
        switch e.kind {
        case .literal(let l):
            switch l {
            case .string(let s): return TypedExpression(.value(.text(s)), .text)
            case .integer(let i): return TypedExpression(.value(.integer(i)), .integer)
            case .real(let r): return TypedExpression(.value(.real(r)), .real)
            case .boolean(let b): return TypedExpression(.value(.integer(b ? 1 : 0)), .boolean)
            case .null: return TypedExpression(.value(.null), .null)
            }
        case .name(let n):
            if let keys = ctx.keys, !ctx.insideAggregate {
                if let k = keys[n.lowercased()] { return k }
                // Resolve first so an unknown name gets the unknown-name message.
                _ = try resolve(n, span: e.span, base: ctx.base)
                throw error("'\(n)' must be inside an aggregate (count, sum, mean, min, max, stddev, median) or listed in 'group by'", e.span,
                            hint: keys.isEmpty ? "for example: aggregate score = mean(\(n))" : "group keys here: \(keys.keys.sorted().joined(separator: ", "))")
            }
            return try resolve(n, span: e.span, base: ctx.base)
        case .unary(let op, let a):
            let t = try typed(a, ctx)
            switch op {
            case .negate:
                guard t.type.isNumeric else { throw error("'-' needs a number, but this is \(article(t.type))", a.span) }
                return TypedExpression(.unary(op, t), t.type == .null ? .integer : t.type)
            case .not:
                guard t.type == .boolean || t.type == .null else {
                    throw error("'not' needs a condition, but this is \(article(t.type))", a.span)
                }
                return TypedExpression(.unary(op, t), .boolean)
            }
        case .binary(let op, let a, let b):
            let l = try typed(a, ctx), r = try typed(b, ctx)
            switch op {
            case .and, .or:
                for (t, x) in [(l, a), (r, b)] where t.type != .boolean && t.type != .null {
                    throw error("'\(op.rawValue)' needs conditions on both sides, but this is \(article(t.type))", x.span,
                                hint: "compare it: for example kind = \"differential\"")
                }
                return TypedExpression(.binary(op, l, r), .boolean)
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
                if op == .equal || op == .notEqual {
                    if case .value(.null) = r.kind { throw error("'\(op.rawValue) null' is never true", e.span, hint: "use 'is \(op == .equal ? "" : "not ")null'") }
                    if case .value(.null) = l.kind { throw error("'null \(op.rawValue)' is never true", e.span, hint: "use 'is \(op == .equal ? "" : "not ")null'") }
                }
                guard l.type.isCompatible(with: r.type) else {
                    throw error("cannot compare \(article(l.type)) with \(article(r.type))", e.span,
                                hint: l.type == .text || r.type == .text ? "put text values in double quotes" : nil)
                }
                return TypedExpression(.binary(op, l, r), .boolean)
            case .add, .subtract, .multiply, .divide, .remainder:
                for (t, x) in [(l, a), (r, b)] where !t.type.isNumeric {
                    throw error("'\(op.rawValue)' needs numbers, but this is \(article(t.type))", x.span,
                                hint: t.type == .text ? "text cannot be used in arithmetic; length(text) gives its length" : nil)
                }
                let type: ValueType = op == .divide ? .real : (op == .remainder ? .integer : l.type.widened(with: r.type))
                if op == .remainder && (l.type == .real || r.type == .real) {
                    throw error("'%' needs integers", e.span)
                }
                return TypedExpression(.binary(op, l, r), type == .null ? .integer : type)
            }
        case .call(let name, let args, let nameSpan):
            return try call(name, args, nameSpan: nameSpan, span: e.span, ctx)
        case .inList(let a, let list, let negated):
            let l = try typed(a, ctx)
            var items: [TypedExpression] = []
            for x in list {
                let t = try typed(x, ctx)
                guard l.type.isCompatible(with: t.type) else {
                    throw error("list item is \(article(t.type)) but the value tested is \(article(l.type))", x.span)
                }
                items.append(t)
            }
            return TypedExpression(.inList(l, items, negated: negated), .boolean)
        case .between(let a, let lo, let hi, let negated):
            let x = try typed(a, ctx), l = try typed(lo, ctx), h = try typed(hi, ctx)
            for (t, s) in [(l, lo), (h, hi)] where !x.type.isCompatible(with: t.type) {
                throw error("cannot compare \(article(x.type)) with \(article(t.type))", s.span)
            }
            return TypedExpression(.between(x, l, h, negated: negated), .boolean)
        case .isNull(let a, let negated):
            return TypedExpression(.isNull(try typed(a, ctx), negated: negated), .boolean)
        case .like(let a, let p, let negated):
            let x = try typed(a, ctx), pat = try typed(p, ctx)
            guard x.type == .text || x.type == .null else { throw error("'like' needs text, but this is \(article(x.type))", a.span) }
            guard pat.type == .text || pat.type == .null else { throw error("the pattern of 'like' must be text", p.span, hint: "for example: text like \"*ear*\"") }
            return TypedExpression(.like(x, pat, negated: negated), .boolean)
        }
    }

    mutating func call(_ rawName: String, _ args: [ExpressionNode], nameSpan: SourceSpan, span: SourceSpan, _ ctx: Context) throws -> TypedExpression {
        let name = rawName.lowercased()
        if let agg = TypedExpression.Aggregate(rawValue: name) {
            guard ctx.aggregates else {
                throw error("aggregate '\(name)' is not allowed here", nameSpan,
                            hint: "aggregates belong in '| aggregate …' (after 'group by') or in 'pivot … value'; filter their results with a later 'where'")
            }
            guard !ctx.insideAggregate else { throw error("aggregates cannot be nested", nameSpan) }
            var inner = ctx
            inner.insideAggregate = true
            if agg == .count {
                guard args.count <= 1 else { throw error("count takes at most one argument", span) }
                let t = try args.first.map { try typed($0, inner) }
                return TypedExpression(.aggregate(agg, t), .integer)
            }
            guard args.count == 1 else { throw error("\(name) takes one argument, got \(args.count)", span, hint: "for example: \(name)(alignment)") }
            let t = try typed(args[0], inner)
            switch agg {
            case .min, .max:
                return TypedExpression(.aggregate(agg, t), t.type)
            default:
                guard t.type.isNumeric else { throw error("\(name) needs numbers, but this is \(article(t.type))", args[0].span) }
                let type: ValueType = agg == .sum ? (t.type == .real ? .real : .integer) : .real
                return TypedExpression(.aggregate(agg, t), type)
            }
        }
        guard let fn = TypedExpression.Function(rawValue: name) else {
            let all = TypedExpression.Function.allCases.map(\.rawValue) + TypedExpression.Aggregate.allCases.map(\.rawValue)
            let hint = EditDistance.nearest(name, among: all).map { "did you mean '\($0)'?" } ?? "functions: \(all.joined(separator: ", "))"
            throw error("unknown function '\(rawName)'", nameSpan, hint: hint)
        }
        let typedArgs = try args.map { try typed($0, ctx) }
        func arity(_ range: ClosedRange<Int>) throws {
            guard range.contains(args.count) else {
                let want = range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
                throw error("\(name) takes \(want) argument\(range.upperBound == 1 ? "" : "s"), got \(args.count)", span)
            }
        }
        func want(_ i: Int, _ ok: (ValueType) -> Bool, _ what: String) throws {
            guard ok(typedArgs[i].type) else { throw error("\(name) needs \(what), but this is \(article(typedArgs[i].type))", args[i].span) }
        }
        let isText: (ValueType) -> Bool = { $0 == .text || $0 == .null }
        switch fn {
        case .lower, .upper:
            try arity(1...1); try want(0, isText, "text")
            return TypedExpression(.function(fn, typedArgs), .text)
        case .length:
            try arity(1...1); try want(0, isText, "text")
            return TypedExpression(.function(fn, typedArgs), .integer)
        case .contains:
            try arity(2...2); try want(0, isText, "text"); try want(1, isText, "text")
            return TypedExpression(.function(fn, typedArgs), .boolean)
        case .coalesce:
            guard args.count >= 2 else { throw error("coalesce takes two or more arguments, got \(args.count)", span) }
            var type = typedArgs[0].type
            for (i, t) in typedArgs.enumerated().dropFirst() {
                guard type.isCompatible(with: t.type) else { throw error("coalesce mixes \(article(type)) and \(article(t.type))", args[i].span) }
                type = type.widened(with: t.type)
            }
            return TypedExpression(.function(fn, typedArgs), type)
        case .round:
            try arity(1...2); try want(0, { $0.isNumeric }, "a number")
            if args.count == 2 { try want(1, { $0 == .integer }, "an integer number of digits") }
            return TypedExpression(.function(fn, typedArgs), .real)
        case .abs:
            try arity(1...1); try want(0, { $0.isNumeric }, "a number")
            return TypedExpression(.function(fn, typedArgs), typedArgs[0].type == .null ? .integer : typedArgs[0].type)
        }
    }
}
