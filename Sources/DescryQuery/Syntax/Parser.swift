import DescryStore

/// Recursive-descent parser from tokens to a `Query`. Precedence, loosest first:
/// `or`, `and`, `not`, comparisons (`= != < <= > >= in between like is`), `+ -`, `* / %`,
/// unary `-`. Nesting is bounded by `maxDepth`, so hostile input gets an error instead of
/// exhausting the stack.
public struct Parser {
    /// The deepest expression tree accepted (parentheses, operators and calls all count).
    public static let maxDepth = 128

    /// Words that start a stage.
    public static let stageKeywords = ["where", "search", "group", "aggregate", "sort", "top", "show", "pivot"]
    /// Words reserved inside expressions.
    static let reserved: Set<String> = ["and", "or", "not", "in", "between", "like", "is", "null", "true", "false"]

    private let source: String
    private let tokens: [Token]
    private var position = 0
    private var nesting = 0

    /// Lexes `source` and prepares to parse it.
    public init(_ source: String) throws {
        self.source = source
        self.tokens = try Lexer(source).tokenize()
    }

    /// Parses text into a query.
    public static func parse(_ source: String) throws -> Query {
        var p = try Parser(source)
        return try p.parseQuery()
    }

    private var current: Token { tokens[position] }
    private var previous: Token { tokens[max(0, position - 1)] }
    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    private func error(_ message: String, at span: SourceSpan? = nil, hint: String? = nil) -> QueryError {
        QueryError(.syntax, message, at: span ?? current.span, hint: hint, source: source)
    }

    private func unexpected(expected: String, hint: String? = nil) -> QueryError {
        error("expected \(expected), found \(current.kind.display)", hint: hint)
    }

    /// `query = source { "|" stage } [ ";" ]`.
    public mutating func parseQuery() throws -> Query {
        guard case .identifier(let name) = current.kind else {
            throw unexpected(expected: "a source name", hint: "a query starts with a source: descriptions, pairs, classes, images, scores, runs, audits, …")
        }
        let sourceSpan = current.span
        advance()
        var stages: [Stage] = []
        while current.isSymbol("|") {
            advance()
            stages.append(try parseStage())
        }
        if current.isSymbol(";") { advance() }
        guard current.kind == .end else {
            if stages.isEmpty, case .identifier(let w) = current.kind, Self.stageKeywords.contains(w.lowercased()) {
                throw unexpected(expected: "'|' or end of query", hint: "stages are separated by '|': \(name) | \(w) …")
            }
            throw unexpected(expected: "'|' or end of query")
        }
        return Query(source: name, sourceSpan: sourceSpan, stages: stages, text: source)
    }

    private mutating func parseStage() throws -> Stage {
        guard case .identifier(let raw) = current.kind else {
            throw unexpected(expected: "a stage (\(Self.stageKeywords.joined(separator: ", ")))")
        }
        let word = raw.lowercased()
        let keyword = current.span
        let start = keyword.start
        advance()
        let kind: Stage.Kind
        switch word {
        case "where":
            kind = .filter(try parseExpression())
        case "search":
            guard case .string(let text) = current.kind else {
                throw unexpected(expected: "a string after 'search'", hint: "search takes an FTS5 query in quotes: search \"ear OR ears\"")
            }
            kind = .search(text, current.span)
            advance()
        case "group":
            guard current.isWord("by") else { throw unexpected(expected: "'by' after 'group'") }
            advance()
            kind = .group(try commaList { try $0.parseItem() })
        case "aggregate":
            kind = .aggregate(try commaList { try $0.parseItem() })
        case "sort":
            kind = .sort(try commaList { p in
                let e = try p.parseExpression()
                var desc = false
                if p.current.isWord("desc") { desc = true; p.advance() } else if p.current.isWord("asc") { p.advance() }
                return Stage.SortKey(expression: e, descending: desc)
            })
        case "top":
            guard case .integer(let n) = current.kind else {
                throw unexpected(expected: "a row count after 'top'", hint: "for example: top 10, or top 3 per vlm")
            }
            let countSpan = current.span
            advance()
            var per: ExpressionNode?
            if current.isWord("per") {
                advance()
                per = try parseExpression()
            }
            kind = .top(n, countSpan: countSpan, per: per)
        case "show":
            kind = .show(try commaList { try $0.parseItem() })
        case "pivot":
            let rows = try parseExpression()
            guard current.isWord("by") else { throw unexpected(expected: "'by' in 'pivot ROWS by COLUMNS value AGGREGATE'") }
            advance()
            let columns = try parseExpression()
            guard current.isWord("value") else { throw unexpected(expected: "'value' in 'pivot ROWS by COLUMNS value AGGREGATE'") }
            advance()
            kind = .pivot(rows: rows, columns: columns, value: try parseExpression())
        default:
            let hint = EditDistance.nearest(word, among: Self.stageKeywords).map { "did you mean '\($0)'?" }
                ?? "stages are \(Self.stageKeywords.joined(separator: ", "))"
            throw error("unknown stage '\(raw)'", at: keyword, hint: hint)
        }
        return Stage(kind, span: SourceSpan(start: start, end: previous.span.end), keywordSpan: keyword)
    }

