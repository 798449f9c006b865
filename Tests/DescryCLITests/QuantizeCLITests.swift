import Foundation
import XCTest

/// `descry models quantize` end to end on the shipped demo model, and `descry bench report`
/// on hand-written runs.
final class QuantizeCLITests: XCTestCase {
    let root = CLIHarness.packageRoot

    func testQuantizeRegistersAWorkingInt8Model() throws {
        guard FileManager.default.fileExists(atPath: root + "/.deps/onnxruntime/libonnxruntime.so"),
              FileManager.default.fileExists(atPath: root + "/.deps/clip/bpe_simple_vocab_16e6.txt.gz") else {
            throw XCTSkip("ONNX Runtime or the CLIP vocabulary is missing; run `make deps`")
        }
        let cli = try CLIHarness(name: "quantize")
        XCTAssertEqual(try cli.run(["init"]).status, 0)
        XCTAssertEqual(try cli.run(["models", "add", "demo", root + "/Data/models/demo-clip"]).status, 0)
        let q = try cli.run(["--json", "models", "quantize", "demo"])
        XCTAssertEqual(q.status, 0, q.err)
        let out = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(q.out.utf8)) as? [String: Any], q.out)
        XCTAssertEqual(out["name"] as? String, "demo-int8")
        XCTAssertEqual(out["directory"] as? String, cli.directory + "/models/demo-int8", "default: models/NEW_NAME beside the store")
        let graphs = try XCTUnwrap(out["graphs"] as? [[String: Any]])
        XCTAssertEqual(graphs.compactMap { $0["graph"] as? String }, ["text_model.onnx", "vision_model.onnx"])
        XCTAssertTrue(graphs.allSatisfy { ($0["matmuls_quantized"] as? Int ?? 0) > 0 }, q.out)
        let manifest = try String(contentsOfFile: cli.directory + "/models/demo-int8/descry-model.json", encoding: .utf8)
        XCTAssertTrue(manifest.contains("\"source_model\" : \"demo\""), manifest)
        let list = try cli.run(["models", "list"])
        XCTAssertTrue(list.out.contains("demo-int8"), list.out)
        let sim = try cli.run(["similarity", "--vlm", "demo-int8", root + "/Data/demo/images/amber_moonglobe/000.png", "a photo of a amber moonglobe."])
        XCTAssertEqual(sim.status, 0, sim.err)
        // --as with another folder; the same name again is refused clearly.
        let named = try cli.run(["models", "quantize", "demo", "--as", "small", "--out", cli.directory + "/elsewhere"])
        XCTAssertEqual(named.status, 0, named.err)
        XCTAssertTrue(named.out.contains("registered small: " + cli.directory + "/elsewhere"), named.out)
        let same = try cli.run(["models", "quantize", "demo", "--as", "demo"])
        XCTAssertNotEqual(same.status, 0)
        XCTAssertTrue(same.err.contains("needs a name of its own"), same.err)
        let missing = try cli.run(["models", "quantize", "nope"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.err.contains("no model named 'nope'"), missing.err)
    }

    func testBenchReportMakesOneTableAndOneJSONFile() throws {
        let cli = try CLIHarness(name: "bench-report")
        let runs = cli.directory + "/runs"
        try FileManager.default.createDirectory(atPath: runs, withIntermediateDirectories: true)
        try Data(#"{"bench": "alpha", "command": "descry --json bench alpha", "load_before": "0.50 0.40 0.30", "load_after": "1.00 0.60 0.35", "seconds": 12.5, "status": 0}"#.utf8)
            .write(to: URL(fileURLWithPath: runs + "/alpha.meta.json"))
        try Data(#"{"rows_per_second": 52713.26, "python_rows_per_second": 90500, "nested": {"ok": true}}"#.utf8)
            .write(to: URL(fileURLWithPath: runs + "/alpha.json"))
        try Data(#"{"bench": "beta", "command": "python3 baseline.py --json", "load_before": "1 1 1", "load_after": "2 2 2", "status": 3}"#.utf8)
            .write(to: URL(fileURLWithPath: runs + "/beta.meta.json"))
        try Data(#"[{"name": "image encoder", "rate": 13.25}, {"name": "text encoder", "rate": 18}]"#.utf8)
            .write(to: URL(fileURLWithPath: runs + "/beta.json"))
        let r = try cli.run(["bench", "report", "--runs", runs, "--out", cli.directory])
        XCTAssertEqual(r.status, 0, r.err)
        let md = try String(contentsOfFile: cli.directory + "/report.md", encoding: .utf8)
        XCTAssertEqual(md.components(separatedBy: "| bench | measure |").count, 2, "one table: \(md)")
        XCTAssertTrue(md.contains("| alpha | nested.ok | true | 0.50 0.40 0.30 → 1.00 0.60 0.35 |"), md)
        XCTAssertTrue(md.contains("|  | python_rows_per_second | 90500 |  |"), md)
        XCTAssertTrue(md.contains("|  | rows_per_second | 52713.3 |  |"), md)
        XCTAssertTrue(md.contains("| beta | exit status | 3 (failed) | 1 1 1 → 2 2 2 |"), md)
        XCTAssertTrue(md.contains("|  | image encoder.rate | 13.25 |  |"), md)
        XCTAssertTrue(md.contains("- alpha: `descry --json bench alpha` (12 s)"), md)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cli.directory + "/report.json"))) as? [String: Any])
        let listed = try XCTUnwrap(json["runs"] as? [[String: Any]])
        XCTAssertEqual(listed.compactMap { $0["bench"] as? String }, ["alpha", "beta"])
        XCTAssertEqual(listed[0]["load_before"] as? String, "0.50 0.40 0.30")
        // No runs: a clear error.
        let empty = try cli.run(["bench", "report", "--runs", cli.directory + "/models-none"])
        XCTAssertNotEqual(empty.status, 0)
    }
}
