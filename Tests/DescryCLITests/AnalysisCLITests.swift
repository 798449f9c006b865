import Foundation
import XCTest

/// Black-box tests of the analysis commands: classify, evaluate, score, audit, report.
final class AnalysisCLITests: XCTestCase {
    var cli: CLIHarness!
    var dir: String { cli.directory }

    override func setUpWithError() throws { cli = try CLIHarness(name: "analysis-cli") }

    @discardableResult
    func descry(_ args: String...) throws -> CLIHarness.Outcome { try cli.run(args) }

    static var hasRuntime: Bool { FileManager.default.fileExists(atPath: CLIHarness.packageRoot + "/.deps/onnxruntime/libonnxruntime.so") }

    func testBadInputSaysWhatToDo() throws {
        let data = CLIHarness.packageRoot + "/Data"
        XCTAssertEqual(try descry("init").status, 0)
        XCTAssertEqual(try descry("import", "fudd", data + "/demo", "--dataset", "demo").status, 0)
        XCTAssertEqual(try descry("evaluate", "--vlm", "demo-clip", "--dataset", "demo", "--methods", "fud").status, 2)
        XCTAssertEqual(try descry("evaluate", "--vlm", "demo-clip", "--dataset", "demo", "--k", "0").status, 2)
        let unknown = try descry("evaluate", "--vlm", "nope", "--dataset", "demo")
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.err.contains("models add"), unknown.err)
        let audit = try descry("audit", "--dataset", "demo")
        XCTAssertEqual(audit.status, 0, audit.err)
        XCTAssertTrue(audit.out.contains("audited 'demo'"))
        // Registering the model reads its ONNX files: the rest needs ONNX Runtime.
        guard Self.hasRuntime else { throw XCTSkip("ONNX Runtime is not in .deps; run `make deps`") }
        XCTAssertEqual(try descry("models", "add", "demo-clip", data + "/models/demo-clip").status, 0)
        let noImages = try descry("evaluate", "--vlm", "demo-clip", "--dataset", "demo")
        XCTAssertEqual(noImages.status, 1)
        XCTAssertTrue(noImages.err.contains("descry images add demo"), noImages.err)
        let noTexts = try descry("classify", "--vlm", "demo-clip", "--dataset", "demo", "--method", "template", data + "/demo/images/crimson_sailfin/000.png")
        XCTAssertEqual(noTexts.status, 1)
        XCTAssertTrue(noTexts.err.contains("descry embed texts --vlm demo-clip --dataset demo"), noTexts.err)
        let report = try descry("report", "--vlm", "demo-clip", "--dataset", "demo", "--out", dir + "/r.html")
        XCTAssertEqual(report.status, 0, report.err)
        let html = try String(contentsOfFile: dir + "/r.html", encoding: .utf8)
        XCTAssertTrue(html.contains("descry evaluate --vlm demo-clip --dataset demo"))
    }

    func testDemoModelEndToEnd() throws {
        guard Self.hasRuntime else { throw XCTSkip("ONNX Runtime is not in .deps; run `make deps`") }
        let data = CLIHarness.packageRoot + "/Data"
        for args in [["init"], ["import", "fudd", data + "/demo", "--dataset", "demo"],
                     ["import", "descriptions", data + "/demo/demo_descriptions.json", "--dataset", "demo"],
                     ["import", "templates", data + "/demo/demo_templates.json", "--dataset", "demo"],
                     ["models", "add", "demo-clip", data + "/models/demo-clip"], ["images", "add", "demo", data + "/demo/images"],
                     ["embed", "images", "--vlm", "demo-clip", "--dataset", "demo"], ["embed", "texts", "--vlm", "demo-clip", "--dataset", "demo"]] {
            let r = try descry(args.first!, Array(args.dropFirst()))
            XCTAssertEqual(r.status, 0, "\(args): \(r.err)")
        }
        let ev = try descry("--json", "evaluate", "--vlm", "demo-clip", "--dataset", "demo", "--methods", "template,fudd", "--k", "3,99")
        XCTAssertEqual(ev.status, 0, ev.err)
        let obj = try JSONSerialization.jsonObject(with: Data(ev.out.utf8)) as! [String: Any]
        let results = obj["results"] as! [[String: Any]]
        XCTAssertEqual(results.map { $0["k"] as? Int }, [nil, 3, 14], "k=99 clamped to the 14 classes")
        XCTAssertEqual(results[0]["top1"] as! Double, 0.5536, accuracy: 0.0006)
        XCTAssertEqual(results[1]["top1"] as! Double, 0.9881, accuracy: 0.0006)
        let cls = try descry("classify", "--vlm", "demo-clip", "--dataset", "demo", "--k", "3", data + "/demo/images/crimson_sailfin/000.png")
        XCTAssertEqual(cls.status, 0, cls.err)
        XCTAssertTrue(cls.out.contains("decided by, for crimson sailfin"), cls.out)
        let score = try descry("score", "--vlm", "demo-clip", "--dataset", "demo")
        XCTAssertEqual(score.status, 0, score.err)
        XCTAssertTrue(score.out.contains("189 computed"), score.out)
        XCTAssertTrue(try descry("score", "--vlm", "demo-clip", "--dataset", "demo").out.contains("0 computed, 189 unchanged"))
    }
}

extension AnalysisCLITests {
    /// `descry(first, rest)` for argument arrays.
    func descry(_ first: String, _ rest: [String]) throws -> CLIHarness.Outcome { try cli.run([first] + rest) }
}