    private mutating func commaList<T>(_ element: (inout Parser) throws -> T) throws -> [T] {
        var out = [try element(&self)]
        while current.isSymbol(",") {
            advance()
            out.append(try element(&self))
        }
        return out
    }

    /// `item = [ name "=" ] expression`.
    private mutating func parseItem() throws -> Stage.Item {
        if case .identifier(let name) = current.kind, !Self.reserved.contains(name.lowercased()),
           position + 1 < tokens.count, tokens[position + 1].isSymbol("=") {
            let span = current.span
            advance(); advance()
            return Stage.Item(alias: (name, span), expression: try parseExpression())
        }
        return Stage.Item(alias: nil, expression: try parseExpression())
    }

    /// Counts one level of nesting; refuses past `maxDepth`.
    private mutating func enter() throws {
        nesting += 1
        if nesting > Self.maxDepth {
            throw error("expression is nested too deeply (more than \(Self.maxDepth) levels)",
                        hint: "split the condition into several 'where' stages")
        }
    }

    private func checkDepth(_ e: ExpressionNode) throws -> ExpressionNode {
        if e.depth > Self.maxDepth {
            throw error("expression is nested too deeply (more than \(Self.maxDepth) levels)", at: e.span,
                        hint: "split the condition into several 'where' stages, or use 'in [ … ]' for long lists of alternatives")
        }
        return e
    }

    /// `expression = or`.
    public mutating func parseExpression() throws -> ExpressionNode {
        try enter()
        defer { nesting -= 1 }
        return try parseOr()
    }

    private mutating func parseOr() throws -> ExpressionNode {
        var left = try parseAnd()
        while current.isWord("or") {
            advance()
            let right = try parseAnd()
            left = try checkDepth(ExpressionNode(.binary(.or, left, right), span: left.span.union(right.span)))
        }
        return left
    }

    private mutating func parseAnd() throws -> ExpressionNode {
        var left = try parseNot()
        while current.isWord("and") {
            advance()
            let right = try parseNot()
            left = try checkDepth(ExpressionNode(.binary(.and, left, right), span: left.span.union(right.span)))
        }
        return left
    }

    private mutating func parseNot() throws -> ExpressionNode {
        if current.isWord("not") {
            let start = current.span
            advance()
            try enter()
            defer { nesting -= 1 }
            let operand = try parseNot()
            return try checkDepth(ExpressionNode(.unary(.not, operand), span: start.union(operand.span)))
        }
        return try parseComparison()
    }

    private static let comparisonOperators: [String: ExpressionNode.BinaryOperator] = [
        "=": .equal, "!=": .notEqual, "<": .less, "<=": .lessEqual, ">": .greater, ">=": .greaterEqual,
    ]

    private mutating func parseComparison() throws -> ExpressionNode {
        let left = try parseAdditive()
        if case .symbol(let s) = current.kind, let op = Self.comparisonOperators[s] {
            advance()
            let right = try parseAdditive()
            return try noChainedComparison(try checkDepth(ExpressionNode(.binary(op, left, right), span: left.span.union(right.span))))
        }
        var negated = false
        if current.isWord("not"), position + 1 < tokens.count,
           tokens[position + 1].isWord("in") || tokens[position + 1].isWord("between") || tokens[position + 1].isWord("like") {
            negated = true
            advance()
        }
        if current.isWord("in") {
            advance()
            guard current.isSymbol("[") || current.isSymbol("(") else {
                throw unexpected(expected: "'[' after 'in'", hint: "write a list: in [\"colour\", \"shape\"]")
            }
            let close = current.isSymbol("[") ? "]" : ")"
            advance()
            var items: [ExpressionNode] = []
            if !current.isSymbol(close) {
                items = try commaList { try $0.parseAdditive() }
            }
            guard current.isSymbol(close) else { throw unexpected(expected: "',' or '\(close)' in the list") }
            let end = current.span
            advance()
            return try noChainedComparison(try checkDepth(ExpressionNode(.inList(left, items, negated: negated), span: left.span.union(end))))
        }
        if current.isWord("between") {
            advance()
            let low = try parseAdditive()
            guard current.isWord("and") else { throw unexpected(expected: "'and' in 'between LOW and HIGH'") }
            advance()
            let high = try parseAdditive()
            return try noChainedComparison(try checkDepth(ExpressionNode(.between(left, low, high, negated: negated), span: left.span.union(high.span))))
        }
        if current.isWord("like") {
            advance()
            let pattern = try parseAdditive()
            return try noChainedComparison(try checkDepth(ExpressionNode(.like(left, pattern, negated: negated), span: left.span.union(pattern.span))))
        }
        if negated { throw unexpected(expected: "'in', 'between' or 'like' after 'not'") }
        if current.isWord("is") {
            advance()
            var neg = false
            if current.isWord("not") { neg = true; advance() }
            guard current.isWord("null") else { throw unexpected(expected: "'null' after 'is'", hint: "use '=' to compare values; 'is' only tests for null") }
            let end = current.span
            advance()
            return try noChainedComparison(try checkDepth(ExpressionNode(.isNull(left, negated: neg), span: left.span.union(end))))
        }
        return left
    }

