import Foundation
import XCTest

/// Black-box tests of the `descry` executable: output, `--json`, and exit codes
/// (0 success, 1 user error with a one-line message, 2 usage error).
final class CLITests: XCTestCase {
    var cli: CLIHarness!
    var dir: String { cli.directory }

    override func setUpWithError() throws { cli = try CLIHarness(name: "cli") }

    @discardableResult
    func descry(_ args: String...) throws -> CLIHarness.Outcome { try cli.run(args) }

    func write(_ text: String, _ name: String) -> String {
        let path = dir + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    func testInitImportStatsSearchExport() throws {
        XCTAssertEqual(try descry("init").status, 0)
        let names = write(#"["red kite", "blue kite"]"#, "kites_class_names.json")
        _ = names
        write(#"{"0_1": {"classes": [0, 1], "prompt_pairs": [{"attr_type": "colour", "prompt_pair": ["a red kite, which is red.", "a blue kite, which is blue."]}]}}"#, "kites_prompt_pairs.json")
        let imp = try descry("import", "fudd", dir, "--dataset", "kites")
        XCTAssertEqual(imp.status, 0, imp.err)
        XCTAssertTrue(imp.out.contains("2 descriptions added"), imp.out)
        let stats = try descry("stats", "--json")
        XCTAssertEqual(stats.status, 0)
        let obj = try JSONSerialization.jsonObject(with: Data(stats.out.utf8)) as! [String: Any]
        let ds = (obj["datasets"] as! [[String: Any]])[0]
        XCTAssertEqual(ds["name"] as? String, "kites")
        XCTAssertEqual(ds["pair_slots"] as? Int, 2)
        // Counts by kind are a list of {kind, count}: kinds are data, not keys.
        let byKind = try XCTUnwrap(ds["by_kind"] as? [[String: Any]], stats.out)
        XCTAssertEqual(byKind.map { $0["kind"] as? String }, ["differential"])
        XCTAssertEqual(byKind.map { $0["count"] as? Int }, [2])
        let search = try descry("search", "red", "--dataset", "kites")
        XCTAssertEqual(search.status, 0)
        XCTAssertTrue(search.out.contains("kites/red kite [differential · colour] a [red] kite, which is [red]."), search.out)
        let export = try descry("export", "fudd", dir + "/out", "--dataset", "kites")
        XCTAssertEqual(export.status, 0, export.err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/out/kites_prompt_pairs.json"))
        let attrs = try descry("attributes", "--map", "muzzle shape", "--json")
        XCTAssertTrue(attrs.out.contains("\"attribute\" : \"shape\""), attrs.out)
    }

    func testUserErrorsExitOneWithOneLine() throws {
        XCTAssertEqual(try descry("init").status, 0)
        let missing = try descry("import", "descriptions", dir + "/nope.json", "--dataset", "x")
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.err, "descry: error: \(dir)/nope.json: no such file or it cannot be read\n")
        let bad = write("{\"a\": [\n", "bad.json")
        let malformed = try descry("import", "descriptions", bad, "--dataset", "x", "--create-classes")
        XCTAssertEqual(malformed.status, 1)
        XCTAssertTrue(malformed.err.contains("bad.json:2:1: malformed JSON"), malformed.err)
        XCTAssertEqual(malformed.err.split(separator: "\n").count, 1)
    }

    func testUsageErrorsExitTwo() throws {
        XCTAssertEqual(try descry("frobnicate").status, 2)
        let typo = try descry("imprt")
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(typo.err.contains("did you mean 'import'"), typo.err)
        XCTAssertEqual(try descry("import", "fudd").status, 2)
        let opt = try descry("search", "x", "--limt", "3")
        XCTAssertEqual(opt.status, 2)
        XCTAssertTrue(opt.err.contains("did you mean --limit"), opt.err)
    }

    func testEveryCommandHasHelp() throws {
        let main = try descry("--help")
        XCTAssertEqual(main.status, 0)
        for name in ["init", "import", "stats", "search", "export", "attributes", "demo", "bench"] {
            XCTAssertTrue(main.out.contains("  \(name) "), name)
            let h = try descry(name, "--help")
            XCTAssertEqual(h.status, 0, name)
            XCTAssertTrue(h.out.hasPrefix("Usage: descry \(name)"), h.out)
        }
    }

    func testMissingStoreTellsToInit() throws {
        let r = try descry("stats")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("run `descry init` first"), r.err)
    }
}
