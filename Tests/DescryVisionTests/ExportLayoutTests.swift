import DescryStore
@testable import DescryVision
import Foundation
import XCTest

/// Every CLIP ONNX export layout Descry detects, on the tiny random-weight exports that
/// `Fixtures/make_onnx_fixtures.py` writes under `models/layouts/`, against the embeddings
/// onnxruntime-python computed from the same files (`models/layouts.json`).
final class ExportLayoutTests: XCTestCase {
    var reference: [String: Any] = [:]
    var runtime: ONNXRuntime!
    var scratch: URL!

    override func setUpWithError() throws {
        runtime = try ONNXSessionTests.runtime()
        _ = try TestSupport.openCLIPVocabulary()
        let data = try Data(contentsOf: TestSupport.fixture("models/layouts.json"))
        reference = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        scratch = try TestSupport.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    /// A writable copy of a layout folder (detection writes nothing, but registration does).
    func copy(_ layout: String) throws -> URL {
        let target = scratch.appendingPathComponent(layout)
        try FileManager.default.copyItem(at: TestSupport.fixture("models/layouts/" + layout), to: target)
        return target
    }

    var texts: [String] { reference["texts"] as? [String] ?? [] }
    var images: [RGBImage] {
        get throws {
            try (reference["images"] as? [String] ?? []).map { try ImageDecoder().decode(contentsOf: TestSupport.fixture("images/" + $0)) }
        }
    }

    func expected(_ key: String, _ field: String) throws -> [[Float]] {
        let entry = try XCTUnwrap(reference[key] as? [String: Any], "no reference '\(key)'")
        let rows = try XCTUnwrap(entry[field] as? [[Double]], "no \(field) in '\(key)'")
        return rows.map { $0.map { Float($0) } }
    }

    /// Cosine of each embedding with its reference within `tolerance` of 1, and every value within it too.
    func assertMatches(_ got: [[Float]], _ want: [[Float]], tolerance: Float = 1e-5, _ what: String, line: UInt = #line) {
        XCTAssertEqual(got.count, want.count, what, line: line)
        for (g, w) in zip(got, want) {
            XCTAssertEqual(g.count, w.count, what, line: line)
            let cosine = zip(g, w).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            XCTAssertEqual(cosine, 1, accuracy: tolerance, "\(what): cosine with onnxruntime-python", line: line)
            for (u, v) in zip(g, w) { XCTAssertEqual(u, v, accuracy: tolerance, what, line: line) }
        }
    }

    func model(_ directory: URL, variant: ModelVariant? = nil, checkpoint: String? = nil) throws -> CLIPModel {
        let manifest = try ModelManifest.detect(directory: directory, runtime: runtime, variant: variant, checkpoint: checkpoint)
        return try CLIPModel(manifest: manifest, directory: directory, options: ONNXSessionOptions(intraOpThreads: 1), runtime: runtime)
    }

    func assertRefusal(_ body: @autoclosure () throws -> Any, contains parts: [String], line: UInt = #line) {
        XCTAssertThrowsError(try body(), line: line) { error in
            let text = "\(error)"
            for part in parts { XCTAssertTrue(text.contains(part), "missing '\(part)' in: \(text)", line: line) }
        }
    }

    // MARK: file names

    func testFileNamesGiveRoleStemAndVariant() throws {
        func parse(_ name: String) -> String {
            guard let g = GraphFile(path: name) else { return "-" }
            return "\(g.role) \(g.stem.isEmpty ? "_" : g.stem) \(g.variant.rawValue)"
        }
        XCTAssertEqual(parse("text_model.onnx"), "text _ fp32")
        XCTAssertEqual(parse("vision_model_fp16.onnx"), "image _ fp16")
        XCTAssertEqual(parse("onnx/text_model_quantized.onnx"), "text _ quantized")
        XCTAssertEqual(parse("textual.onnx"), "text _ fp32")
        XCTAssertEqual(parse("visual.fp16.onnx"), "image _ fp16")
        XCTAssertEqual(parse("ViT-B-32-laion-textual.onnx"), "text ViT-B-32-laion fp32")
        XCTAssertEqual(parse("ViT-B-32-openai-visual.onnx"), "image ViT-B-32-openai fp32")
        XCTAssertEqual(parse("ViT-L-14_text_model.onnx"), "text ViT-L-14 fp32")
        XCTAssertEqual(parse("clip_image_model_vitb32.onnx"), "image clip_vitb32 fp32")
        XCTAssertEqual(parse("clip-text-vit-32-float32-int32.onnx"), "text clip-vit-32 fp32")
        XCTAssertEqual(parse("clip-image-vit-32-float32.onnx"), "image clip-vit-32 fp32")
        XCTAssertEqual(parse("model.onnx"), "combined _ fp32")
        XCTAssertEqual(parse("model_q4.onnx"), "combined _ q4")
        XCTAssertEqual(parse("decoder.onnx"), "-")
        XCTAssertEqual(parse("image_text_model.onnx"), "-", "names both towers")
        XCTAssertEqual(GraphFile(path: "ViT-B-32_Laion-visual.onnx")?.key, GraphFile(path: "vit-b-32-laion_textual.onnx")?.key)
    }

    // MARK: int32 token inputs

    func testInt32OpenCLIPGraphsAreFedInt32() throws {
        let dir = try copy("int32-openclip")
        let manifest = try ModelManifest.detect(directory: dir, runtime: runtime)
        XCTAssertEqual([manifest.textModel, manifest.imageModel], ["textual.onnx", "visual.onnx"])
        XCTAssertEqual(manifest.textInputType, .int32)
        XCTAssertEqual([manifest.textOutput, manifest.imageOutput], ["output", "output"])
        let model = try CLIPModel(manifest: manifest, directory: dir, runtime: runtime)
        assertMatches(try model.encode(texts: texts), try expected("int32-openclip", "text_embeds"), "int32 texts")
        assertMatches(try model.encode(images: images), try expected("int32-openclip", "image_embeds"), "int32 images")

        // Hand-written manifests: with text_input_type int32, and without it (the graph decides).
        for declared in [ModelManifest.TokenType.int32, nil] {
            var written = manifest
            written.textInputType = declared
            try written.write(directory: dir)
            let loaded = try CLIPModel(directory: dir, runtime: runtime)
            assertMatches(try loaded.encode(texts: texts), try expected("int32-openclip", "text_embeds"), "manifest \(String(describing: declared))")
        }
        // One that says int64 for an int32 graph is refused, naming the field and the graph's type.
        var wrong = manifest
        wrong.textInputType = .int64
        assertRefusal(try CLIPModel(manifest: wrong, directory: dir, runtime: runtime),
                      contains: ["text_input_type", "textual.onnx", "int32"])
    }

    func testTypeAndShapeErrorsNameTheFileTheInputAndWhatWasFed() throws {
        let dir = TestSupport.fixture("models/layouts/int32-openclip")
        let session = try ONNXSession(model: dir.appendingPathComponent("textual.onnx"), runtime: runtime)
        let ids = try ONNXTensor(int64: [Int64](repeating: 1, count: 4 * 77), shape: [4, 77])
        XCTAssertThrowsError(try session.run(["input_ids": ids, "attention_mask": ids])) { error in
            guard case VisionError.badFeed(let path, let input, let expected, let fed) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(path.hasSuffix("textual.onnx"), path)
            XCTAssertEqual(input, "input_ids")
            XCTAssertEqual(expected, "tensor(int32) [batch_size, sequence_length]")
            XCTAssertEqual(fed, "tensor(int64) [4, 77]")
            XCTAssertTrue("\(error)".hasSuffix("textual.onnx: input 'input_ids' expects tensor(int32) [batch_size, sequence_length]; Descry fed tensor(int64) [4, 77]"), "\(error)")
        }
        // A fixed dimension: the tiny vision graph takes 32x32 images.
        let vision = try ONNXSession(model: dir.appendingPathComponent("visual.onnx"), runtime: runtime)
        let pixels = try ONNXTensor(float: [Float](repeating: 0, count: 3 * 24 * 24), shape: [1, 3, 24, 24])
        assertRefusal(try vision.run(["pixel_values": pixels]),
                      contains: ["visual.onnx: input 'pixel_values' expects tensor(float) [batch_size, 3, 32, 32]", "fed tensor(float) [1, 3, 24, 24]"])
        // Errors ORT finds inside the graph (free dimensions) carry the file and the feeds too.
        let dynamic = try ONNXSession(model: TestSupport.fixture("models/layouts/dynamic-336/vision_model.onnx"), runtime: runtime)
        let small = try ONNXTensor(float: [Float](repeating: 0, count: 3 * 224 * 224), shape: [1, 3, 224, 224])
        XCTAssertThrowsError(try dynamic.run(["pixel_values": small])) { error in
            guard case VisionError.inferenceFailed(let path, let fed, let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(path.hasSuffix("dynamic-336/vision_model.onnx"), path)
            XCTAssertEqual(fed, "pixel_values: tensor(float) [1, 3, 224, 224]")
            XCTAssertFalse(message.isEmpty)
        }
    }

    // MARK: optimum's combined model.onnx

    func testOptimumCombinedModelRunsEachTowerAlone() throws {
        let dir = try copy("optimum-combined")
        let manifest = try ModelManifest.detect(directory: dir, runtime: runtime)
        XCTAssertTrue(manifest.isCombined)
        XCTAssertEqual(manifest.textModel, "model.onnx")
        XCTAssertEqual([manifest.textInputIDs, manifest.textAttentionMask, manifest.imageInput], ["input_ids", "attention_mask", "pixel_values"])
        XCTAssertEqual([manifest.textOutput, manifest.imageOutput], ["text_embeds", "image_embeds"])
        XCTAssertTrue(manifest.outputsNormalized, "optimum's embeds come normalized")
        XCTAssertEqual(manifest.cropRounding, .floor)
        let model = try CLIPModel(manifest: manifest, directory: dir, runtime: runtime)
        XCTAssertTrue(model.textSession === model.imageSession, "one session for both towers")
        assertMatches(try model.encode(texts: texts), try expected("optimum-combined", "text_embeds"), "combined texts")
        assertMatches(try model.encode(texts: texts, batchSize: 3), try expected("optimum-combined", "text_embeds"), "combined texts, batches of 3")
        assertMatches(try model.encode(images: images), try expected("optimum-combined", "image_embeds"), "combined images")
    }

    // MARK: transformers.js / Xenova repositories

    func testXenovaRepositoryRootWithVariants() throws {
        let dir = try copy("xenova")
        // 1e-5 for every variant: each is compared with onnxruntime-python on its own graph,
        // and both sides feed the same float16 bits (round to nearest even) or the same floats.
        for variant in [ModelVariant.fp32, .fp16, .quantized] {
            let model = try self.model(dir, variant: variant == .fp32 ? nil : variant)
            let suffix = variant == .fp32 ? "" : "_" + variant.rawValue
            XCTAssertEqual(model.manifest.textModel, "onnx/text_model\(suffix).onnx")
            XCTAssertEqual(model.manifest.imageModel, "onnx/vision_model\(suffix).onnx")
            XCTAssertEqual(model.manifest.tokenizer, .init(kind: "huggingface", vocabulary: "vocab.json", merges: "merges.txt"))
            XCTAssertEqual(model.manifest.mean, [0.5, 0.5, 0.5], "the root's preprocessor_config.json")
            XCTAssertEqual(model.imageSession.inputs.first?.elementType, variant == .fp16 ? .float16 : .float)
            assertMatches(try model.encode(texts: texts), try expected("xenova-" + variant.rawValue, "text_embeds"), "\(variant) texts")
            assertMatches(try model.encode(images: images), try expected("xenova-" + variant.rawValue, "image_embeds"), "\(variant) images")
        }
        // The root's tiny tokenizer is the one used (its ids are not open_clip's).
        let model = try self.model(dir)
        let ids = try XCTUnwrap(reference["xenova-token-ids"] as? [[Int]])
        let batch = model.tokenizer.tokenize(texts)
        for (i, want) in ids.enumerated() { XCTAssertEqual(batch.row(i).prefix(want.count).map { Int($0) }, want, "text \(i)") }
        // A variant the repository lacks is refused with the ones it has.
        assertRefusal(try ModelManifest.detect(directory: dir, runtime: runtime, variant: .int8),
                      contains: ["no int8 graphs", "fp16 (onnx/text_model_fp16.onnx, onnx/vision_model_fp16.onnx)", "quantized"])
    }

    func testWithoutFP32TheOnlyVariantIsUsedAndSeveralAreRefused() throws {
        let dir = try copy("xenova")
        let onnx = dir.appendingPathComponent("onnx")
        for file in ["text_model.onnx", "vision_model.onnx", "model.onnx"] {
            try FileManager.default.removeItem(at: onnx.appendingPathComponent(file))
        }
        assertRefusal(try ModelManifest.detect(directory: dir, runtime: runtime),
                      contains: ["no fp32 graphs, and several variants", "fp16 (onnx/text_model_fp16.onnx", "quantized (", "--variant"])
        for file in ["text_model_quantized.onnx", "vision_model_quantized.onnx"] {
            try FileManager.default.removeItem(at: onnx.appendingPathComponent(file))
        }
        let manifest = try ModelManifest.detect(directory: dir, runtime: runtime)
        XCTAssertEqual(manifest.textModel, "onnx/text_model_fp16.onnx")
        XCTAssertEqual(manifest.notes, ["variant fp16: the only one in the folder"])
    }

    func testRegisteringTheOnnxFolderReadsTheRootsFiles() throws {
        let dir = try copy("xenova")
        let model = try self.model(dir.appendingPathComponent("onnx"))
        XCTAssertEqual(model.manifest.textModel, "text_model.onnx")
        XCTAssertEqual(model.manifest.tokenizer, .init(kind: "huggingface", vocabulary: "../vocab.json", merges: "../merges.txt"))
        XCTAssertEqual(model.manifest.mean, [0.5, 0.5, 0.5])
        assertMatches(try model.encode(texts: texts), try expected("xenova-fp32", "text_embeds"), "onnx/ texts")
        assertMatches(try model.encode(images: images), try expected("xenova-fp32", "image_embeds"), "onnx/ images")
    }

    // MARK: checkpoints

    func testAFolderOfTwoCheckpointsIsRefusedUntilOneIsChosen() throws {
        let dir = try copy("two-checkpoints")
        assertRefusal(try ModelManifest.detect(directory: dir, runtime: runtime),
                      contains: ["2 checkpoints", "'ViT-B-32-laion' (ViT-B-32-laion-textual.onnx, ViT-B-32-laion-visual.onnx)",
                                 "'ViT-B-32-openai'", "--checkpoint STEM"])
        for stem in ["ViT-B-32-laion", "ViT-B-32-openai"] {
            let model = try self.model(dir, checkpoint: stem.lowercased())
            XCTAssertEqual([model.manifest.textModel, model.manifest.imageModel], [stem + "-textual.onnx", stem + "-visual.onnx"])
            assertMatches(try model.encode(texts: texts), try expected("two-checkpoints-" + stem, "text_embeds"), stem)
            assertMatches(try model.encode(images: images), try expected("two-checkpoints-" + stem, "image_embeds"), stem)
        }
        assertRefusal(try ModelManifest.detect(directory: dir, runtime: runtime, checkpoint: "ViT-H-14"),
                      contains: ["no checkpoint 'ViT-H-14'", "'ViT-B-32-laion'", "'ViT-B-32-openai'"])
    }

    func testGraphsOfDifferentCheckpointsDoNotPair() throws {
        assertRefusal(try ModelManifest.detect(directory: TestSupport.fixture("models/layouts/mispaired"), runtime: runtime),
                      contains: ["ViT-B-32-laion-textual.onnx (checkpoint 'ViT-B-32-laion')",
                                 "ViT-B-32-openai-visual.onnx (checkpoint 'ViT-B-32-openai')", "different checkpoints"])
    }

    // MARK: image size

    func testImageSizeFromConfigWhenTheGraphLeavesItFree() throws {
        let dir = try copy("dynamic-336")
        let model = try self.model(dir)
        XCTAssertEqual(model.manifest.imageSize, 336)
        XCTAssertNil(model.manifest.notes)
        assertMatches(try model.encode(images: images), try expected("dynamic-336", "image_embeds"), "336 px images")

        // open_clip's config names the size too.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("config.json"))
        try Data(#"{"model_cfg": {"vision_cfg": {"image_size": 336}}}"#.utf8).write(to: dir.appendingPathComponent("open_clip_config.json"))
        XCTAssertEqual(try ModelManifest.detect(directory: dir, runtime: runtime).imageSize, 336)

        // With nothing to read, 224 is assumed and said; this graph refuses it, and the error says why.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("open_clip_config.json"))
        assertRefusal(try ModelManifest.detect(directory: dir, runtime: runtime),
                      contains: ["image_size 224 assumed", "vision_model.onnx", "pixel_values: tensor(float) [2, 3, 224, 224]"])
    }

    func testAssumedImageSizeIsNotedInTheManifest() throws {
        // A graph that runs at any size, with no file giving one: 224, and the manifest says so.
        let dir = try copy("dynamic-free")
        let manifest = try ModelManifest.detect(directory: dir, runtime: runtime)
        XCTAssertEqual(manifest.imageSize, 224)
        XCTAssertEqual(manifest.notes?.count, 1)
        XCTAssertTrue(manifest.notes?.first?.hasPrefix("image_size 224 assumed") == true, "\(manifest.notes ?? [])")
        try manifest.write(directory: dir)
        XCTAssertEqual(try ModelManifest.load(directory: dir).notes, manifest.notes)
    }

    // MARK: external data

    func testExternalDataIsReadAndHashed() throws {
        let dir = try copy("external-data")
        XCTAssertEqual(try ONNXExternalData.locations(of: dir.appendingPathComponent("text_model.onnx")), ["text_model.onnx.data"])
        XCTAssertEqual(try ONNXExternalData.locations(of: dir.appendingPathComponent("vision_model.onnx")), ["vision_model.onnx_data"])
        XCTAssertEqual(try ONNXExternalData.locations(of: TestSupport.fixture("models/tiny-clip/text_model.onnx")), [])
        let model = try self.model(dir)
        assertMatches(try model.encode(texts: texts), try expected("external-data", "text_embeds"), "external-data texts")
        assertMatches(try model.encode(images: images), try expected("external-data", "image_embeds"), "external-data images")

        let data = TestSupport.packageRoot.appendingPathComponent("Data").path
        let store = try Store(path: scratch.appendingPathComponent("s.db").path,
                              taxonomy: try AttributeTaxonomy.shipped(dataDirectory: data), create: true)
        let registry = ModelRegistry(store: store)
        let first = try registry.add(name: "ext", directory: dir.path, runtime: runtime).manifestHash
        XCTAssertEqual(try registry.add(name: "ext", directory: dir.path, runtime: runtime).manifestHash, first, "stable")
        XCTAssertEqual(try ModelRegistry.weightFiles(manifest: model.manifest, directory: dir),
                       ["text_model.onnx", "text_model.onnx.data", "vision_model.onnx", "vision_model.onnx_data"])
        // New weights of the same size in the data file: a new hash.
        let weights = dir.appendingPathComponent("vision_model.onnx_data")
        var bytes = try [UInt8](Data(contentsOf: weights))
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: weights)
        XCTAssertNotEqual(try registry.add(name: "ext", directory: dir.path, runtime: runtime).manifestHash, first)
    }
}
