import DescryVision
import DescryStore
import Foundation
import XCTest

final class ONNXSessionTests: XCTestCase {
    static func runtime() throws -> ONNXRuntime {
        do { return try ONNXRuntime.shared() } catch let error as VisionError {
            throw XCTSkip("ONNX Runtime not available (\(error)); run `make deps`")
        }
    }

    func testLoadsLibraryAndReadsSignatures() throws {
        let rt = try Self.runtime()
        XCTAssertFalse(rt.version.isEmpty)
        let session = try ONNXSession(model: TestSupport.fixture("models/tiny-clip/text_model.onnx"), runtime: rt)
        XCTAssertEqual(session.inputs.map(\.name), ["input_ids", "attention_mask"])
        XCTAssertEqual(session.inputs[0].elementType, .int64)
        XCTAssertEqual(session.inputs[0].shape, [-1, -1])
        XCTAssertEqual(session.inputs[0].dimensionNames, ["batch_size", "sequence_length"])
        XCTAssertEqual(session.outputs.map(\.name), ["text_embeds"])
        XCTAssertEqual(session.outputs[0].shape, [-1, 8])
        let vision = try ONNXSession(model: TestSupport.fixture("models/tiny-clip/vision_model.onnx"), runtime: rt)
        XCTAssertEqual(vision.inputs[0].shape, [-1, 3, 32, 32])
        XCTAssertEqual("\(vision.inputs[0])", "pixel_values: float32[batch_size, 3, 32, 32]")
    }

    func testFloat16InAndOut() throws {
        let rt = try Self.runtime()
        let session = try ONNXSession(model: TestSupport.fixture("models/fp16.onnx"), runtime: rt)
        let x = try ONNXTensor(float16From: [0.5, -1.25, 3, 1000], shape: [4])
        let y = try session.run(["x": x])["y"]!
        XCTAssertEqual(y.elementType, .float16)
        XCTAssertEqual(y.shape, [4])
        XCTAssertEqual(y.floats, [1, -2.5, 6, 2000])
    }

    func testErrorsCarryORTMessages() throws {
        let rt = try Self.runtime()
        let models = TestSupport.fixture("models")
        XCTAssertThrowsError(try ONNXSession(model: models.appendingPathComponent("missing.onnx"), runtime: rt)) {
            XCTAssertEqual($0 as? VisionError, .badModel(path: models.appendingPathComponent("missing.onnx").path, reason: "no such file"))
        }
        XCTAssertThrowsError(try ONNXSession(model: models.appendingPathComponent("not-onnx/text_model.onnx"), runtime: rt)) {
            guard case VisionError.badModel(_, let reason) = $0 else { return XCTFail("\($0)") }
            XCTAssertTrue(reason.contains("ONNX Runtime cannot load it"), reason)
            XCTAssertGreaterThan(reason.count, 30, "ORT's own message is included: \(reason)")
        }
        let session = try ONNXSession(model: models.appendingPathComponent("fp16.onnx"), runtime: rt)
        XCTAssertThrowsError(try session.run([:]))   // missing input
        // A wrong element type is caught before ORT runs, naming the file, the input and the feed.
        XCTAssertThrowsError(try session.run(["x": try ONNXTensor(float: [1, 2], shape: [2])])) {
            XCTAssertEqual($0 as? VisionError, .badFeed(path: models.appendingPathComponent("fp16.onnx").path, input: "x",
                                                        expected: "tensor(float16) [n]", fed: "tensor(float) [2]"))
        }
        XCTAssertThrowsError(try ONNXTensor(float: [1, 2, 3], shape: [2, 2]))
    }

    func testMissingLibraryNamesEveryPlaceTried() {
        XCTAssertThrowsError(try ONNXRuntime(searchPaths: ["/nowhere/libonnxruntime.so", "libdefinitely-not-ort.so"])) {
            guard case VisionError.runtimeNotFound(let tried) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(tried.count, 2)
            XCTAssertTrue(tried[0].hasPrefix("/nowhere/libonnxruntime.so"))
            XCTAssertTrue("\($0)".contains("DESCRY_ONNXRUNTIME"))
        }
        // An explicit DESCRY_ONNXRUNTIME is the only path tried; without it, the resource rule
        // (install, build tree, current directory) and then the system's library path.
        let custom = ONNXRuntime.defaultSearchPaths(locator: ResourceLocator(
            environment: ["DESCRY_ONNXRUNTIME": "/custom/ort.so"], executablePath: "/opt/x/bin/descry", currentDirectory: "/work"))
        XCTAssertEqual(custom, ["/custom/ort.so"])
        let paths = ONNXRuntime.defaultSearchPaths(locator: ResourceLocator(
            environment: [:], executablePath: "/src/d/.build/x86_64-unknown-linux-gnu/release/descry", currentDirectory: "/work"))
        XCTAssertEqual(paths, ["/src/d/.deps/onnxruntime/libonnxruntime.so", "/work/.deps/onnxruntime/libonnxruntime.so",
                               "libonnxruntime.so", "libonnxruntime.so.1"])
    }

    func testCUDARequestWithoutCUDABuildIsAClearError() throws {
        let rt = try Self.runtime()
        if rt.hasCUDA { throw XCTSkip("this ONNX Runtime has CUDA") }
        XCTAssertThrowsError(try ONNXSession(model: TestSupport.fixture("models/fp16.onnx"),
                                             options: ONNXSessionOptions(device: .cuda(deviceID: 0)), runtime: rt)) {
            XCTAssertTrue("\($0)".contains("CUDA"), "\($0)")
        }
    }

    func testHalfConversionRoundsToNearestEven() throws {
        let t = try ONNXTensor(float16From: [1, 65504, 1e-8, -0.0, 2049, 2051, .infinity], shape: [7])
        XCTAssertEqual(t.floats, [1, 65504, 0, -0.0, 2048, 2052, .infinity])
    }
}
