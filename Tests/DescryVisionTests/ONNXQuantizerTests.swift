import DescryStore
@testable import DescryVision
import Foundation
import XCTest

/// `ONNXQuantizer` on Fixtures/models/quantize/mlp.onnx (make_quantize_fixture.py), the
/// registry's `quantize`, and the optimised-graph cache of `ONNXSession`.
final class ONNXQuantizerTests: XCTestCase {
    static let fixture = TestSupport.fixture("models/quantize/mlp.onnx")

    /// The fields of a serialized message, as (number, bytes of the whole field).
    static func fields(_ bytes: [UInt8], _ range: Range<Int>? = nil) throws -> [(Int, [UInt8])] {
        try bytes.withUnsafeBytes { raw in
            let r = Protobuf.Reader(bytes: raw, path: "test")
            return try r.fields(range ?? 0..<raw.count).map { ($0.number, Array(raw[$0.whole])) }
        }
    }

    /// The graph (field 7) of a model, its own fields.
    static func graphFields(_ bytes: [UInt8]) throws -> [(Int, [UInt8])] {
        try bytes.withUnsafeBytes { raw in
            let r = Protobuf.Reader(bytes: raw, path: "test")
            guard let graph = try r.fields(0..<raw.count).first(where: { $0.number == 7 }) else { throw VisionError.invalidArgument("no graph") }
            return try r.fields(graph.payload).map { ($0.number, Array(raw[$0.whole])) }
        }
    }

    static func nodes(_ bytes: [UInt8]) throws -> [ONNXQuantizer.Node] {
        try bytes.withUnsafeBytes { raw in
            let r = Protobuf.Reader(bytes: raw, path: "test")
            let graph = try r.fields(0..<raw.count).first { $0.number == 7 }!
            return try r.fields(graph.payload).filter { $0.number == 1 }.map { try ONNXQuantizer.node(r, $0.payload) }
        }
    }

