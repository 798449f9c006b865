import Foundation
import XCTest

/// A short `descry bench fuzz` in every test run: hostile files for every importer (the
/// reliability issue's own inputs among them) and hostile DQL; none may crash, hang or change
/// the store of a failed command.
final class FuzzCLITests: XCTestCase {
    func testShortFuzzRunFindsNoCrashHangOrChangedStore() throws {
        let cli = try CLIHarness(name: "fuzz")
        let r = try cli.run(["--json", "bench", "fuzz", "--imports", "60", "--queries", "400", "--seed", "7",
                             "--out", cli.directory + "/fuzz"], timeout: 600)
        XCTAssertEqual(r.status, 0, r.err + r.out)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let importers = try XCTUnwrap(report["importers"] as? [String: [String: Int]])
        XCTAssertEqual(Set(importers.keys), ["classes", "descriptions", "fudd", "images", "jsonl", "templates"])
        let total = importers.values.reduce(0) { $0 + ($1["cases"] ?? 0) }
        XCTAssertGreaterThanOrEqual(total, 69, "the issue's 9 cases and 60 random ones ran")
        for (name, t) in importers {
            XCTAssertEqual(t["crashes"], 0, name)
            XCTAssertEqual(t["hangs"], 0, name)
            XCTAssertEqual(t["changed_stores"], 0, name)
            XCTAssertGreaterThan(t["rejected"] ?? 0, 0, "\(name): hostile input is rejected")
        }
        let queries = try XCTUnwrap(report["queries"] as? [String: Int])
        XCTAssertEqual(queries["cases"], 400)
        XCTAssertEqual(queries["crashes"], 0)
        XCTAssertEqual(queries["changed_stores"], 0)
        XCTAssertEqual(report["saved_cases"] as? [String], [])
    }
}
