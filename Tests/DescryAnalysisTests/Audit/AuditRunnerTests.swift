import DescryStore
import XCTest
@testable import DescryAnalysis

final class AuditRunnerTests: XCTestCase {
    func testEveryDemoDescriptionGetsAStoredVerdictWithAReason() throws {
        let f = try DemoFixture()
        let summary = try AuditRunner(store: f.store, auditor: RuleAuditorTests.auditor).run(dataset: "demo")
        let total = try f.store.database.scalar("SELECT count(*) FROM descriptions").int!
        XCTAssertEqual(summary.byVerdict.values.reduce(0, +), total)
        // 14 spurious class sentences and 8 templates; one or two non-visual sentences per class.
        XCTAssertEqual(summary.byVerdict["spurious"], 14 + 8)
        XCTAssertEqual(try f.store.database.scalar("SELECT count(*) FROM audits WHERE method = 'rules' AND (rationale IS NULL OR rationale = '')").int, 0)
        XCTAssertEqual(summary.byVerdict["non-visual"], try f.store.database.scalar("""
            SELECT count(*) FROM descriptions WHERE kind = 'class' AND (text LIKE '%collectors%' OR text LIKE '%described%' OR text LIKE '%sound%'
              OR text LIKE '%sold%' OR text LIKE '%named%' OR text LIKE '%found%' OR text LIKE '%lives%' OR text LIKE '%eaten%' OR text LIKE '%used%' OR text LIKE '%price%' OR text LIKE '%market%')
            """).int)
    }

    func testContentCheckFlagsNameDrivenDescriptions() throws {
        let f = try DemoFixture()
        // Content scores by hand: one description collapses without its name, one does not.
        let vlmID = try f.store.vlmID(named: f.vlm)
        let ids = try f.store.database.rows("SELECT id FROM descriptions WHERE kind = 'class' ORDER BY id LIMIT 2").map { Int64($0[0].int!) }
        try f.store.database.execute("INSERT INTO scores(vlm_id, description_id, alignment, lift, content, n_images) VALUES (?, ?, 0.30, 0, 0.10, 6)", [vlmID, ids[0]])
        try f.store.database.execute("INSERT INTO scores(vlm_id, description_id, alignment, lift, content, n_images) VALUES (?, ?, 0.30, 0, 0.29, 6)", [vlmID, ids[1]])
        let s = try AuditRunner(store: f.store, auditor: RuleAuditorTests.auditor).run(dataset: "demo", vlm: f.vlm, contentDrop: 0.05)
        XCTAssertEqual(s.nameDriven, 1)
        XCTAssertEqual(s.contentChecked, 2)
        let v = try f.store.database.rows("SELECT verdict, score FROM audits WHERE method = 'content:fake-vlm' ORDER BY description_id")
        XCTAssertEqual(v.map { $0[0].string! }, ["name-driven", "content-bearing"])
        XCTAssertEqual(v[0][1].double!, 0.2, accuracy: 1e-9)
    }
}
