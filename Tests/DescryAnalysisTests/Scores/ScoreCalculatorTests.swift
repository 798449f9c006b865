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
        let vlmID = try store.vlms.ensure(named: "v")
        let ds = try store.datasetID(named: "kites")
        let classes = try store.classes(ofDataset: ds)
        try store.write {
            for (i, (c, v)) in [(0, [Float(1), 0, 0]), (0, [0, 1, 0]), (1, [0, 0, 1])].enumerated() {
                try store.database.execute("INSERT INTO images(dataset_id, path, class_id, content_hash) VALUES (?, ?, ?, ?)",
                                           [ds, "/x/\(i).png", classes[c].id, "h\(i)"])
                try store.embeddings(vlmID: vlmID).put(.image, [("h\(i)", v)])
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
            SELECT d.text AS text, s.alignment AS alignment, s.lift AS lift, s.margin AS margin, s.content AS content, s.n_images AS n_images
            FROM scores s JOIN descriptions d ON d.id = s.description_id ORDER BY d.text
            """)
        // Blue: images [0,0,1]; alignment 1, template 0.8 → lift 0.2; twin cos 0 → margin 1; content 1.
        XCTAssertEqual(try rows[0].string("text"), "a blue kite, which is blue.")
        XCTAssertEqual(try rows[0].double("alignment"), 1, accuracy: 1e-6)
        XCTAssertEqual(try rows[0].double("lift"), 0.2, accuracy: 1e-6)
        XCTAssertEqual(try rows[0].double("margin"), 1, accuracy: 1e-6)
        XCTAssertEqual(try rows[0].double("content"), 1, accuracy: 1e-6)
        XCTAssertEqual(try rows[0].int("n_images"), 1)
        // Red: mean image [0.5, 0.5, 0]; alignment 0.5, template 0.5 → lift 0; margin 0.5 − 0; content 0.3 + 0.4.
        XCTAssertEqual(try rows[1].double("alignment"), 0.5, accuracy: 1e-6)
        XCTAssertEqual(try rows[1].double("lift"), 0, accuracy: 1e-6)
        XCTAssertEqual(try rows[1].double("margin"), 0.5, accuracy: 1e-6)
        XCTAssertEqual(try rows[1].double("content"), 0.7, accuracy: 1e-6)
        XCTAssertEqual(try rows[1].int("n_images"), 2)
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
        let red = try store.database.scalar(Double.self, "SELECT s.alignment FROM scores s JOIN descriptions d ON d.id = s.description_id WHERE d.text LIKE 'a red%'")
        XCTAssertEqual(red, 1, accuracy: 1e-6, "only the [1,0,0] image is red now")
    }

    // MARK: score() without a store

    /// The hand-computable example as plain inputs: two red images, one blue, and a third
    /// class without images.
    func inputs() throws -> ScoreInputs {
        let classes = [ClassRecord(id: 1, index: 0, name: "red_kite"), ClassRecord(id: 2, index: 1, name: "blue kite"), ClassRecord(id: 3, index: 2, name: "green kite")]
        let images = LabelledImages(matrix: try Matrix(rows: [[1, 0, 0], [0, 1, 0], [0, 0, 1]]), labels: [0, 0, 1])
        let red = "a red kite, which is red.", blue = "a blue kite, which is blue."
        return ScoreInputs(model: "manifest-hash", library: PromptLibrary(dataset: "kites", classes: classes), images: images,
                           descriptions: [.init(id: 10, classPosition: 0, text: red), .init(id: 11, classPosition: 1, text: blue),
                                          .init(id: 12, classPosition: 2, text: "a green kite.")],
                           twins: [10: [.init(side: 0, text: blue)], 11: [.init(side: 1, text: red)]])
    }

    func testScoreIsPureAndMatchesTheHandComputation() throws {
        let (scores, report) = try ScoreCalculator.score(try inputs(), source: FixedTextVectors(table: table), content: true)
        XCTAssertEqual(report.computed, 2)
        XCTAssertEqual(report.withoutImages, 1, "the green kite has no images")
        XCTAssertEqual(report.unchanged, 0)
        XCTAssertEqual(scores.map(\.descriptionID), [10, 11])
        let red = scores[0], blue = scores[1]
        XCTAssertEqual(red.alignment, 0.5, accuracy: 1e-6)
        XCTAssertEqual(red.lift, 0, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(red.margin), 0.5, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(red.content), 0.7, accuracy: 1e-6)
        XCTAssertEqual(red.images, 2)
        XCTAssertEqual(blue.alignment, 1, accuracy: 1e-6)
        XCTAssertEqual(blue.lift, 0.2, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(blue.margin), 1, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(blue.content), 1, accuracy: 1e-6)
        XCTAssertEqual(blue.images, 1)
        XCTAssertNotEqual(red.inputHash, blue.inputHash)
    }

    func testScoreSkipsStoredHashesWithoutAskingForVectors() throws {
        var i = try inputs()
        let (first, _) = try ScoreCalculator.score(i, source: FixedTextVectors(table: table), content: true)
        i.storedHashes = Dictionary(uniqueKeysWithValues: first.map { ($0.descriptionID, $0.inputHash) })
        // An empty table: any request for a vector would throw.
        let (again, report) = try ScoreCalculator.score(i, source: FixedTextVectors(table: [:]), content: true)
        XCTAssertEqual(again, [])
        XCTAssertEqual(report.unchanged, 2)
        XCTAssertEqual(report.computed, 0)
        // Without the content score, or for another model, the inputs differ: both are redone.
        let (noContent, r2) = try ScoreCalculator.score(i, source: FixedTextVectors(table: table), content: false)
        XCTAssertEqual(r2.computed, 2)
        XCTAssertNil(noContent[0].content)
        XCTAssertEqual(noContent[0].alignment, first[0].alignment)
        i.model = "another-export"
        XCTAssertEqual(try ScoreCalculator.score(i, source: FixedTextVectors(table: table), content: true).report.computed, 2)
    }

    func testScoreRejectsInconsistentInputs() throws {
        var i = try inputs()
        i.descriptions.append(.init(id: 13, classPosition: 7, text: "a kite of no class."))
        XCTAssertThrowsError(try ScoreCalculator.score(i, source: FixedTextVectors(table: table), content: true)) { e in
            XCTAssertTrue("\(e)".contains("class position 7"), "\(e)")
        }
        var short = table
        short["a photo of a red kite."] = [0, 1]
        XCTAssertThrowsError(try ScoreCalculator.score(try inputs(), source: FixedTextVectors(table: short), content: true)) { e in
            guard case AnalysisError.dimensionMismatch(expected: 3, found: 2, what: _) = e else { return XCTFail("\(e)") }
        }
    }
}
