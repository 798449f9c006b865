import DescryFakes
import DescryLLM
import DescryStore
import Foundation
import XCTest

/// Per-class description jobs and the judge, through the library.
final class DescriptionGeneratorTests: XCTestCase {
    func testSharesSpreadOverQuestions() throws {
        let store = try TestSupport.store()
        let c = LLMConfiguration(baseURL: "http://127.0.0.1:9/v1", model: "m")
        let g = try DescriptionGenerator(store: store, dataset: "pets", configuration: c, prompt: try TestSupport.prompt("descriptions-ex2"))
        XCTAssertEqual(g.shares(perClass: 25), [4, 3, 3, 3, 3, 3, 3, 3])
        XCTAssertEqual(g.shares(perClass: 3), [1, 1, 1])
        let jobs = g.jobs(perClass: 10)
        XCTAssertEqual(jobs.count, 6 * 8)
        XCTAssertEqual(Set(jobs.map(\.request.hash)).count, 48)
        let user = jobs[0].request.messages[1].content
        XCTAssertTrue(user.contains("Question: What does a beagle look like?"), user)
        XCTAssertTrue(user.contains("Write 2 different sentences"), user)
    }

    func testJudgeWritesAudits() async throws {
        let server = try LoopbackChatServer { r in
            r.body.contains("tench")
                ? .completion(#"{"informative": false, "attribute": "none", "visual": false, "rationale": "Only the name."}"#)
                : .completion(#"{"informative": true, "attribute": "habitat", "visual": false}"#)
        }
        defer { server.stop() }
        let store = try TestSupport.store()
        let ds = try store.datasetID(named: "pets")
        let pug = try store.classes(ofDataset: ds)[2]
        try store.write {
            let w = try DescriptionWriter(store: store, sourceID: try store.addSource(SourceInfo(format: "test", label: "t", contentHash: "x")).id)
            try w.add(NewDescription(datasetID: ds, classID: pug.id, text: "Click to enlarge a tench photo of a pug.", kind: .class))
            try w.add(NewDescription(datasetID: ds, classID: pug.id, text: "A pug lives in city flats.", kind: .class))
            try w.finish()
        }
        let c = TestSupport.configuration(server)
        let judge = try DescriptionJudge(store: store, dataset: "pets", configuration: c, prompt: try TestSupport.prompt("judge"))
        let items = try judge.items()
        XCTAssertEqual(items.count, 2)
        let report = try await GenerationRunner(store: store, client: try TestSupport.client(c)).run(judge.jobs(items), apply: judge.writer())
        XCTAssertEqual(report.rowsAdded, 2)
        let verdicts = try store.database.rows("SELECT verdict FROM audits WHERE method = 'llm-judge' ORDER BY description_id").map { try $0.string("verdict") }
        XCTAssertEqual(verdicts, ["spurious", "non-visual"])
        XCTAssertEqual(try judge.items(unjudged: true).count, 0)
    }
}
