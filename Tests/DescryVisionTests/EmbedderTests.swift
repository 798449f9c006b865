import DescryStore
@testable import DescryVision
import Foundation
import XCTest

/// The model registry and the embedder over the store's cache, with the shipped demo model.
final class EmbedderTests: XCTestCase {
    var dir: URL!
    var store: Store!

    override func setUpWithError() throws {
        _ = try ONNXSessionTests.runtime()
        _ = try TestSupport.openCLIPVocabulary()
        dir = try TestSupport.temporaryDirectory()
        let data = TestSupport.packageRoot.appendingPathComponent("Data").path
        store = try Store(path: dir.appendingPathComponent("s.db").path,
                          taxonomy: try AttributeTaxonomy.shipped(dataDirectory: data), create: true)
        let demo = data + "/demo"
        _ = try Importer(store: store).importFudd(classNamesPath: demo + "/demo_class_names.json",
                                                  promptPairsPath: demo + "/demo_prompt_pairs.json", dataset: "demo")
    }

    /// A copy of the demo model without its manifest, so `add` has to detect one.
    func modelCopy() throws -> URL {
        let src = TestSupport.packageRoot.appendingPathComponent("Data/models/demo-clip")
        let dst = dir.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: dst, withIntermediateDirectories: true)
        for f in ["text_model.onnx", "vision_model.onnx"] {
            try FileManager.default.copyItem(at: src.appendingPathComponent(f), to: dst.appendingPathComponent(f))
        }
        return dst
    }

    func testRegistryDetectsWritesAndReloadsTheManifest() throws {
        let model = try modelCopy()
        let registry = ModelRegistry(store: store)
        let m = try registry.add(name: "demo", directory: model.path, logitScale: 10)
        XCTAssertEqual(m.manifest.embeddingDim, 64)
        XCTAssertEqual(m.manifest.imageSize, 64)
        XCTAssertEqual(m.manifest.logitScale, 10)
        XCTAssertTrue(FileManager.default.fileExists(atPath: model.appendingPathComponent("descry-model.json").path))
        XCTAssertEqual(try registry.list().map(\.name), ["demo"])
        XCTAssertEqual(try registry.get("demo"), m)
        XCTAssertThrowsError(try registry.get("clip-b32")) { XCTAssertTrue("\($0)".contains("descry models add clip-b32"), "\($0)") }
        // Re-registering the same directory gives the same hash.
        XCTAssertEqual(try registry.add(name: "demo", directory: model.path).manifestHash, m.manifestHash)
    }

    func testTextsAreEmbeddedOnceAndMatchTheModel() throws {
        let model = try modelCopy()
        _ = try ModelRegistry(store: store).add(name: "demo", directory: model.path)
        let embedder = try Embedder(store: store, vlm: "demo", options: ONNXSessionOptions(intraOpThreads: 1))
        let texts = ["a photo of a crimson sailfin.", "a photo of a slate hexling.", "a photo of a crimson sailfin."]
        var first = EmbedReport()
        let v = try embedder.textVectors(texts, report: &first)
        XCTAssertEqual(first.total, 2)
        XCTAssertEqual(first.embedded, 2)
        XCTAssertEqual(v[0], v[2])
        let direct = try embedder.model.encode(texts: [texts[1]])[0]
        for (a, b) in zip(v[1], direct) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        var second = EmbedReport()
        _ = try embedder.textVectors(texts, report: &second)
        XCTAssertEqual(second.embedded, 0, "a second run does no inference")
        XCTAssertEqual(second.cached, 2)
    }

    func testImagesAreEmbeddedOnceAndBadFilesAreReported() throws {
        let model = try modelCopy()
        _ = try ModelRegistry(store: store).add(name: "demo", directory: model.path)
        // Three real images of two classes, one duplicate of a picture, and one corrupt file.
        let images = dir.appendingPathComponent("images")
        let src = TestSupport.packageRoot.appendingPathComponent("Data/demo/images")
        let fm = FileManager.default
        var copied: [String] = []
        for cls in ["crimson_sailfin", "slate_hexling"] {
            try fm.createDirectory(at: images.appendingPathComponent(cls), withIntermediateDirectories: true)
            let files = try fm.contentsOfDirectory(atPath: src.appendingPathComponent(cls).path).sorted().prefix(2)
            for f in files {
                try fm.copyItem(at: src.appendingPathComponent(cls).appendingPathComponent(f), to: images.appendingPathComponent(cls).appendingPathComponent(f))
                copied.append("\(cls)/\(f)")
            }
        }
        try fm.copyItem(at: images.appendingPathComponent(copied[0]), to: images.appendingPathComponent("crimson_sailfin/copy-" + (copied[0] as NSString).lastPathComponent))
        fm.createFile(atPath: images.appendingPathComponent("slate_hexling/broken.png").path, contents: Data("not a png".utf8))
        let added = try store.images.add(try ImageList.imageFolder(images.path), dataset: "demo")
        XCTAssertEqual(added.added, 6)

        let embedder = try Embedder(store: store, vlm: "demo", options: ONNXSessionOptions(intraOpThreads: 1))
        let r = try embedder.embedDatasetImages("demo", batchSize: 2)
        XCTAssertEqual(r.total, 5, "the duplicate picture has the same content hash")
        XCTAssertEqual(r.embedded, 4)
        XCTAssertEqual(r.failures.count, 1)
        XCTAssertTrue(r.failures[0].contains("broken.png"), r.failures[0])
        let again = try embedder.embedDatasetImages("demo", batchSize: 2)
        XCTAssertEqual(again.embedded, 0)
        XCTAssertEqual(again.cached, 4)
        XCTAssertEqual(again.failures.count, 1, "the broken file is retried and reported again")
        let vectors = try embedder.imageVectors("demo")
        XCTAssertEqual(vectors.count, 5, "both paths of the duplicate get its vector")
        XCTAssertTrue(vectors.allSatisfy { abs($0.vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4 }, "vectors are L2-normalized")
    }
}
