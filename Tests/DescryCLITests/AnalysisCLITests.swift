import DescryTestSupport
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

    /// A Data folder of links to the shipped one, whose models/ holds `models` (name → folder).
    func dataFolder(_ name: String, models: [String: String]) throws -> String {
        let data = CLIHarness.packageRoot + "/Data", fm = FileManager.default
        let out = dir + "/" + name
        try fm.createDirectory(atPath: out + "/models", withIntermediateDirectories: true)
        for entry in try fm.contentsOfDirectory(atPath: data) where entry != "models" {
            try fm.createSymbolicLink(atPath: out + "/" + entry, withDestinationPath: data + "/" + entry)
        }
        for (model, folder) in models { try fm.createSymbolicLink(atPath: out + "/models/" + model, withDestinationPath: folder) }
        return out
    }

    /// The shipped demo with both shipped models: the differential descriptions cover the seven
    /// twin pairs; demo-clip confuses only twins, demo-clip-randbg two pairs that are not, and the
    /// dry run asks for exactly those two.
    func testShippedDemoShowsThePairsEachVLMLacks() throws {
        guard Self.hasRuntime else { throw XCTSkip("ONNX Runtime is not in .deps; run `make deps`") }
        let r = try Subprocess(cli.executable, ["--store", dir + "/shipped.db", "demo", "--data", CLIHarness.packageRoot + "/Data",
                                                "--report", dir + "/shipped.html", "--k", "1,3"]).run(timeout: 300)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("6 confused pairs; 0 lack differential descriptions for demo-clip;"), r.stdout)
        XCTAssertTrue(r.stdout.contains("8 confused pairs; 2 lack differential descriptions for demo-clip-randbg: amber puffcap / ember hexling, slate hexling / snowy ringlet;"), r.stdout)
        XCTAssertTrue(r.stdout.contains("dry run: 2 requests for differential (demo-clip-randbg, --missing --k 8)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("all 6 most confused pairs of 'demo-clip' on 'demo' already have differential descriptions"), r.stdout)
        XCTAssertTrue(r.stdout.contains("top attribute of demo-clip: background"), r.stdout)
        XCTAssertTrue(r.stdout.contains("top attribute of demo-clip-randbg: size"), r.stdout)
    }

    /// `descry demo` with two VLMs (the second a stand-in: a link to demo-clip's folder), then
    /// with the second one absent; `descry report` with --vlm twice and --vlm all.
    func testDemoRunsEveryListedVLMSideBySide() throws {
        guard Self.hasRuntime else { throw XCTSkip("ONNX Runtime is not in .deps; run `make deps`") }
        // Its own --store and --data, not the harness's.
        func raw(_ args: [String]) throws -> CLIHarness.Outcome {
            let r = try Subprocess(cli.executable, args).run(timeout: 300)
            return (r.status, r.stdout, r.stderr)
        }
        let clip = CLIHarness.packageRoot + "/Data/models/demo-clip"
        let two = try dataFolder("two", models: ["demo-clip": clip, "demo-clip-randbg": clip])
        let demo = try raw(["--store", dir + "/two.db", "demo", "--data", two, "--report", dir + "/two.html", "--k", "1,3"])
        XCTAssertEqual(demo.status, 0, demo.err)
        let out = demo.out
        XCTAssertFalse(out.contains("is absent"), out)
        XCTAssertTrue(out.contains("method        k  aggregation  demo-clip  demo-clip-randbg"), "one accuracy column per VLM:\n\(out)")
        XCTAssertTrue(out.contains("pivot attribute by vlm value mean(lift)"), "the DQL it ran is printed")
        for vlm in ["demo-clip", "demo-clip-randbg"] {
            XCTAssertTrue(out.contains("== \(vlm): embed, score, audit, evaluate"), vlm)
            XCTAssertTrue(out.contains("  \(vlm): best FuDD: k=3"), vlm)
            XCTAssertTrue(out.contains("top attribute of \(vlm): "), vlm)
            XCTAssertTrue(out.contains("generate differential --dataset demo --vlm \(vlm) --missing --k 6 --dry-run"), "asks for its 6 confused pairs: \(vlm)")
            XCTAssertTrue(out.contains("lack differential descriptions for \(vlm)"), vlm)
            XCTAssertTrue(out.contains("dry run: 1 requests for differential (\(vlm)"), vlm)
        }
        XCTAssertTrue(out.contains("no LLM runs in the demo; nothing is sent"))
        XCTAssertTrue(out.contains("POST https://api.openai.com/v1/chat/completions") || out.contains("POST http"), out)
        XCTAssertLessThan(out.split(separator: "\n").count, 220, "bounded output")
        let html = try String(contentsOfFile: dir + "/two.html", encoding: .utf8)
        XCTAssertTrue(html.contains("2 VLMs side by side"))

        for args in [["--vlm", "demo-clip", "--vlm", "demo-clip-randbg"], ["--vlm", "all"]] {
            let r = try raw(["--store", dir + "/two.db", "report", "--dataset", "demo", "--out", dir + "/r.html"] + args)
            XCTAssertEqual(r.status, 0, r.err)
            XCTAssertTrue(r.out.contains("demo-clip, demo-clip-randbg"), r.out)
            XCTAssertTrue(try String(contentsOfFile: dir + "/r.html", encoding: .utf8).contains("Attribute preference side by side"))
        }
        for args in [["--vlm", "all", "--vlm", "demo-clip"], ["--vlm", "demo-clip", "--vlm", "demo-clip"], []] {  // [] lacks the required --vlm
            let r = try raw(["--store", dir + "/two.db", "report", "--dataset", "demo", "--out", dir + "/bad.html"] + args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.err)")
        }

        let one = try dataFolder("one", models: ["demo-clip": clip])
        let alone = try raw(["--store", dir + "/one.db", "demo", "--data", one, "--report", dir + "/one.html", "--k", "3"])
        XCTAssertEqual(alone.status, 0, alone.err)
        XCTAssertTrue(alone.out.contains("note: demo-clip-randbg is listed but \(one)/models/demo-clip-randbg is absent: skipped"), alone.out)
        XCTAssertFalse(alone.out.contains("== demo-clip-randbg: embed"))
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
        XCTAssertTrue(score.out.contains("133 computed"), score.out)
        XCTAssertTrue(try descry("score", "--vlm", "demo-clip", "--dataset", "demo").out.contains("0 computed, 133 unchanged"))
    }
}

extension AnalysisCLITests {
    /// `descry(first, rest)` for argument arrays.
    func descry(_ first: String, _ rest: [String]) throws -> CLIHarness.Outcome { try cli.run([first] + rest) }
}
