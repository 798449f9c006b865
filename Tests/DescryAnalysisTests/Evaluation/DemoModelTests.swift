import DescryStore
import DescryVision
import Foundation
import XCTest
@testable import DescryAnalysis

/// The shipped demo model on the shipped demo images, against the accuracies its Python
/// evaluation (`Data/models/recipe/evaluate.py`, onnxruntime) measured.
final class DemoModelTests: XCTestCase {
    func testAccuraciesMatchThePythonEvaluationOfTheDemoModel() throws {
        do { _ = try ONNXRuntime.shared() } catch { throw XCTSkip("ONNX Runtime not available (\(error)); run `make deps`") }
        let data = DemoFixture.dataDirectory
        let store = try Store(path: DemoFixture.tempPath("model.db"), taxonomy: DemoFixture.taxonomy, create: true)
        let importer = Importer(store: store)
        _ = try importer.importFudd(classNamesPath: data + "/demo/demo_class_names.json", promptPairsPath: data + "/demo/demo_prompt_pairs.json", dataset: "demo")
        _ = try importer.importClassDescriptions(path: data + "/demo/demo_descriptions.json", dataset: "demo")
        _ = try ModelRegistry(store: store).add(name: "demo-clip", directory: data + "/models/demo-clip")
        _ = try store.images.add(try ImageList.imageFolder(data + "/demo/images"), dataset: "demo")
        let embedder = try Embedder(store: store, vlm: "demo-clip")
        _ = try embedder.embedDatasetImages("demo")
        _ = try embedder.embedDatasetTexts("demo")
        let library = try PromptLibrary.load(store: store, dataset: "demo")
        let images = try LabelledImages.load(store: store, dataset: "demo", vlm: "demo-clip", classes: library.classes)
        XCTAssertEqual(images.labels.count, 168)
        // The single template is not among the imported texts: the embedder adds it.
        // evaluate.py counts a sentence once per pair that uses it: keep duplicates to compare.
        let report = try Evaluator(library: library, images: images, source: embedder)
            .evaluate(methods: [.classname, .template, .descriptions, .fudd], ks: [2, 3, 5, nil], options: PromptOptions(deduplicate: false))
        let expected: [String: Double] = ["classname": 0.6607, "template": 0.5536, "descriptions": 0.9167,
                                          "fudd k=2": 0.9821, "fudd k=3": 0.9881, "fudd k=5": 0.9702, "fudd k=14": 0.7738]
        for r in report.results {
            XCTAssertEqual(r.top1, expected[r.label]!, accuracy: 0.0006, r.label)
        }
    }
}
