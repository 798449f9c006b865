import DescryStore
import XCTest
@testable import DescryQuery

/// Aggregates over scores read the score rollup when it is fresh and give the same rows as
/// the plain query; a stale rollup is never used.
final class RollupPlannerTests: XCTestCase {
    let qualifying = [
        "descriptions | group by vlm, attribute | aggregate score = mean(alignment)",
        "descriptions | where dataset = \"mini\" | group by vlm, category, attribute | aggregate n = count(), score = mean(alignment), spread = stddev(alignment) | sort score desc | top 3 per vlm",
        "scores | where kind = \"differential\" and attribute in [\"shape\", \"colour\"] | group by vlm | aggregate n = count(lift), s = sum(lift), lo = min(alignment), hi = max(alignment), m = round(mean(margin) * 100, 3)",
        "descriptions | where vlm = \"siglip\" | aggregate n = count(), s = stddev(lift)",
        "scores | group by lower(vlm), category | aggregate x = mean(content)",
        "descriptions | where dataset = \"mini\" | pivot attribute by vlm value mean(lift)",
        "descriptions | pivot category by vlm value round(stddev(alignment) * 10, 4) + count()",
        "scores | where vlm = \"nobody\" | aggregate n = count(), c = count(lift), m = mean(lift)",
    ]
    let notQualifying = [
        "descriptions | group by attribute | aggregate n = count()",  // rows are descriptions, not scores
        "descriptions | group by vlm | aggregate m = median(alignment)",
        "descriptions | where class = \"pug\" | group by vlm | aggregate m = mean(alignment)",
        "descriptions | search \"ears\" | group by vlm | aggregate m = mean(alignment)",
        "descriptions | group by vlm | aggregate m = mean(alignment * 2)",
        "descriptions | group by vlm, text | aggregate m = mean(alignment)",
        "descriptions | pivot attribute by class value mean(lift)",
    ]

    func testQualifyingQueriesMatchThePlainPlan() throws {
        let store = try TestStore.fixture()
        let engine = try QueryEngine(store: store)
        XCTAssertFalse(try store.scores.isRollupFresh(), "new scores leave the rollup stale")
        XCTAssertTrue(try store.scores.refreshRollup())
        XCTAssertTrue(try store.scores.isRollupFresh())
        let plain = try QueryEngine(store: store)
        plain.useRollup = false
        for q in qualifying {
            let plan = try engine.plan(q)
            XCTAssertTrue(plan.usesRollup, q)
            XCTAssertTrue(try engine.explain(q).contains("score_rollup r"), q)
            let a = try engine.run(q), b = try plain.run(q)
            XCTAssertEqual(a.columns, b.columns, q)
            XCTAssertFalse(b.rows.isEmpty, q)
            if q.contains("nobody") { XCTAssertEqual(a.rows, [[.integer(0), .integer(0), .null]]) }
            assertSameRows(a.rows, b.rows, q)
        }
        for q in notQualifying {
            XCTAssertFalse(try engine.plan(q).usesRollup, q)
        }
    }

    func testAStaleRollupIsNotUsedAndCanBeRefreshedByTheEngine() throws {
        let store = try TestStore.fixture()
        try store.scores.refreshRollup()
        let engine = try QueryEngine(store: store)
        let q = "descriptions | group by vlm | aggregate n = count(), m = mean(alignment)"
        let before = try engine.run(q)
        // INSERT OR REPLACE deletes without delete triggers; the flag still goes up.
        let id = try store.database.scalar("SELECT description_id FROM scores LIMIT 1").int!
        let vlm = try store.database.scalar("SELECT vlm_id FROM scores LIMIT 1").int!
        try store.database.execute("INSERT OR REPLACE INTO scores(vlm_id, description_id, alignment) VALUES (?, ?, 0.99)", [vlm, id])
        XCTAssertFalse(try store.scores.isRollupFresh())
        XCTAssertFalse(try engine.plan(q).usesRollup, "stale: read the tables")
        let after = try engine.run(q)
        XCTAssertNotEqual(before.rows, after.rows)
        engine.maintainRollup = true
        XCTAssertTrue(try engine.plan(q).usesRollup, "the engine rebuilt it")
        assertSameRows(try engine.run(q).rows, after.rows)
        // Re-categorising descriptions also makes it stale.
        try store.database.execute("UPDATE descriptions SET category = 'spurious' WHERE id = ?", [id])
        XCTAssertFalse(try store.scores.isRollupFresh())
    }
}
