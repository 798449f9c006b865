import XCTest
@testable import DescryQuery

final class ParserTests: XCTestCase {
    /// A compact rendering of an expression tree to check precedence.
    func show(_ e: ExpressionNode) -> String {
        switch e.kind {
        case .literal(let l):
            switch l {
            case .string(let s): return "\"\(s)\""
            case .integer(let i): return "\(i)"
            case .real(let r): return "\(r)"
            case .boolean(let b): return "\(b)"
            case .null: return "null"
            }
        case .name(let n): return n
        case .unary(let op, let a): return "(\(op.rawValue) \(show(a)))"
        case .binary(let op, let a, let b): return "(\(show(a)) \(op.rawValue) \(show(b)))"
        case .call(let f, let args, _): return "\(f)(\(args.map(show).joined(separator: ", ")))"
        case .inList(let a, let l, let n): return "(\(show(a)) \(n ? "not in" : "in") [\(l.map(show).joined(separator: ", "))])"
        case .between(let a, let l, let h, let n): return "(\(show(a)) \(n ? "not between" : "between") \(show(l)) and \(show(h)))"
        case .isNull(let a, let n): return "(\(show(a)) is \(n ? "not null" : "null"))"
        case .like(let a, let p, let n): return "(\(show(a)) \(n ? "not like" : "like") \(show(p)))"
        }
    }

    func condition(_ text: String) throws -> String {
        let q = try Parser.parse("descriptions | where " + text)
        guard case .filter(let e) = q.stages[0].kind else { XCTFail("not a filter"); return "" }
        return show(e)
    }

    func testPrecedence() throws {
        XCTAssertEqual(try condition("a = 1 or b = 2 and not c = 3"), "((a = 1) or ((b = 2) and (not (c = 3))))")
        XCTAssertEqual(try condition("a + b * c - d / 2 % 3 > -x"), "(((a + (b * c)) - ((d / 2) % 3)) > (- x))")
        XCTAssertEqual(try condition("(a or b) and c"), "((a or b) and c)")
        XCTAssertEqual(try condition("x between 1 and 2 and y not in [\"a\", 'b'] or z is not null"),
                       "(((x between 1 and 2) and (y not in [\"a\", \"b\"])) or (z is not null))")
        XCTAssertEqual(try condition("text not like \"*ear*\" and lower(class) = \"pug\""), "((text not like \"*ear*\") and (lower(class) = \"pug\"))")
        XCTAssertEqual(try condition("x in []"), "(x in [])")
        XCTAssertEqual(try condition("coalesce(lift, 0.0) >= round(1.5e0, 2)"), "(coalesce(lift, 0.0) >= round(1.5, 2))")
    }

    func testStagesAndSpans() throws {
        let text = """
        descriptions
        | where dataset = "dtd"
        | group by vlm, category, attribute
        | aggregate n = count(), score = mean(alignment), spread = stddev(alignment)
        | sort score desc
        | top 3 per vlm
        """
        let q = try Parser.parse(text)
        XCTAssertEqual(q.source, "descriptions")
        XCTAssertEqual(q.stages.count, 5)
        guard case .group(let keys) = q.stages[1].kind, case .aggregate(let items) = q.stages[2].kind,
              case .sort(let sort) = q.stages[3].kind, case .top(3, _, let per?) = q.stages[4].kind else {
            return XCTFail("unexpected stages \(q.stages.map(\.kind))")
        }
        XCTAssertEqual(keys.count, 3)
        XCTAssertEqual(items.map { $0.alias?.0 }, ["n", "score", "spread"])
        XCTAssertTrue(sort[0].descending)
        XCTAssertEqual(show(per), "vlm")
        // Spans point into the text.
        let scalars = Array(text.unicodeScalars)
        let s = q.stages[0].span
        XCTAssertEqual(String(String.UnicodeScalarView(scalars[s.start..<s.end])), "where dataset = \"dtd\"")
        guard case .pivot = try Parser.parse("descriptions | pivot attribute by vlm value mean(lift);").stages[0].kind else { return XCTFail() }
    }

    func testSyntaxErrorsSayWhatWasExpected() {
        func fails(_ s: String, _ fragment: String, at start: Int? = nil, hint: String? = nil) {
            XCTAssertThrowsError(try Parser.parse(s), s) { e in
                let q = e as! QueryError
                XCTAssertTrue(q.message.contains(fragment), "'\(q.message)' lacks '\(fragment)' for \(s)")
                if let start { XCTAssertEqual(q.span?.start, start, s) }
                if let hint { XCTAssertTrue(q.hint?.contains(hint) ?? false, "hint '\(q.hint ?? "")' lacks '\(hint)'") }
            }
        }
        fails("descriptions | wher x = 1", "unknown stage 'wher'", at: 15, hint: "did you mean 'where'?")
        fails("descriptions | where (a = 1", "expected ')'", at: 27, hint: "not closed")
        fails("descriptions | where a = ", "expected a value", hint: "ends too early")
        fails("descriptions where a = 1", "expected '|' or end of query", at: 13, hint: "separated by '|'")
        fails("descriptions | top", "expected a row count")
        fails("descriptions | search ear", "expected a string after 'search'")
        fails("descriptions | where a < b < c", "cannot be chained")
        fails("descriptions | where a is 3", "expected 'null' after 'is'")
        fails("descriptions | group attribute", "expected 'by'")
        fails("descriptions | pivot a by b mean(x)", "expected 'value'")
        fails("| where a = 1", "expected a source name", at: 0)
        fails("descriptions | where and = 1", "found 'and'", hint: "reserved word")
        fails("descriptions | where f(1,", "expected a value")
    }

    func testDeepNestingIsAnErrorNotACrash() {
        for text in [
            "descriptions | where " + String(repeating: "(", count: 10_000) + "1 = 1" + String(repeating: ")", count: 10_000),
            "descriptions | where " + String(repeating: "not ", count: 10_000) + "true",
            "descriptions | where x = " + String(repeating: "-", count: 10_000) + "1",
            "descriptions | where x = " + String(repeating: "lower(", count: 10_000) + "\"a\"" + String(repeating: ")", count: 10_000),
            "descriptions | where " + Array(repeating: "a = 1", count: 10_000).joined(separator: " or "),
            "descriptions | show x = " + Array(repeating: "1", count: 10_000).joined(separator: " + "),
        ] {
            XCTAssertThrowsError(try Parser.parse(text)) { e in
                let q = e as! QueryError
                XCTAssertTrue(q.message.contains("nested too deeply"), q.message)
                XCTAssertNotNil(q.span)
            }
        }
        // Just under the bound is fine.
        let ok = "descriptions | where " + String(repeating: "(", count: 100) + "id = 1" + String(repeating: ")", count: 100)
        XCTAssertNoThrow(try Parser.parse(ok))
    }
}
