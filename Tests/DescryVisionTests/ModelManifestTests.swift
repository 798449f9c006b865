import DescryVision
import Foundation
import XCTest

final class ModelManifestTests: XCTestCase {
    /// A temporary copy of a fixture model folder.
    static func copyModel(_ name: String) throws -> URL {
        let dir = try TestSupport.temporaryDirectory()
        let source = TestSupport.fixture("models/" + name)
        for file in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: dir.appendingPathComponent(file))
        }
        return dir
    }

    func testDetectsHuggingFaceStyleExport() throws {
        let rt = try ONNXSessionTests.runtime()
        let manifest = try ModelManifest.detect(directory: TestSupport.fixture("models/tiny-clip"), runtime: rt)
        XCTAssertEqual(manifest.textModel, "text_model.onnx")
        XCTAssertEqual(manifest.imageModel, "vision_model.onnx")
        XCTAssertEqual(manifest.textInputIDs, "input_ids")
        XCTAssertEqual(manifest.textAttentionMask, "attention_mask")
        XCTAssertEqual(manifest.textOutput, "text_embeds")
        XCTAssertEqual(manifest.imageInput, "pixel_values")
        XCTAssertEqual(manifest.imageOutput, "image_embeds")
        XCTAssertEqual(manifest.contextLength, 77)
        XCTAssertEqual(manifest.imageSize, 32)
        XCTAssertEqual(manifest.embeddingDim, 8)
        XCTAssertFalse(manifest.outputsNormalized)
        XCTAssertEqual(manifest.tokenizer, .init(kind: "open_clip"))
        // The committed manifest is what detection writes.
        XCTAssertEqual(manifest, try ModelManifest.load(directory: TestSupport.fixture("models/tiny-clip")))
    }

    func testWriteThenLoadRoundTrips() throws {
        let rt = try ONNXSessionTests.runtime()
        let dir = try Self.copyModel("tiny-clip")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.removeItem(at: dir.appendingPathComponent(ModelManifest.fileName))
        var manifest = try ModelManifest.detect(directory: dir, runtime: rt, logitScale: 100)
        manifest.cropRounding = .floor
        try manifest.write(directory: dir)
        XCTAssertEqual(try ModelManifest.load(directory: dir), manifest)
    }

    func testLoadErrorsNameTheField() throws {
        let dir = try Self.copyModel("tiny-clip")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent(ModelManifest.fileName)
        let original = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        func expect(_ edit: (inout [String: Any]) -> Void, field: String, line: UInt = #line) throws {
            var json = original
            edit(&json)
            try JSONSerialization.data(withJSONObject: json).write(to: url)
            XCTAssertThrowsError(try ModelManifest.load(directory: dir), line: line) {
                guard case VisionError.badManifest(_, let f, let reason) = $0 else { return XCTFail("\($0)", line: line) }
                XCTAssertEqual(f, field, reason, line: line)
            }
        }
        try expect({ $0["image_size"] = nil }, field: "image_size")
        try expect({ $0["image_size"] = "big" }, field: "image_size")
        try expect({ $0["mean"] = [0.5, 0.5] }, field: "mean")
        try expect({ $0["text_model"] = "missing.onnx" }, field: "text_model")
        try expect({ $0["format_version"] = 9 }, field: "format_version")
        try expect({ $0["tokenizer"] = ["kind": "sentencepiece"] }, field: "tokenizer.kind")
        try expect({ $0["tokenizer"] = ["kind": "huggingface", "vocabulary": "vocab.json"] }, field: "tokenizer.vocabulary")
        try FileManager.default.removeItem(at: url)
        XCTAssertThrowsError(try ModelManifest.load(directory: dir)) {
            XCTAssertTrue("\($0)".contains("descry models add"), "\($0)")
        }
    }

    func testManifestMustMatchTheGraphs() throws {
        let rt = try ONNXSessionTests.runtime()
        let good = try ModelManifest.load(directory: TestSupport.fixture("models/tiny-clip"))
        // Wrong inputs: the manifest's names are not in these graphs.
        let wrong = TestSupport.fixture("models/wrong-inputs")
        XCTAssertThrowsError(try CLIPModel(manifest: good, directory: wrong, runtime: rt)) {
            guard case VisionError.badManifest(_, let field, let reason) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(field, "text_input_ids")
            XCTAssertTrue(reason.contains("tokens: int64"), reason)
        }
        var size = good
        size.imageSize = 64
        XCTAssertThrowsError(try CLIPModel(manifest: size, directory: TestSupport.fixture("models/tiny-clip"), runtime: rt)) {
            guard case VisionError.badManifest(_, let field, _) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(field, "image_size")
        }
        var dim = good
        dim.embeddingDim = 512
        XCTAssertThrowsError(try CLIPModel(manifest: dim, directory: TestSupport.fixture("models/tiny-clip"), runtime: rt)) {
            guard case VisionError.badManifest(_, let field, _) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(field, "embedding_dim")
        }
        // Detection adapts to other names when it can.
        let detected = try ModelManifest.detect(directory: wrong, runtime: rt)
        XCTAssertEqual([detected.textInputIDs, detected.textAttentionMask, detected.imageInput], ["tokens", "mask", "image"])
    }

    func testNotONNXAndMissingFiles() throws {
        let rt = try ONNXSessionTests.runtime()
        XCTAssertThrowsError(try ModelManifest.detect(directory: TestSupport.fixture("models/not-onnx"), runtime: rt)) {
            guard case VisionError.badModel(let path, let reason) = $0 else { return XCTFail("\($0)") }
            XCTAssertTrue(path.hasSuffix("text_model.onnx"), path)
            XCTAssertTrue(reason.contains("ONNX Runtime cannot load it"), reason)
        }
        let empty = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        XCTAssertThrowsError(try ModelManifest.detect(directory: empty, runtime: rt)) {
            XCTAssertTrue("\($0)".contains("no text encoder ONNX file"), "\($0)")
        }
    }
}
