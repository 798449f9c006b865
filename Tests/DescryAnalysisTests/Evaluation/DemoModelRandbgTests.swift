import DescryStore
import DescryVision
import Foundation
import XCTest
@testable import DescryAnalysis

/// The second demo model (`Data/models/demo-clip-randbg`, trained with backgrounds drawn at random)
/// on the shipped demo images, against what its Python evaluation (`Data/models/recipe/evaluate.py`,
/// onnxruntime) wrote into its `evaluation.json`: zero-shot accuracies, and the mean lift by
/// attribute of the per-class and differential descriptions.
final class DemoModelRandbgTests: XCTestCase {
    static let vlm = "demo-clip-randbg"

    private func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any], path)
    }

    func testAccuraciesAndLiftsMatchThePythonEvaluationOfTheRandomBackgroundModel() throws {
        do { _ = try ONNXRuntime.shared() } catch { throw XCTSkip("ONNX Runtime not available (\(error)); run `make deps`") }
        let data = DemoFixture.dataDirectory
        let evaluation = try json(data + "/models/\(Self.vlm)/evaluation.json")
        let store = try Store(path: DemoFixture.tempPath("randbg.db"), taxonomy: DemoFixture.taxonomy, create: true)
        let importer = Importer(store: store)
        _ = try importer.importFudd(classNamesPath: data + "/demo/demo_class_names.json", promptPairsPath: data + "/demo/demo_prompt_pairs.json", dataset: "demo")
        _ = try importer.importClassDescriptions(path: data + "/demo/demo_descriptions.json", dataset: "demo")
        _ = try ModelRegistry(store: store).add(name: Self.vlm, directory: data + "/models/\(Self.vlm)")
        _ = try store.images.add(try ImageList.imageFolder(data + "/demo/images"), dataset: "demo")
        let embedder = try Embedder(store: store, vlm: Self.vlm)
        _ = try embedder.embedDatasetImages("demo")
        _ = try embedder.embedDatasetTexts("demo")
        let library = try PromptLibrary.load(store: store, dataset: "demo")
        let images = try LabelledImages.load(store: store, dataset: "demo", vlm: Self.vlm, classes: library.classes)
        XCTAssertEqual(images.labels.count, 168)

        // Accuracies: evaluate.py counts a sentence once per pair that uses it, so keep duplicates.
        let accuracy = try XCTUnwrap(evaluation["accuracy"] as? [String: [String: Double]])
        let report = try Evaluator(library: library, images: images, source: embedder)
            .evaluate(methods: [.classname, .template, .descriptions, .fudd], ks: [2, 3, 5, nil], options: PromptOptions(deduplicate: false))
        XCTAssertEqual(report.results.count, 7)
        for r in report.results {
            let expected = try XCTUnwrap(accuracy[r.label]?["top1"], "evaluation.json has no \(r.label)")
            XCTAssertEqual(r.top1, expected, accuracy: 0.0006, r.label)
        }

        // Lifts: the store's lift of every description, grouped by the attribute the recipe wrote
        // it for (per-class sentences by position, differential sentences by attr_type).
        _ = try ScoreCalculator(store: store, vlm: Self.vlm, dataset: "demo", source: embedder).run()
        let rewards = try store.scores.rewards(vlmID: try store.vlms.id(named: Self.vlm), datasetID: try store.datasetID(named: "demo"))
        let descriptions = try XCTUnwrap(try json(data + "/demo/demo_descriptions.json") as? [String: [String]])
        let pairs = try XCTUnwrap(try json(data + "/demo/demo_prompt_pairs.json") as? [String: [String: Any]])
        let positions = ["colour", "shape", "pattern", "size", "background", "combined", "spurious"]
        var attributeOf: [String: String] = [:]  // "class|text" -> attribute
        for (name, sentences) in descriptions {
            for (i, s) in sentences.enumerated() { attributeOf["class|\(name)|\(s)"] = i < positions.count ? positions[i] : "non-visual" }
        }
        for entry in pairs.values {
            for pp in try XCTUnwrap(entry["prompt_pairs"] as? [[String: Any]]) {
                let attr = try XCTUnwrap(pp["attr_type"] as? String)
                for s in try XCTUnwrap(pp["prompt_pair"] as? [String]) { attributeOf["differential|\(s)"] = attr }
            }
        }
        var groups: [String: [String: [Double]]] = [:]  // kind -> attribute -> lifts
        for r in rewards where r.kind == "class" || r.kind == "differential" {
            let key = r.kind == "class" ? "class|\(r.className)|\(r.text)" : "differential|\(r.text)"
            let attr = try XCTUnwrap(attributeOf[key], "no recipe attribute for \(key)")
            let lift = try XCTUnwrap(r.lift, "no lift for \(r.text)")
            groups[r.kind, default: [:]][attr, default: []].append(lift)
            groups["all", default: [:]][attr, default: []].append(lift)
        }
        let expectedLifts = try XCTUnwrap(evaluation["lift_by_attribute"] as? [String: [String: [String: Double]]])
        for kind in ["class", "differential", "all"] {
            let table = try XCTUnwrap(expectedLifts[kind], kind)
            XCTAssertEqual(Set(groups[kind, default: [:]].keys), Set(table.keys), kind)
            for (attr, row) in table {
                let lifts = groups[kind, default: [:]][attr, default: []]
                XCTAssertEqual(Double(lifts.count), try XCTUnwrap(row["n"]), "\(kind) \(attr)")
                let mean = lifts.reduce(0, +) / Double(max(lifts.count, 1))
                XCTAssertEqual(mean, try XCTUnwrap(row["lift"]), accuracy: 0.0002, "\(kind) \(attr)")
            }
        }
    }

    /// The point of the second model: its top attribute by mean lift is not demo-clip's, as both
    /// evaluations recorded, and FuDD gains over the single template for both.
    func testTheTwoDemoModelsPreferDifferentAttributes() throws {
        let data = DemoFixture.dataDirectory
        let a = try json(data + "/models/demo-clip/evaluation.json")
        let b = try json(data + "/models/\(Self.vlm)/evaluation.json")
        let topA = try XCTUnwrap(a["top_attribute"] as? [String: String])
        let topB = try XCTUnwrap(b["top_attribute"] as? [String: String])
        XCTAssertEqual(topA["single_attribute"], "background")
        XCTAssertNotEqual(topA["single_attribute"], topB["single_attribute"])
        for e in [a, b] {
            let gain = try XCTUnwrap(e["fudd_gain_over_template"] as? [String: Any])
            XCTAssertGreaterThan(try XCTUnwrap(gain["points"] as? Double), 0)
        }
    }
}
