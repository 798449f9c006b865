import Foundation
import XCTest

/// `descry models add` with `--variant` and `--checkpoint` on the tiny export layouts of
/// `Tests/DescryVisionTests/Fixtures/models/layouts` (copied, since registering writes a manifest).
final class ModelLayoutsCLITests: XCTestCase {
    var cli: CLIHarness!
    let root = CLIHarness.packageRoot

    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: root + "/.deps/onnxruntime/libonnxruntime.so"),
              FileManager.default.fileExists(atPath: root + "/.deps/clip/bpe_simple_vocab_16e6.txt.gz") else {
            throw XCTSkip("ONNX Runtime or the CLIP vocabulary is missing; run `make deps`")
        }
        cli = try CLIHarness(name: "layouts")
        XCTAssertEqual(try cli.run(["init"]).status, 0)
    }

    func layout(_ name: String) throws -> String {
        let target = cli.directory + "/" + name
        try FileManager.default.copyItem(atPath: root + "/Tests/DescryVisionTests/Fixtures/models/layouts/" + name, toPath: target)
        return target
    }

    func testVariantPicksTheGraphsOfATransformersJSRepository() throws {
        let repo = try layout("xenova")
        let fp16 = try cli.run(["models", "add", "tiny-fp16", repo, "--variant", "fp16"])
        XCTAssertEqual(fp16.status, 0, fp16.err)
        XCTAssertTrue(fp16.out.contains("onnx/text_model_fp16.onnx + onnx/vision_model_fp16.onnx"), fp16.out)
        XCTAssertFalse(FileManager.default.fileExists(atPath: repo + "/descry-model.json"), "a chosen variant writes no manifest file")
        let plain = try cli.run(["models", "add", "tiny", repo])
        XCTAssertEqual(plain.status, 0, plain.err)
        XCTAssertTrue(plain.out.contains("onnx/text_model.onnx + onnx/vision_model.onnx"), plain.out)
        XCTAssertTrue(FileManager.default.fileExists(atPath: repo + "/descry-model.json"))
        // Both stay registered, each with its own graphs.
        let list = try cli.run(["models", "list"])
        XCTAssertTrue(list.out.contains("tiny-fp16") && list.out.contains("tiny "), list.out)
        let unknown = try cli.run(["models", "add", "tiny", repo, "--variant", "fp8"])
        XCTAssertEqual(unknown.status, 2, unknown.err)
        XCTAssertTrue(unknown.err.contains("quantized"), unknown.err)
    }

    func testSeveralCheckpointsNeedCheckpoint() throws {
        let folder = try layout("two-checkpoints")
        let refused = try cli.run(["models", "add", "b32", folder])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.err.contains("2 checkpoints") && refused.err.contains("--checkpoint STEM"), refused.err)
        let chosen = try cli.run(["models", "add", "b32", folder, "--checkpoint", "ViT-B-32-openai"])
        XCTAssertEqual(chosen.status, 0, chosen.err)
        XCTAssertTrue(chosen.out.contains("ViT-B-32-openai-textual.onnx + ViT-B-32-openai-visual.onnx"), chosen.out)
    }
}
