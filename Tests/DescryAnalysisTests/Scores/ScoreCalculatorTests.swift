import DescryStore
import Foundation
import XCTest
@testable import DescryAnalysis

final class ScoreCalculatorTests: XCTestCase {
    let table: [String: [Float]] = [
        "a red kite, which is red.": [1, 0, 0],
        "a blue kite, which is blue.": [0, 0, 1],
        "a photo of a red kite.": [0, 1, 0],
        "a photo of a blue kite.": [0.6, 0, 0.8],
        "a object, which is red.": [0.6, 0.8, 0],
        "a object, which is blue.": [0, 0, 1],
    ]

    func makeStore() throws -> (Store, Int64) {
        let store = try Store(path: DemoFixture.tempPath("scores.db"), taxonomy: DemoFixture.taxonomy, create: true)
        let dir = (store.path as NSString).deletingLastPathComponent
        try #"["red kite", "blue kite"]"#.write(toFile: dir + "/kites_class_names.json", atomically: true, encoding: .utf8)
        try #"{"0_1": {"classes": [0, 1], "prompt_pairs": [{"attr_type": "colour", "prompt_pair": ["a red kite, which is red.", "a blue kite, which is blue."]}]}}"#
            .write(toFile: dir + "/kites_prompt_pairs.json", atomically: true, encoding: .utf8)
        _ = try Importer(store: store).importFudd(classNamesPath: dir + "/kites_class_names.json", promptPairsPath: dir + "/kites_prompt_pairs.json", dataset: "kites")
        let vlmID = try store.ensureVLM(named: "v")
        let ds = try store.datasetID(named: "kites")
        let classes = try store.classes(ofDataset: ds)
        try store.write {
            for (i, (c, v)) in [(0, [Float(1), 0, 0]), (0, [0, 1, 0]), (1, [0, 0, 1])].enumerated() {
                try store.database.execute("INSERT INTO images(dataset_id, path, class_id, content_hash) VALUES (?, ?, ?, ?)",
                                           [ds, "/x/\(i).png", classes[c].id, "h\(i)"])
                try EmbeddingCache(store: store, vlmID: vlmID).put(.image, [("h\(i)", v)])
            }
        }
        return (store, ds)
    }

    func testScoresOnAHandComputableExample() throws {
        let (store, _) = try makeStore()
        let calc = ScoreCalculator(store: store, vlm: "v", dataset: "kites", source: FixedTextVectors(table: table))
        XCTAssertEqual(ScoreCalculator.neutralized("A Red Kite, which is red.", className: "red_kite"), "A object, which is red.")
        let report = try calc.run()
        XCTAssertEqual(report.computed, 2)
        let rows = try store.database.rows("""
            SELECT d.text, s.alignment, s.lift, s.margin, s.content, s.n_images FROM scores s JOIN descriptions d ON d.id = s.description_id ORDER BY d.text
            """)
        // Blue: images [0,0,1]; alignment 1, template 0.8 → lift 0.2; twin cos 0 → margin 1; content 1.
        XCTAssertEqual(rows[0][0].string, "a blue kite, which is blue.")
        XCTAssertEqual(rows[0][1].double!, 1, accuracy: 1e-6)
        XCTAssertEqual(rows[0][2].double!, 0.2, accuracy: 1e-6)
        XCTAssertEqual(rows[0][3].double!, 1, accuracy: 1e-6)
        XCTAssertEqual(rows[0][4].double!, 1, accuracy: 1e-6)
        XCTAssertEqual(rows[0][5].int, 1)
        // Red: mean image [0.5, 0.5, 0]; alignment 0.5, template 0.5 → lift 0; margin 0.5 − 0; content 0.3 + 0.4.
        XCTAssertEqual(rows[1][1].double!, 0.5, accuracy: 1e-6)
        XCTAssertEqual(rows[1][2].double!, 0, accuracy: 1e-6)
        XCTAssertEqual(rows[1][3].double!, 0.5, accuracy: 1e-6)
        XCTAssertEqual(rows[1][4].double!, 0.7, accuracy: 1e-6)
        XCTAssertEqual(rows[1][5].int, 2)
    }

    func testUnchangedInputsAreNotRecomputedAndChangedLabelsAre() throws {
        let (store, ds) = try makeStore()
        let calc = ScoreCalculator(store: store, vlm: "v", dataset: "kites", source: FixedTextVectors(table: table))
        XCTAssertEqual(try calc.run().computed, 2)
        let again = try calc.run()
        XCTAssertEqual(again.computed, 0)
        XCTAssertEqual(again.unchanged, 2)
        // Relabel one red image as blue: both classes' image sets change.
        let blue = try store.classes(ofDataset: ds)[1].id
        try store.database.execute("UPDATE images SET class_id = ? WHERE path = '/x/1.png'", [blue])
        XCTAssertEqual(try calc.run().computed, 2)
        let red = try store.database.scalar("SELECT s.alignment FROM scores s JOIN descriptions d ON d.id = s.description_id WHERE d.text LIKE 'a red%'").double!
        XCTAssertEqual(red, 1, accuracy: 1e-6, "only the [1,0,0] image is red now")
    }
}
