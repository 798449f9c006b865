import XCTest
@testable import DescryQuery

final class CheckerTests: XCTestCase {
    func plan(_ s: String) throws -> Plan { try Checker().check(try Parser.parse(s)) }

    func fails(_ s: String, _ fragment: String, at start: Int? = nil, hint: String? = nil, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try plan(s), s, file: file, line: line) { e in
            let q = e as! QueryError
            XCTAssertEqual(q.phase, .check, file: file, line: line)
            XCTAssertTrue(q.message.contains(fragment), "'\(q.message)' lacks '\(fragment)'", file: file, line: line)
            if let start { XCTAssertEqual(q.span?.start, start, q.message, file: file, line: line) }
            if let hint { XCTAssertTrue(q.hint?.contains(hint) ?? false, "hint '\(q.hint ?? "nil")' lacks '\(hint)'", file: file, line: line) }
        }
    }

    func testNamesResolveWithSuggestions() {
        fails("descriptons | top 1", "unknown source 'descriptons'", at: 0, hint: "did you mean 'descriptions'?")
        fails("descriptions | where atribute = \"colour\"", "unknown field 'atribute' in descriptions", at: 21, hint: "did you mean 'attribute'?")
        fails("pairs | sort confusoin desc", "unknown field", hint: "did you mean 'confusion'?")
        fails("descriptions | where lowr(text) = \"a\"", "unknown function 'lowr'", hint: "did you mean 'lower'?")
        fails("descriptions | group by attribute | aggregate n = count() | show text", "not available after 'group by'", hint: "available here: attribute, n")
        fails("descriptions | group by attribute | aggregate n = count() | sort nn", "unknown column 'nn'", hint: "did you mean 'n'?")
        fails("descriptions | where rank < 1", "'rank' exists only after a 'search'")
    }

    func testTypes() {
        fails("descriptions | where dataset = 3", "cannot compare text with an integer", hint: "double quotes")
        fails("descriptions | where dataset", "'where' needs a condition, but this is text")
        fails("descriptions | where alignment + text > 1", "'+' needs numbers, but this is text")
        fails("descriptions | where id % 1.5 = 0", "'%' needs integers")
        fails("descriptions | where attribute = null", "never true", hint: "is null")
        fails("descriptions | where kind in [\"class\", 2]", "list item is an integer")
        fails("descriptions | where id like \"1*\"", "'like' needs text")
        fails("descriptions | where length(id) > 3", "length needs text")
        fails("descriptions | where round(alignment, 1.5) > 0", "an integer number of digits")
        fails("descriptions | where contains(text) ", "contains takes 2 arguments, got 1")
        fails("descriptions | where not id", "'not' needs a condition")
        fails("descriptions | where id = 1 and text", "'and' needs conditions on both sides")
    }

    func testAggregateRules() {
        fails("descriptions | where count() > 1", "aggregate 'count' is not allowed here")
        fails("descriptions | show m = mean(alignment)", "aggregate 'mean' is not allowed here")
        fails("descriptions | group by attribute | aggregate t = text", "must be inside an aggregate", hint: "group keys here: attribute")
        fails("descriptions | aggregate m = mean(max(alignment))", "aggregates cannot be nested")
        fails("descriptions | aggregate m = mean(text)", "mean needs numbers")
        fails("descriptions | aggregate n = count(), n = sum(id)", "two columns are named 'n'")
        fails("descriptions | pivot attribute by vlm value lift", "must be inside an aggregate")
        fails("descriptions | pivot attribute by vlm value 1", "must be an aggregate")
        fails("descriptions | pivot attribute by vlm value mean(lift) | top 3", "'pivot' must be the last stage")
        fails("pairs | search \"x\"", "has no description text to search")
        fails("descriptions | sort id | search \"x\"", "must come before other stages")
        fails("descriptions | search \"a\" | search \"b\"", "only one 'search'")
    }

    func testPlanShape() throws {
        let p = try plan("descriptions | where dataset = \"pets\" | group by vlm, attribute | aggregate n = count(), score = mean(alignment) | sort score desc | top 3 per vlm")
        XCTAssertEqual(p.baseFilters.count, 1)
        XCTAssertEqual(Set(p.baseFields.map(\.1.name)), ["vlm", "attribute", "alignment"])
        XCTAssertEqual(p.output.map(\.name), ["vlm", "attribute", "n", "score"])
        XCTAssertEqual(p.output.map(\.type), [.text, .text, .integer, .real])
        // Defaults: a source-mode query shows the source's default fields (+ sorted fields, + rank when searching).
        let d = try plan("pairs | sort confusion desc | top 2")
        XCTAssertEqual(d.output.map(\.name), ["id", "dataset", "class_a", "class_b", "vlm", "n_descriptions", "confusion"])
        let s = try plan("descriptions | search \"ear\" | top 20")
        XCTAssertEqual(s.searchLimit, 20, "a bare search | top pushes the limit into FTS5")
        XCTAssertEqual(s.output.last?.name, "rank")
        XCTAssertNil(try plan("descriptions | search \"ear\" | where dataset = \"pets\" | top 20").searchLimit)
        XCTAssertNil(try plan("descriptions | search \"ear\" | top 20 | show vlm, text").searchLimit, "the scores join multiplies rows")
        XCTAssertEqual(try plan("descriptions | search \"ear\" | show class, text | top 5").searchLimit, 5)
    }

    func testRenderedErrorHasLineColumnCaretAndHint() {
        let text = "descriptions\n| where atribute = \"colour\"\n| top 5"
        XCTAssertThrowsError(try plan(text)) { e in
            let q = e as! QueryError
            XCTAssertEqual(q.line, 2)
            XCTAssertEqual(q.column, 9)
            XCTAssertEqual(q.rendered(), """
            error: unknown field 'atribute' in descriptions
             --> line 2, column 9
              |
            2 | | where atribute = "colour"
              |         ^^^^^^^^
              = hint: did you mean 'attribute'?
            """)
        }
    }
}
