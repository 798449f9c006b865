import Foundation
import XCTest

/// `descry import` with the per-class formats: dispatch by the format argument, --classes for
/// ex2, --skip-invalid reported on stderr, and the help's examples.
final class ImportFormatsCLITests: XCTestCase {
    var cli: CLIHarness!
    var dir: String { cli.directory }

    override func setUpWithError() throws {
        cli = try CLIHarness(name: "import-formats")
        XCTAssertEqual(try cli.run(["init"]).status, 0)
    }

    func write(_ text: String, _ name: String) -> String {
        let path = dir + "/" + name
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    func testEachFormatImportsThroughTheCommand() throws {
        let csv = write("class,attribute,text\noak,leaf,\"lobed, wavy leaves\"\npine,leaf,needles\n", "trees.csv")
        let r = try cli.run(["import", "csv", csv, "--dataset", "trees", "--create-classes"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("imported csv \(csv) into 'trees' (new dataset): 2 descriptions added, 0 already stored, 2 classes added"), r.out)

        let tap = write(#"{"oak": {"bark": ["oak, which has furrowed bark."]}}"#, "tap.json")
        XCTAssertEqual(try cli.run(["import", "attributes", tap, "--dataset", "trees"]).status, 0)
        _ = write("acorns\n\nlobed leaves\n", "folder/oak.txt")
        _ = write("cones\n", "folder/pine.txt")
        let folder = try cli.run(["import", "folder", dir + "/folder", "--dataset", "trees", "--template", "a photo of a {c}, with {d}."])
        XCTAssertEqual(folder.status, 0, folder.err)
        XCTAssertTrue(folder.out.contains("3 descriptions added"), folder.out)
        let ex2 = write(#"[["an oak in autumn."], ["a pine in snow."]]"#, "ex2.json")
        XCTAssertEqual(try cli.run(["import", "ex2", ex2, "--dataset", "trees"]).status, 0)
        let tsv = write("class\ttext\noak\tgreen\n", "t.tsv")
        XCTAssertEqual(try cli.run(["import", "tsv", tsv, "--dataset", "trees"]).status, 0)

        let stats = try cli.run(["stats", "--json"])
        XCTAssertEqual(stats.status, 0, stats.err)
        let obj = try JSONSerialization.jsonObject(with: Data(stats.out.utf8)) as? [String: Any] ?? [:]
        let ds = (obj["datasets"] as? [[String: Any]])?.first ?? [:]
        // `by_kind` is a list of {kind, count} (Docs/json.md).
        let byKind = (ds["by_kind"] as? [[String: Any]] ?? []).first { $0["kind"] as? String == "class" }
        XCTAssertEqual(byKind?["count"] as? Int, 9, "2 csv + 1 tap + 3 folder + 2 ex2 + 1 tsv: \(stats.out)")
        XCTAssertEqual(obj["sources"] as? Int, 5, stats.out)
    }

    func testEX2ClassesAndSkipInvalidOnTheCommandLine() throws {
        let classes = write("oak\npine\nbirch\n", "classes.txt")
        let ex2 = write(#"[["an oak."], ["a pine.", ""]]"#, "ex2.json")
        let mismatch = try cli.run(["import", "ex2", ex2, "--dataset", "trees", "--classes", classes, "--create-classes"])
        XCTAssertEqual(mismatch.status, 1)
        XCTAssertTrue(mismatch.err.contains("the file has 2 class lists but \(classes) has 3 classes"), mismatch.err)
        let misuse = try cli.run(["import", "csv", ex2, "--dataset", "trees", "--classes", classes])
        XCTAssertEqual(misuse.status, 2)
        XCTAssertTrue(misuse.err.contains("--classes is for import ex2"), misuse.err)

        let two = write("oak\npine\n", "two.txt")
        let strict = try cli.run(["import", "ex2", ex2, "--dataset", "trees", "--classes", two, "--create-classes"])
        XCTAssertEqual(strict.status, 1)
        XCTAssertTrue(strict.err.contains("ex2.json:1:27 (at [1][1]): empty description text (--skip-invalid leaves such items out"), strict.err)
        let skipped = try cli.run(["import", "ex2", ex2, "--dataset", "trees", "--classes", two, "--create-classes", "--skip-invalid"])
        XCTAssertEqual(skipped.status, 0, skipped.err)
        XCTAssertTrue(skipped.err.contains("warning: skipped: \(ex2):1:27 (at [1][1]): empty description text"), skipped.err)
        XCTAssertTrue(skipped.out.contains("2 descriptions added"), skipped.out)
    }

    func testHelpShowsAnExampleOfEachFormat() throws {
        let help = try cli.run(["import", "--help"])
        XCTAssertEqual(help.status, 0)
        for format in ["fudd", "descriptions", "attributes", "folder", "ex2", "csv", "templates", "classes", "jsonl"] {
            XCTAssertTrue(help.out.contains("descry import \(format) "), format)
        }
    }
}