    /// An initializer's floats or int8 values (as Float), by name.
    static func tensor(_ bytes: [UInt8], _ name: String) throws -> [Float]? {
        try bytes.withUnsafeBytes { raw in
            let r = Protobuf.Reader(bytes: raw, path: "test")
            let graph = try r.fields(0..<raw.count).first { $0.number == 7 }!
            for f in try r.fields(graph.payload) where f.number == 5 {
                let t = try r.fields(f.payload)
                guard t.first(where: { $0.number == 8 }).map({ r.string($0.payload) }) == name else { continue }
                let type = t.first { $0.number == 2 }?.value
                guard let data = t.first(where: { $0.number == 9 }) else { return nil }
                let p = UnsafeRawBufferPointer(rebasing: raw[data.payload])
                if type == 3 { return p.map { Float(Int8(bitPattern: $0)) } }
                return (0..<(p.count / 4)).map { p.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
            }
            return nil
        }
    }

    func quantizedFixture() throws -> (URL, ONNXQuantizer.Report) {
        let out = try TestSupport.temporaryDirectory().appendingPathComponent("mlp-int8.onnx")
        return (out, try ONNXQuantizer.quantize(input: Self.fixture, output: out))
    }

    func testRewritesMatMulsWithConstantWeightsAsORTDoes() throws {
        let (out, report) = try quantizedFixture()
        XCTAssertEqual(report.matMulsQuantized, 3)   // fc1, fc2, fc3
        XCTAssertEqual(report.matMulsKept, 1)        // computed_b: its weight is computed
        XCTAssertEqual(report.weightBytesBefore, (16 * 32 * 2 + 32 * 8) * 4)
        XCTAssertEqual(report.weightBytesAfter, 16 * 32 * 2 + 32 * 8)
        let nodes = try Self.nodes(Array(try Data(contentsOf: out)))
        let ops = Dictionary(grouping: nodes, by: \.opType).mapValues(\.count)
        XCTAssertEqual(ops["MatMulInteger"], 3)
        XCTAssertEqual(ops["DynamicQuantizeLinear"], 2, "x is quantized once for fc1 and fc2, s once for fc3")
        XCTAssertEqual(ops["MatMul"], 1)
        XCTAssertEqual(ops["Gemm"], 1)
        XCTAssertEqual(ops["Cast"], 3)
        XCTAssertEqual(ops["Mul"], 6)
        // The rewritten MatMul's output keeps its name, so the nodes after it are untouched.
        let fc1 = try XCTUnwrap(nodes.first { $0.opType == "MatMulInteger" && $0.name == "fc1_quant" })
        XCTAssertEqual(fc1.inputs, ["x_quantized", "W1_quantized", "x_zero_point", "W1_zero_point"])
        XCTAssertTrue(nodes.contains { $0.opType == "Mul" && $0.outputs == ["h1"] })
        XCTAssertFalse(nodes.contains { $0.opType == "MatMul" && $0.outputs == ["h1"] })
    }

    func testWeightsArePerTensorSymmetricInt8() throws {
        let (out, _) = try quantizedFixture()
        let before = Array(try Data(contentsOf: Self.fixture)), after = Array(try Data(contentsOf: out))
        for name in ["W1", "W2", "W3"] {
            let w = try XCTUnwrap(Self.tensor(before, name))
            let q = try XCTUnwrap(Self.tensor(after, name + "_quantized"))
            let scale = try XCTUnwrap(Self.tensor(after, name + "_scale")).first!
            XCTAssertEqual(try Self.tensor(after, name + "_zero_point"), [0])
            let absmax = w.map(abs).max()!
            XCTAssertEqual(scale, absmax / 127, accuracy: absmax / 127 * 1e-6)
            XCTAssertEqual(q.map(abs).max(), 127, "the largest weight maps to ±127")
            for (v, qv) in zip(w, q) { XCTAssertLessThanOrEqual(abs(v - qv * scale), scale / 2 * 1.0001) }
        }
        // W1 and W2 are read by their MatMul only: their float copies are gone. W3 is also read
        // by ReduceSum, and W4 through Identity: both stay, as they were.
        XCTAssertNil(try Self.tensor(after, "W1"))
        XCTAssertNil(try Self.tensor(after, "W2"))
        XCTAssertEqual(try Self.tensor(after, "W3"), try Self.tensor(before, "W3"))
        XCTAssertEqual(try Self.tensor(after, "W4"), try Self.tensor(before, "W4"))
    }

    func testEverythingElseIsCopiedByteForByte() throws {
        let (out, _) = try quantizedFixture()
        let before = Array(try Data(contentsOf: Self.fixture)), after = Array(try Data(contentsOf: out))
        // Model-level fields (ir_version, producer, opsets, metadata) other than the graph.
        XCTAssertEqual(try Self.fields(before).filter { $0.0 != 7 }.map(\.1), try Self.fields(after).filter { $0.0 != 7 }.map(\.1))
        XCTAssertTrue(try Self.fields(before).contains { $0.0 == 14 }, "the fixture has metadata to compare")
        // In the graph: every field that is not a rewritten MatMul or a dropped weight, in order.
        let names = try Self.nodes(before)
        var nodeIndex = 0
        let kept = try Self.graphFields(before).filter { number, bytes in
            if number == 1 {
                defer { nodeIndex += 1 }
                return !(names[nodeIndex].opType == "MatMul" && ["fc1", "fc2", "fc3"].contains(names[nodeIndex].name))
            }
            if number == 5 { return !["W1", "W2"].contains(Self.initializerName(bytes) ?? "") }
            return true
        }.map(\.1)
        let afterFields = try Self.graphFields(after).map(\.1)
        var cursor = afterFields.startIndex
        for field in kept {
            guard let at = afterFields[cursor...].firstIndex(of: field) else { return XCTFail("a graph field of \(field.count) bytes was not copied as it was") }
            cursor = at + 1
        }
        XCTAssertEqual(kept.count, try Self.graphFields(before).count - 3 - 2)
    }

    /// The name of the initializer whose whole field (key included) is `bytes`.
    static func initializerName(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { raw in
            let r = Protobuf.Reader(bytes: raw, path: "test")
            guard let field = try? r.fields(0..<raw.count).first else { return nil }
            return ONNXQuantizer.initializerName(r, field.payload)
        }
    }

    func testQuantizedGraphRunsAndMatchesFloat32() throws {
        let rt = try ONNXSessionTests.runtime()
        let (out, _) = try quantizedFixture()
        let float = try ONNXSession(model: Self.fixture, runtime: rt)
        let int8 = try ONNXSession(model: out, runtime: rt)
        var x: [Float] = []
        var seed: UInt64 = 7
        for _ in 0..<(64 * 16) {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            x.append(Float(Int(seed >> 40) % 2001 - 1000) / 500)
        }
        let feed = ["x": try ONNXTensor(float: x, shape: [64, 16])]
        let a = try float.run(feed), b = try int8.run(feed)
        XCTAssertEqual(a["w3_sum"]!.floats, b["w3_sum"]!.floats, "W3's float copy is untouched")
        let ya = a["y"]!.floats, yb = b["y"]!.floats
        XCTAssertEqual(b["y"]!.shape, [64, 8])
        // Stated tolerance, the error onnxruntime-python's own quantize_dynamic makes on this
        // fixture (cosine 0.99926 overall, 0.9886 for the worst row, largest error 8.6 % of the
        // largest output: its output sums large terms that cancel): cosine ≥ 0.999 over the
        // batch, ≥ 0.98 per row, largest error ≤ 10 % of the largest |output|.
        func cosine(_ p: ArraySlice<Float>, _ q: ArraySlice<Float>) -> Float {
            zip(p, q).map(*).reduce(0, +) / (sqrt(p.map { $0 * $0 }.reduce(0, +)) * sqrt(q.map { $0 * $0 }.reduce(0, +)))
        }
        XCTAssertGreaterThan(cosine(ya[...], yb[...]), 0.999)
        for row in 0..<64 {
            XCTAssertGreaterThan(cosine(ya[(row * 8)..<(row * 8 + 8)], yb[(row * 8)..<(row * 8 + 8)]), 0.98, "row \(row)")
        }
        XCTAssertLessThanOrEqual(zip(ya, yb).map { abs($0 - $1) }.max()!, 0.10 * ya.map(abs).max()!)
        XCTAssertNotEqual(ya, yb, "the int8 graph really computes in int8")
    }

    func testRefusesOldOpsetsAndGarbage() throws {
        let dir = try TestSupport.temporaryDirectory()
        let junk = dir.appendingPathComponent("junk.onnx")
        try Data([0x0A, 0xFF, 0x01]).write(to: junk)
        XCTAssertThrowsError(try ONNXQuantizer.quantize(input: junk, output: dir.appendingPathComponent("o.onnx"))) {
            guard case VisionError.badModel(let path, let reason) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(path, junk.path)
            XCTAssertTrue(reason.contains("byte"), reason)
        }
        // The fixture with its opset entry rewritten to 10 (field 8: domain "" , version 10).
        var bytes = Array(try Data(contentsOf: Self.fixture))
        let opsets = try Self.fields(bytes).filter { $0.0 == 8 }
        XCTAssertEqual(opsets.count, 1)
        let old = opsets[0].1
        var w = Protobuf.Writer()
        w.message(8) { $0.string(1, ""); $0.int(2, 10) }
        let at = try XCTUnwrap(bytes.indices.first { Array(bytes[$0..<min($0 + old.count, bytes.count)]) == old })
        bytes.replaceSubrange(at..<(at + old.count), with: w.bytes)
        XCTAssertThrowsError(try ONNXQuantizer.quantize(model: Data(bytes), path: "old.onnx")) {
            XCTAssertTrue("\($0)".contains("opset 10"), "\($0)")
        }
    }

    func testRegistryQuantizeRegistersTheNewModelWithItsSource() throws {
        _ = try ONNXSessionTests.runtime()
        _ = try TestSupport.openCLIPVocabulary()
        let dir = try TestSupport.temporaryDirectory()
        let store = try Store(path: dir.appendingPathComponent("s.db").path,
                              taxonomy: try AttributeTaxonomy.shipped(dataDirectory: TestSupport.packageRoot.appendingPathComponent("Data").path),
                              create: true)
        let registry = ModelRegistry(store: store)
        let source = try registry.add(name: "demo", directory: TestSupport.packageRoot.appendingPathComponent("Data/models/demo-clip").path)
        let q = try registry.quantize("demo", as: "demo-int8", into: dir.appendingPathComponent("int8"))
        XCTAssertEqual(q.graphs.map(\.graph), ["text_model.onnx", "vision_model.onnx"])
        XCTAssertTrue(q.graphs.allSatisfy { $0.report.matMulsQuantized > 0 && $0.report.bytesOut < $0.report.bytesIn })
        let got = try registry.get("demo-int8")
        XCTAssertEqual(got.manifest.quantization?.sourceModel, "demo")
        XCTAssertEqual(got.manifest.quantization?.sourceHash, source.manifestHash)
        XCTAssertEqual(got.manifest.quantization?.method, "int8-dynamic-matmul")
        XCTAssertNotEqual(got.manifestHash, source.manifestHash)
        XCTAssertNil(source.manifest.quantization)
        XCTAssertThrowsError(try registry.quantize("demo", as: "demo", into: dir.appendingPathComponent("x")))
        // Zero-shot on a demo image agrees: same top class from both models.
        let (_, f) = try registry.load("demo"), (_, i) = try registry.load("demo-int8")
        let image = TestSupport.packageRoot.appendingPathComponent("Data/demo/images/amber_moonglobe/000.png")
        let prompts = ["a photo of a amber moonglobe.", "a photo of a amber dune globe.", "a photo of a crimson sailfin."]
        let sf = try f.similarity(imageAt: image, texts: prompts), si = try i.similarity(imageAt: image, texts: prompts)
        XCTAssertEqual(sf.indices.max { sf[$0] < sf[$1] }, si.indices.max { si[$0] < si[$1] })
        for (x, y) in zip(sf, si) { XCTAssertEqual(x, y, accuracy: 0.02) }
    }

    // MARK: the graph cache

    func testGraphCacheIsWrittenThenUsedAndRebuiltWhenTheModelChanges() throws {
        let rt = try ONNXSessionTests.runtime()
        let dir = try TestSupport.temporaryDirectory()
        let model = dir.appendingPathComponent("model/mlp.onnx")
        try FileManager.default.createDirectory(at: model.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.fixture, to: model)
        let cache = dir.appendingPathComponent("cache")
        let options = ONNXSessionOptions(intraOpThreads: 1, graphCacheDirectory: cache)
        let feed = ["x": try ONNXTensor(float: (0..<32).map { Float($0) / 10 - 1.6 }, shape: [2, 16])]

        let first = try ONNXSession(model: model, options: options, runtime: rt)
        guard case .written(let entry) = first.graphCache else { return XCTFail("\(first.graphCache)") }
        XCTAssertTrue(FileManager.default.fileExists(atPath: entry))
        let second = try ONNXSession(model: model, options: options, runtime: rt)
        XCTAssertEqual(second.graphCache, .loaded(path: entry))
        XCTAssertEqual(try first.run(feed)["y"]!.floats, try second.run(feed)["y"]!.floats)
        var off = options
        off.graphCacheDirectory = nil
        XCTAssertEqual(try ONNXSession(model: model, options: off, runtime: rt).graphCache, .off)

        // Another optimisation level is another entry.
        var basic = options
        basic.graphOptimization = .basic
        guard case .written(let basicEntry) = try ONNXSession(model: model, options: basic, runtime: rt).graphCache else { return XCTFail() }
        XCTAssertNotEqual(basicEntry, entry)

        // A changed model (the quantized graph written over it): a new entry, the old ones removed.
        _ = try ONNXQuantizer.quantize(input: Self.fixture, output: model)
        let changed = try ONNXSession(model: model, options: options, runtime: rt)
        guard case .written(let newEntry) = changed.graphCache else { return XCTFail("\(changed.graphCache)") }
        XCTAssertNotEqual(newEntry, entry)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache.path), [URL(fileURLWithPath: newEntry).lastPathComponent])
        XCTAssertNotEqual(try changed.run(feed)["y"]!.floats, try first.run(feed)["y"]!.floats, "the new graph runs, not the stale one")
    }

    func testCorruptCacheEntryIsReplacedNeverFatal() throws {
        let rt = try ONNXSessionTests.runtime()
        let dir = try TestSupport.temporaryDirectory()
        let cache = dir.appendingPathComponent("cache")
        let options = ONNXSessionOptions(intraOpThreads: 1, graphCacheDirectory: cache)
        guard case .written(let entry) = try ONNXSession(model: Self.fixture, options: options, runtime: rt).graphCache else { return XCTFail() }
        try Data("not a graph".utf8).write(to: URL(fileURLWithPath: entry))
        let session = try ONNXSession(model: Self.fixture, options: options, runtime: rt)
        guard case .ignored(let reason) = session.graphCache else { return XCTFail("\(session.graphCache)") }
        XCTAssertTrue(reason.contains("did not load") && reason.contains("rewritten"), reason)
        XCTAssertEqual(try ONNXSession(model: Self.fixture, options: options, runtime: rt).graphCache, .loaded(path: entry))
        // An unwritable cache folder (a file in its place): noted, the session still starts.
        let blocked = dir.appendingPathComponent("blocked")
        try Data().write(to: blocked)
        var o = options
        o.graphCacheDirectory = blocked
        let s = try ONNXSession(model: Self.fixture, options: o, runtime: rt)
        guard case .ignored = s.graphCache else { return XCTFail("\(s.graphCache)") }
        XCTAssertEqual(s.outputs.map(\.name), ["y", "w3_sum"])
    }
}
