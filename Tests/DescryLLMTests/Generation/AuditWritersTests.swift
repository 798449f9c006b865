import DescryLLM
import DescryStore
import Foundation
import XCTest

/// The judge and best-of-N write their verdicts through `store.audits.upsert`: a second
/// verdict by the same method replaces the first (verdict, rationale and score), and a
/// verdict by another method on the same description is left as it was.
final class AuditWritersTests: XCTestCase {
    /// Adds class descriptions of pug from `source`; returns their ids in order.
    func addPugDescriptions(_ store: Store, _ texts: [String], source: SourceInfo) throws -> [Int64] {
        let ds = try store.datasetID(named: "pets")
        let pug = try store.classes(ofDataset: ds)[2]
        return try store.write {
            let w = try DescriptionWriter(store: store, sourceID: try store.addSource(source).id)
            let ids = try texts.map { try w.add(NewDescription(datasetID: ds, classID: pug.id, text: $0, kind: .class)).id }
            try w.finish()
            return ids
        }
    }

    func verdict(_ store: Store, _ id: Int64, _ method: String) throws -> AuditRecord? {
        try store.audits.verdicts(descriptionID: id).first { $0.method == method }
    }

    func testJudgeVerdictReplacesTheEarlierOneAndLeavesOtherMethods() throws {
        let store = try TestSupport.store()
        let ids = try addPugDescriptions(store, ["A pug lives in city flats."], source: SourceInfo(format: "test", label: "t", contentHash: "x"))
        // An earlier judge verdict that carried a score, and a rule verdict on the same description.
        try store.audits.upsert(AuditRecord(descriptionID: ids[0], method: DescriptionJudge.method, verdict: "visual", rationale: "old", score: 0.7))
        try store.audits.upsert(AuditRecord(descriptionID: ids[0], method: "rules", verdict: "ok", rationale: "no rule fired", score: 1))

        let c = LLMConfiguration(baseURL: "http://127.0.0.1:9/v1", model: "judge-model")
        let judge = try DescriptionJudge(store: store, dataset: "pets", configuration: c, prompt: try TestSupport.prompt("judge"))
        XCTAssertEqual(try judge.items(unjudged: true), [], "the description already has a judge verdict")
        let items = try judge.items()
        XCTAssertEqual(items.map(\.id), ids)
        XCTAssertEqual(items.first?.className, "pug")
        let job = try XCTUnwrap(judge.jobs(items).first)
        let answer = try job.parse(#"{"informative": true, "attribute": "habitat", "visual": false, "rationale": "Flats are not in the photo."}"#)
        let written = try store.write { try judge.writer()(job, answer) }
        XCTAssertEqual(written.added, 1)

        let judged = try XCTUnwrap(try verdict(store, ids[0], DescriptionJudge.method))
        XCTAssertEqual(judged.verdict, "non-visual")
        XCTAssertEqual(judged.rationale, "attribute: habitat; informative: true; visual: false; Flats are not in the photo. [judge-model, judge-v1]")
        XCTAssertNil(judged.score, "the new verdict has no score, so the old one's score is gone too")
        let rules = try XCTUnwrap(try verdict(store, ids[0], "rules"))
        XCTAssertEqual([rules.verdict, rules.rationale], ["ok", "no rule fired"])
        XCTAssertEqual(rules.score, 1)
        XCTAssertEqual(try store.audits.verdicts(descriptionID: ids[0]).count, 2)
    }

    func testBestOfNReselectionReplacesVerdictsScoresAndRationales() throws {
        let store = try TestSupport.store()
        let prompt = try TestSupport.prompt("descriptions-cupl")
        let ids = try addPugDescriptions(store, ["A pug has a flat face.", "A pug has a curled tail.", "A pug is small."],
                                         source: LLMSource.info(model: "test-model", prompt: prompt))
        let vlm = try store.write { try store.vlms.ensure(named: "clip-b32") }
        try store.write {
            for (id, alignment) in zip(ids, [0.1, 0.3, 0.2]) {
                try store.database.execute("INSERT INTO scores(vlm_id, description_id, alignment, n_images) VALUES (?, ?, ?, 3)", [vlm, id, alignment])
            }
        }
        try store.audits.upsert(AuditRecord(descriptionID: ids[1], method: "rules", verdict: "ok", rationale: "no rule fired", score: 1))
        try store.audits.upsert(AuditRecord(descriptionID: ids[1], method: DescriptionJudge.method, verdict: "visual", rationale: "judged"))

        let selector = try BestOfNSelector(store: store, vlm: "clip-b32", dataset: "pets", model: "test-model", prompt: prompt)
        let method = BestOfNSelector.method(vlm: "clip-b32")
        let first = try selector.select(keep: 1)
        XCTAssertEqual([first.kept, first.rejected, first.classesSelected], [1, 2, 1])
        let best = try XCTUnwrap(try verdict(store, ids[1], method))
        XCTAssertEqual(best.verdict, "kept")
        XCTAssertEqual(best.score, 0.3)
        XCTAssertEqual(best.rationale, "rank 1 of 3 by alignment with clip-b32; best 1 kept")
        XCTAssertEqual(try verdict(store, ids[0], method)?.rationale, "rank 3 of 3 by alignment with clip-b32; best 1 kept")

        // New scores, another keep: every verdict of this method is replaced.
        try store.write { try store.database.execute("UPDATE scores SET alignment = 0.9 WHERE description_id = ?", [ids[0]]) }
        let second = try selector.select(keep: 2)
        XCTAssertEqual([second.kept, second.rejected], [2, 1])
        let now = try [ids[0], ids[1], ids[2]].map { try XCTUnwrap(try verdict(store, $0, method)) }
        XCTAssertEqual(now.map(\.verdict), ["kept", "kept", "rejected"])
        XCTAssertEqual(now.map(\.score), [0.9, 0.3, 0.2])
        XCTAssertEqual(now.map(\.rationale), ["rank 1 of 3 by alignment with clip-b32; best 2 kept",
                                              "rank 2 of 3 by alignment with clip-b32; best 2 kept",
                                              "rank 3 of 3 by alignment with clip-b32; best 2 kept"])
        XCTAssertEqual(try TestSupport.count(store, "SELECT count(*) FROM audits WHERE method = ?", [method]), 3, "one row per description")

        // The other methods' rows on the kept description are as they were.
        let rules = try XCTUnwrap(try verdict(store, ids[1], "rules"))
        XCTAssertEqual([rules.verdict, rules.rationale], ["ok", "no rule fired"])
        XCTAssertEqual(rules.score, 1)
        let judged = try XCTUnwrap(try verdict(store, ids[1], DescriptionJudge.method))
        XCTAssertEqual([judged.verdict, judged.rationale], ["visual", "judged"])
        XCTAssertNil(judged.score)
    }

    func testBestOfNWithoutCandidatesOfTheModelIsAnError() throws {
        let store = try TestSupport.store()
        _ = try store.write { try store.vlms.ensure(named: "clip-b32") }
        XCTAssertThrowsError(try BestOfNSelector(store: store, vlm: "clip-b32", dataset: "pets", model: "never-used",
                                                 prompt: try TestSupport.prompt("descriptions-cupl"))) {
            XCTAssertTrue("\($0)".contains("no candidates from llm:never-used"), "\($0)")
        }
    }
}
