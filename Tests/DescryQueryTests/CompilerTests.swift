import DescryStore
import XCTest
@testable import DescryQuery

/// The SQL the compiler writes: one CTE per stage, joins only when needed, window functions
/// for `top … per`, FTS5 with bm25 for `search`, bindings in parameter order.
final class CompilerTests: XCTestCase {
    func compile(_ s: String) throws -> CompiledQuery { Compiler().compile(try Checker().check(try Parser.parse(s))) }

    func testOneCTEPerStageAndOnlyTheNeededJoins() throws {
        let c = try compile("descriptions | where dataset = \"pets\" | sort id desc | top 5 | show text")
        XCTAssertTrue(c.sql.hasPrefix("WITH\n  base AS (SELECT d.id AS k0, NULL AS k1"), "no scores joined, so the VLM part of the key is constant: \(c.sql)")
        XCTAssertTrue(c.sql.contains("LEFT JOIN datasets ds ON ds.id = d.dataset_id"))
        XCTAssertFalse(c.sql.contains("JOIN classes"), "class is not used")
        XCTAssertFalse(c.sql.contains("JOIN scores"), "no score field is used")
        XCTAssertTrue(c.sql.contains("s1 AS (SELECT * FROM base ORDER BY f_id DESC, k0, k1 LIMIT ?)"), c.sql)
        XCTAssertTrue(c.sql.contains("s2 AS (SELECT f_text AS c1, f_id, k0, k1 FROM s1)"), c.sql)
        XCTAssertTrue(c.sql.hasSuffix("SELECT c1 FROM s2 ORDER BY f_id DESC, k0, k1"), c.sql)
        XCTAssertEqual(c.bindings, [.text("pets"), .integer(5)])
        XCTAssertEqual(c.columns.map(\.name), ["text"])
    }

    func testTopPerUsesAWindowFunction() throws {
        let c = try compile("scores | group by vlm, attribute | aggregate m = mean(alignment) | sort m desc | top 2 per vlm")
        XCTAssertTrue(c.sql.contains("row_number() OVER (PARTITION BY g1 ORDER BY a3 DESC, g1, g2) AS rn2"), c.sql)
        XCTAssertTrue(c.sql.contains("WHERE rn2 <= ?"))
        XCTAssertTrue(c.sql.contains("avg(f_alignment) AS a3 FROM base GROUP BY 1, 2"), c.sql)
        XCTAssertTrue(c.sql.hasSuffix("ORDER BY g1, a3 DESC, g1, g2"), c.sql)
    }

    func testSearchIsAnFTS5MatchRankedByBm25() throws {
        let filtered = try compile("descriptions | where kind = \"class\" | search \"ear OR ears\" | top 3")
        XCTAssertTrue(filtered.sql.contains("FROM (SELECT rowid AS id, rank AS rank FROM descriptions_fts WHERE descriptions_fts MATCH ?) AS fts CROSS JOIN descriptions d"), filtered.sql)
        XCTAssertTrue(filtered.sql.contains("WHERE d.id = fts.id AND (d.kind = ?)"), filtered.sql)
        XCTAssertTrue(filtered.sql.contains("ORDER BY f_rank, k0, k1 LIMIT ?"), filtered.sql)
        XCTAssertEqual(filtered.bindings, [.text("ear OR ears"), .text("class"), .integer(3)])
        // Nothing between search and top: FTS5 itself keeps the best three.
        let bare = try compile("descriptions | search \"ears\" | top 3")
        XCTAssertTrue(bare.sql.contains("MATCH ? ORDER BY rank, rowid LIMIT ?) AS fts"), bare.sql)
    }

    func testExpressionsAreParenthesisedAndDivisionIsReal() throws {
        let c = try compile("descriptions | where not (id % 2 = 0 or length(text) / 2 > 10) and contains(text, \"ear\") and class is not null | show text")
        XCTAssertTrue(c.sql.contains("(NOT (((d.id % ?) = ?) OR ((CAST(length(d.text) AS REAL) / ?) > ?)))"), c.sql)
        XCTAssertTrue(c.sql.contains("(instr(d.text, ?) > 0)"), c.sql)
        XCTAssertTrue(c.sql.contains("(c.name IS NOT NULL)"), c.sql)
        XCTAssertEqual(c.bindings, [.integer(2), .integer(0), .integer(2), .integer(10), .text("ear")])
    }

    func testPivotCompilesInTwoPhases() throws {
        let plan = try Checker().check(try Parser.parse("descriptions | pivot attribute by vlm value count()"))
        let first = Compiler().compile(plan)
        XCTAssertTrue(first.isPivotDiscovery)
        XCTAssertTrue(first.sql.hasSuffix("SELECT DISTINCT f_vlm AS v FROM base ORDER BY 1 LIMIT 201"), first.sql)
        let second = Compiler().compilePivot(plan, values: [.text("a"), .null])
        XCTAssertTrue(second.sql.contains("count(CASE WHEN f_vlm IS ? THEN 1 END) AS p1, count(CASE WHEN f_vlm IS ? THEN 1 END) AS p2"), second.sql)
        XCTAssertEqual(second.bindings, [.text("a"), .null])
        XCTAssertEqual(second.columns.map(\.name), ["attribute", "a", "null"])
    }
}
