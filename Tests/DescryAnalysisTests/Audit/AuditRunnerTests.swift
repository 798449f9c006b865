import DescryStore
import XCTest
@testable import DescryAnalysis

final class AuditRunnerTests: XCTestCase {
    func testEveryDemoDescriptionGetsAStoredVerdictWithAReason() throws {
        let f = try DemoFixture()
        let summary = try AuditRunner(store: f.store, auditor: RuleAuditorTests.auditor).run(dataset: "demo")
        let total = try f.store.database.scalar(Int.self, "SELECT count(*) FROM descriptions")
        XCTAssertEqual(summary.byVerdict.values.reduce(0, +), total)
        // 14 spurious class sentences and 8 templates; one or two non-visual sentences per class.
        XCTAssertEqual(summary.byVerdict["spurious"], 14 + 8)
        XCTAssertEqual(try f.store.database.scalar(Int.self, "SELECT count(*) FROM audits WHERE method = 'rules' AND (rationale IS NULL OR rationale = '')"), 0)
        XCTAssertEqual(summary.byVerdict["non-visual"], try f.store.database.scalar(Int.self, """
            SELECT count(*) FROM descriptions WHERE kind = 'class' AND (text LIKE '%collectors%' OR text LIKE '%described%' OR text LIKE '%sound%'
              OR text LIKE '%sold%' OR text LIKE '%named%' OR text LIKE '%found%' OR text LIKE '%lives%' OR text LIKE '%eaten%' OR text LIKE '%used%' OR text LIKE '%price%' OR text LIKE '%market%')
            """))
    }

    func testContentCheckFlagsNameDrivenDescriptions() throws {
        let f = try DemoFixture()
        // Content scores by hand: one description collapses without its name, one does not.
        let vlmID = try f.store.vlms.id(named: f.vlm)
        let ids = try f.store.database.rows("SELECT id FROM descriptions WHERE kind = 'class' ORDER BY id LIMIT 2").map { try $0.int64("id") }
        try f.store.database.execute("INSERT INTO scores(vlm_id, description_id, alignment, lift, content, n_images) VALUES (?, ?, 0.30, 0, 0.10, 6)", [vlmID, ids[0]])
        try f.store.database.execute("INSERT INTO scores(vlm_id, description_id, alignment, lift, content, n_images) VALUES (?, ?, 0.30, 0, 0.29, 6)", [vlmID, ids[1]])
        let s = try AuditRunner(store: f.store, auditor: RuleAuditorTests.auditor).run(dataset: "demo", vlm: f.vlm, contentDrop: 0.05)
        XCTAssertEqual(s.nameDriven, 1)
        XCTAssertEqual(s.contentChecked, 2)
        let v = try f.store.database.rows("SELECT verdict, score FROM audits WHERE method = 'content:fake-vlm' ORDER BY description_id")
        XCTAssertEqual(try v.map { try $0.string("verdict") }, ["name-driven", "content-bearing"])
        XCTAssertEqual(try v[0].double("score"), 0.2, accuracy: 1e-9)
    }

    /// Both of the runner's writers go through `store.audits.upsert`: a re-run replaces each
    /// method's verdicts (verdict, reason and score), leaves other methods' alone, and a
    /// description no longer scored loses its content verdict.
    func testReRunsReplaceTheirOwnVerdictsOnly() throws {
        let f = try DemoFixture()
        let vlmID = try f.store.vlms.id(named: f.vlm)
        let ids = try f.store.database.rows("SELECT id FROM descriptions WHERE kind = 'class' ORDER BY id LIMIT 2").map { try $0.int64("id") }
        try f.store.scores.save([ScoreRecord(vlmID: vlmID, descriptionID: ids[0], alignment: 0.30, lift: 0, content: 0.10, images: 6),
                                 ScoreRecord(vlmID: vlmID, descriptionID: ids[1], alignment: 0.30, lift: 0, content: 0.29, images: 6)])
        // A verdict of another writer (an LLM judge) on the same description.
        try f.store.audits.upsert(AuditRecord(descriptionID: ids[0], method: "judge", verdict: "keep", rationale: "fine", score: 0.9))
        let runner = AuditRunner(store: f.store, auditor: RuleAuditorTests.auditor)
        _ = try runner.run(dataset: "demo", vlm: f.vlm, contentDrop: 0.05)
        let rulesBefore = try f.store.audits.verdicts(descriptionID: ids[0]).first { $0.method == "rules" }

        // Change the scores: the first description is now content-bearing, the second unscored.
        try f.store.database.execute("DELETE FROM scores WHERE description_id = ?", [ids[1]])
        try f.store.scores.save([ScoreRecord(vlmID: vlmID, descriptionID: ids[0], alignment: 0.30, lift: 0, content: 0.28, images: 6)])
        let s = try runner.run(dataset: "demo", vlm: f.vlm, contentDrop: 0.05)
        XCTAssertEqual(s.contentChecked, 1)
        XCTAssertEqual(s.nameDriven, 0)

        let first = try f.store.audits.verdicts(descriptionID: ids[0])
        XCTAssertEqual(first.map(\.method), ["content:fake-vlm", "judge", "rules"], "one row per method")
        let content = try XCTUnwrap(first.first { $0.method == "content:fake-vlm" })
        XCTAssertEqual(content.verdict, "content-bearing")
        XCTAssertEqual(try XCTUnwrap(content.score), 0.02, accuracy: 1e-9, "the score is the new drop")
        XCTAssertEqual(content.rationale, "alignment 0.3000, without the class name 0.2800 (drop 0.0200, threshold 0.0500)")
        let judge = try XCTUnwrap(first.first { $0.method == "judge" })
        XCTAssertEqual(judge.verdict, "keep")
        XCTAssertEqual(judge.score, 0.9, "another writer's verdict is untouched")
        let rules = try XCTUnwrap(first.first { $0.method == "rules" })
        XCTAssertEqual(rules.verdict, rulesBefore?.verdict)
        XCTAssertNil(rules.score)
        XCTAssertEqual(try f.store.audits.verdicts(descriptionID: ids[1]).map(\.method), ["rules"], "no score now, no content verdict")
        XCTAssertEqual(try f.store.database.scalar(Int.self, "SELECT count(*) FROM audits WHERE method = 'rules'"),
                       try f.store.database.scalar(Int.self, "SELECT count(*) FROM descriptions"), "re-running the rules adds no rows")
    }

    func testAnUnknownVLMWritesNothing() throws {
        let f = try DemoFixture()
        XCTAssertThrowsError(try AuditRunner(store: f.store, auditor: RuleAuditorTests.auditor).run(dataset: "demo", vlm: "nope")) { e in
            XCTAssertTrue("\(e)".contains("unknown VLM 'nope'"), "\(e)")
        }
        XCTAssertEqual(try f.store.database.scalar(Int.self, "SELECT count(*) FROM audits"), 0, "the rules' verdicts were rolled back too")
    }
}
