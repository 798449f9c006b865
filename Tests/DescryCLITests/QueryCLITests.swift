import Foundation
import XCTest

/// `descry query` and `descry repl` end to end through the built binary, on a store made
/// with the CLI from a small FuDD corpus whose counts are known: 3 classes, 6 descriptions
/// (red kite 3, blue kite 2, green kite 1).
final class QueryCLITests: XCTestCase {
    var cli: CLIHarness!
    var dir: String { cli.directory }

    /// Descriptions per class, sorted by class.
    let countQuery = #"descriptions | where dataset = "kites" | group by class | aggregate n = count() | sort class"#

    override func setUpWithError() throws {
        cli = try CLIHarness(name: "query-cli")
        write(#"["red kite", "blue kite", "green kite"]"#, "kites_class_names.json")
        write("""
        {"0_1": {"classes": [0, 1], "prompt_pairs": [
          {"attr_type": "colour", "prompt_pair": ["a red kite, which is red.", "a blue kite, which is blue."]},
          {"attr_type": "tail shape", "prompt_pair": ["a red kite, with a forked tail.", "a blue kite, with a straight tail."]}]},
         "0_2": {"classes": [0, 2], "prompt_pairs": [
          {"attr_type": "colour", "prompt_pair": ["a red kite, which is bright red.", "a green kite, which is green."]}]}}
        """, "kites_prompt_pairs.json")
        XCTAssertEqual(try descry("init").status, 0)
        let imported = try descry("import", "fudd", dir, "--dataset", "kites")
        XCTAssertEqual(imported.status, 0, imported.err)
        XCTAssertTrue(imported.out.contains("6 descriptions added"), imported.out)
    }

    @discardableResult
    func descry(_ args: String...) throws -> CLIHarness.Outcome { try cli.run(args) }

    @discardableResult
    func write(_ text: String, _ name: String) -> String {
        let path = dir + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    /// Runs `descry` with `input` on its standard input.
    func descry(_ args: [String], stdin input: String) throws -> CLIHarness.Outcome {
        let p = cli.process(args)
        let inPipe = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = inPipe
        p.standardOutput = out
        p.standardError = err
        try p.run()
        inPipe.fileHandleForWriting.write(Data(input.utf8))
        try inPipe.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    static let table = """
        class       n
        ──────────  ─
        blue kite   2
        green kite  1
        red kite    3
        (3 rows)

        """
    static let json = """
        [
          {"class": "blue kite", "n": 2},
          {"class": "green kite", "n": 1},
          {"class": "red kite", "n": 3}
        ]

        """

    func testEveryOutputFormat() throws {
        let expected = [
            "table": Self.table,
            "json": Self.json,
            // RFC 4180 line ends.
            "csv": "class,n\r\nblue kite,2\r\ngreen kite,1\r\nred kite,3\r\n\n",
            "markdown": "| class | n |\n| --- | ---: |\n| blue kite | 2 |\n| green kite | 1 |\n| red kite | 3 |\n",
        ]
        for (format, text) in expected {
            let r = try descry("query", countQuery, "--format", format)
            XCTAssertEqual(r.status, 0, "\(format): \(r.err)")
            XCTAssertEqual(r.out, text, format)
            XCTAssertEqual(r.err, "", format)
        }
        XCTAssertEqual(try descry("query", countQuery).out, Self.table, "table is the default")
        XCTAssertEqual(try descry("--json", "query", countQuery).out, Self.json, "--json is --format json")
        let unknown = try descry("query", countQuery, "--format", "xml")
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.err.contains("option --format expects table, json, csv or markdown, got 'xml'"), unknown.err)
    }

    func testExplainPrintsTheSQLAndBindingsWithoutRunning() throws {
        let r = try descry("query", countQuery, "--explain")
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.hasPrefix("WITH\n  base AS (SELECT "), r.out)
        XCTAssertTrue(r.out.contains("WHERE (ds.name = ?)"), r.out)
        XCTAssertFalse(r.out.contains("'kites'\n  "), "the dataset is bound, not spliced")
        XCTAssertTrue(r.out.hasSuffix("-- bindings:\n--   ?1 = 'kites'\n"), r.out)
        XCTAssertFalse(r.out.contains("rows)"), "explain does not print results")
        // A pivot runs its first phase to find the columns, then shows the second.
        let pivot = try descry("query", #"descriptions | where dataset = "kites" | pivot class by attribute value count()"#, "--explain")
        XCTAssertEqual(pivot.status, 0, pivot.err)
        XCTAssertTrue(pivot.out.contains("-- pivot, phase 1: the distinct column values"), pivot.out)
        XCTAssertTrue(pivot.out.contains("-- pivot, phase 2"), pivot.out)
    }

    func testQueryFromAFileOrStandardInput() throws {
        let file = write("# descriptions per class\n" + countQuery.replacingOccurrences(of: " | ", with: "\n| ") + "\n", "count.dql")
        let fromFile = try descry("query", "-f", file)
        XCTAssertEqual(fromFile.status, 0, fromFile.err)
        XCTAssertEqual(fromFile.out, Self.table)
        let fromStdin = try descry(["query", "-f", "-", "--format", "json"], stdin: countQuery)
        XCTAssertEqual(fromStdin.status, 0, fromStdin.err)
        XCTAssertEqual(fromStdin.out, Self.json)
        let both = try descry("query", countQuery, "-f", file)
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.err.contains("not both"), both.err)
        let missing = try descry("query", "-f", dir + "/nope.dql")
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.err.contains("cannot read query file"), missing.err)
        XCTAssertEqual(try descry("query").status, 2, "no query at all")
    }

