import DescryLLM
import DescryStore
import Foundation
import XCTest

/// Reward rows: one per scored description, default prompt when no cached request made it.
final class RewardExporterTests: XCTestCase {
    func testEmptyScoresAndDefaultPrompt() throws {
        let store = try TestSupport.store()
        let ds = try store.datasetID(named: "pets")
        let vlm = try store.write { try store.vlms.ensure(named: "clip-b32") }
        let out = try TestSupport.temporaryDirectory() + "/r.jsonl"
        XCTAssertThrowsError(try RewardExporter(store: store).write(vlm: "clip-b32", dataset: "pets", path: out)) {
            XCTAssertTrue("\($0)".contains("no alignment scores for VLM 'clip-b32'"))
        }
        try store.write {
            let w = try DescriptionWriter(store: store, sourceID: try store.addSource(SourceInfo(format: "descriptions", label: "cupl", contentHash: "h")).id)
            let pug = try store.classes(ofDataset: ds)[2]
            let d = try w.add(NewDescription(datasetID: ds, classID: pug.id, text: "A pug has a flat face.", kind: .class))
            try w.finish()
            try store.database.execute("INSERT INTO scores(vlm_id, description_id, alignment, lift, n_images) VALUES (?, ?, 0.31, 0.02, 7)", [vlm, d.id])
        }
        XCTAssertEqual(try RewardExporter(store: store).write(vlm: "clip-b32", dataset: "pets", path: out), 1)
        let row = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        XCTAssertEqual(row["prompt"] as? String, "Describe what a pug looks like in one sentence.")
        XCTAssertEqual(row["prompt_source"] as? String, "default")
        XCTAssertEqual(row["response"] as? String, "A pug has a flat face.")
        XCTAssertEqual(row["reward"] as? Double, 0.31)
        XCTAssertEqual(row["lift"] as? Double, 0.02)
        XCTAssertEqual(row["source"] as? String, "cupl")
    }
}