    /// `a < b < c` reads like maths but means something else in SQL; refuse it.
    private func noChainedComparison(_ e: ExpressionNode) throws -> ExpressionNode {
        if case .symbol(let s) = current.kind, Self.comparisonOperators[s] != nil {
            throw error("comparisons cannot be chained", hint: "write 'a < b and b < c', or use 'between'")
        }
        if current.isWord("in") || current.isWord("between") || current.isWord("like") || current.isWord("is") {
            throw error("comparisons cannot be chained", hint: "join the conditions with 'and'")
        }
        return e
    }

    private mutating func parseAdditive() throws -> ExpressionNode {
        var left = try parseMultiplicative()
        while true {
            let op: ExpressionNode.BinaryOperator
            if current.isSymbol("+") { op = .add } else if current.isSymbol("-") { op = .subtract } else { break }
            advance()
            let right = try parseMultiplicative()
            left = try checkDepth(ExpressionNode(.binary(op, left, right), span: left.span.union(right.span)))
        }
        return left
    }

    private mutating func parseMultiplicative() throws -> ExpressionNode {
        var left = try parseUnary()
        while true {
            let op: ExpressionNode.BinaryOperator
            if current.isSymbol("*") { op = .multiply } else if current.isSymbol("/") { op = .divide } else if current.isSymbol("%") { op = .remainder } else { break }
            advance()
            let right = try parseUnary()
            left = try checkDepth(ExpressionNode(.binary(op, left, right), span: left.span.union(right.span)))
        }
        return left
    }

    private mutating func parseUnary() throws -> ExpressionNode {
        if current.isSymbol("-") {
            let start = current.span
            advance()
            try enter()
            defer { nesting -= 1 }
            let operand = try parseUnary()
            return try checkDepth(ExpressionNode(.unary(.negate, operand), span: start.union(operand.span)))
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws -> ExpressionNode {
        let token = current
        switch token.kind {
        case .integer(let v): advance(); return ExpressionNode(.literal(.integer(v)), span: token.span)
        case .real(let v): advance(); return ExpressionNode(.literal(.real(v)), span: token.span)
        case .string(let s): advance(); return ExpressionNode(.literal(.string(s)), span: token.span)
        case .symbol("("):
            advance()
            let inner = try parseExpression()
            guard current.isSymbol(")") else { throw unexpected(expected: "')'", hint: "the '(' at column \(QueryError.position(of: token.span.start, in: source).column) is not closed") }
            advance()
            return inner
        case .identifier(let name):
            let lower = name.lowercased()
            switch lower {
            case "true", "false":
                advance()
                return ExpressionNode(.literal(.boolean(lower == "true")), span: token.span)
            case "null":
                advance()
                return ExpressionNode(.literal(.null), span: token.span)
            default:
                if Self.reserved.contains(lower) {
                    throw unexpected(expected: "a value, a field or '('", hint: "'\(name)' is a reserved word")
                }
            }
            advance()
            if current.isSymbol("(") {
                advance()
                try enter()
                defer { nesting -= 1 }
                var args: [ExpressionNode] = []
                if !current.isSymbol(")") {
                    args = try commaList { try $0.parseExpression() }
                }
                guard current.isSymbol(")") else { throw unexpected(expected: "',' or ')' in the call to \(name)") }
                let end = current.span
                advance()
                return try checkDepth(ExpressionNode(.call(name, args, nameSpan: token.span), span: token.span.union(end)))
            }
            return ExpressionNode(.name(name), span: token.span)
        case .end:
            throw unexpected(expected: "a value, a field or '('", hint: "the query ends too early")
        default:
            throw unexpected(expected: "a value, a field or '('")
        }
    }
}