    func testErrorsExitOneWithAPositionedMessage() throws {
        let file = write("descriptions\n| where atribute = \"colour\"\n", "typo.dql")
        let typo = try descry("query", "-f", file)
        XCTAssertEqual(typo.status, 1)
        XCTAssertEqual(typo.out, "")
        XCTAssertEqual(typo.err, """
            error: unknown field 'atribute' in descriptions
             --> line 2, column 9
              |
            2 | | where atribute = "colour"
              |         ^^^^^^^^
              = hint: did you mean 'attribute'?

            """)
        // SQLite's verdict on a full-text query is placed on the string.
        let search = try descry("query", #"descriptions | search "red AND""#)
        XCTAssertEqual(search.status, 1)
        XCTAssertTrue(search.err.hasPrefix("error: invalid full-text query: "), search.err)
        XCTAssertTrue(search.err.contains(" --> line 1, column 23\n"), search.err)
        XCTAssertTrue(search.err.contains("\n  |                       ^^^^^^^^^\n"), search.err)
    }

    func testReplDrivenThroughStandardInput() throws {
        let input = """
            :help
            :sources
            \(countQuery);
            descriptions | where clas = "red kite"

            :format json
            \(countQuery)

            :quit
            descriptions | top 1;

            """
        let r = try descry(["repl"], stdin: input)
        XCTAssertEqual(r.status, 0, r.err)
        // Not a terminal: no banner and no prompts, only results on stdout and the error on stderr.
        let out = r.out
        XCTAssertTrue(out.hasPrefix("Type a query; it runs at a blank line or at a line ending with ';'."), out)
        XCTAssertTrue(out.contains("\n  :format FORMAT     table, json, csv or markdown\n"), out)
        XCTAssertTrue(out.contains("\ndescriptions  class descriptions (per-class, differential, templates)\n"), out)
        XCTAssertTrue(out.contains("\ndatasets      datasets\n"), out)
        guard let tableAt = out.range(of: Self.table), let jsonAt = out.range(of: Self.json) else {
            return XCTFail("the query's results, as a table and then as JSON, are missing:\n\(out)")
        }
        XCTAssertLessThan(tableAt.lowerBound, jsonAt.lowerBound, "the table comes before ':format json'")
        XCTAssertTrue(out.hasSuffix(Self.json), "nothing runs after :quit:\n\(out)")
        XCTAssertTrue(r.err.hasPrefix("error: unknown field 'clas' in descriptions\n --> line 1, column 22\n"), r.err)
        XCTAssertTrue(r.err.contains("did you mean 'class'?"), r.err)
        XCTAssertFalse(r.err.contains("dql>"), "no prompt without a terminal")
    }
}
