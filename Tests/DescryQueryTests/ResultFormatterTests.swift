import DescryStore
import XCTest
@testable import DescryQuery

/// Table, CSV, JSON and Markdown output, with column types respected.
final class ResultFormatterTests: XCTestCase {
    func testFormatters() throws {
        let r = QueryResult(columns: [ResultColumn(name: "name", type: .text), ResultColumn(name: "n", type: .integer),
                                      ResultColumn(name: "score", type: .real), ResultColumn(name: "ok", type: .boolean)],
                            rows: [[.text("a, \"b\"|c"), .integer(12), .real(0.123456), .integer(1)],
                                   [.text("line\nbreak"), .integer(3), .null, .integer(0)]])
        XCTAssertEqual(ResultFormatter.format(r, as: .table), """
            name         n   score  ok
            ──────────  ──  ──────  ─────
            a, "b"|c    12  0.1235  true
            line⏎break   3    null  false
            (2 rows)
            """)
        XCTAssertEqual(ResultFormatter.format(r, as: .csv), "name,n,score,ok\r\n\"a, \"\"b\"\"|c\",12,0.123456,true\r\n\"line\nbreak\",3,,false\r\n")
        XCTAssertEqual(ResultFormatter.format(r, as: .json), """
            [
              {"name": "a, \\"b\\"|c", "n": 12, "score": 0.123456, "ok": true},
              {"name": "line\\nbreak", "n": 3, "score": null, "ok": false}
            ]
            """)
        XCTAssertEqual(ResultFormatter.format(r, as: .markdown), """
            | name | n | score | ok |
            | --- | ---: | ---: | --- |
            | a, "b"\\|c | 12 | 0.1235 | true |
            | line⏎break | 3 | null | false |
            """)
    }
}
