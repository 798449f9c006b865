import DescryFakes
import DescryLLM
import DescryStore
import Foundation
import XCTest

/// Best-of-N selection from stored scores or a scorer.
final class BestOfNSelectorTests: XCTestCase {
    func testKeepsTheBestAndRecordsTheRest() async throws {
        let server = try LoopbackChatServer { r in
            .completion("{\"descriptions\": [\"Candidate \(String(r.body.hashValue, radix: 36)) a.\", \"Candidate \(String(r.body.hashValue, radix: 36)) b.\"]}")
        }
        defer { server.stop() }
        let store = try TestSupport.store()
        let c = TestSupport.configuration(server)
        let prompt = try TestSupport.prompt("descriptions-cupl")
        let g = try DescriptionGenerator(store: store, dataset: "pets", configuration: c, prompt: prompt)
        let pug = try XCTUnwrap(g.classes.first { $0.name == "pug" })
        _ = try await GenerationRunner(store: store, client: try TestSupport.client(c)).run(g.jobs(perClass: 8, only: [pug]), apply: g.writer())
        XCTAssertEqual(try TestSupport.count(store, "SELECT count(*) FROM descriptions WHERE class_id = ?", [pug.id]), 8)
        let vlm = try store.write { try store.vlms.ensure(named: "clip-b32") }
        let selector = try BestOfNSelector(store: store, vlm: "clip-b32", dataset: "pets", model: "test-model", prompt: prompt)

        // No scores yet: nothing is ranked, the class is reported.
        let none = try selector.select(keep: 3)
        XCTAssertEqual(none.unscoredClasses, ["pug"])
        XCTAssertEqual(none.unscoredCandidates, 8)
        XCTAssertEqual(none.kept, 0)
        XCTAssertEqual(none.classesWithoutCandidates.count, 5)

        // Scores in the table: higher id, higher alignment.
        try store.write {
            try store.database.execute("INSERT INTO scores(vlm_id, description_id, alignment, n_images) SELECT ?, id, id / 1000.0, 3 FROM descriptions", [vlm])
        }
        let outcome = try selector.select(keep: 3)
        XCTAssertEqual(outcome.kept, 3)
        XCTAssertEqual(outcome.rejected, 5)
        let kept = try store.database.rows("SELECT description_id FROM audits WHERE method = 'best-of-n:clip-b32' AND verdict = 'kept' ORDER BY description_id").map { try $0.int("description_id") }
        let top3 = try store.database.rows("SELECT id FROM descriptions ORDER BY id DESC LIMIT 3").map { try $0.int("id") }.sorted()
        XCTAssertEqual(kept, top3)
        XCTAssertEqual(try TestSupport.count(store, "SELECT count(*) FROM audits WHERE verdict = 'rejected' AND score IS NOT NULL AND rationale LIKE 'rank %'"), 5)

        // A scorer overrides: prefer the lowest ids.
        let scored = try selector.select(keep: 2) { _, texts in texts.indices.map { -Double($0) } }
        XCTAssertEqual(scored.kept, 2)
        let keptNow = try store.database.rows("SELECT description_id FROM audits WHERE method = 'best-of-n:clip-b32' AND verdict = 'kept' ORDER BY description_id").map { try $0.int("description_id") }
        let lowest = try store.database.rows("SELECT id FROM descriptions ORDER BY id LIMIT 2").map { try $0.int("id") }
        XCTAssertEqual(keptNow, lowest, "a re-selection replaces the earlier verdicts")
    }
}
