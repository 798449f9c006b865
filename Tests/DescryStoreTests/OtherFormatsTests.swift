@testable import DescryStore
import XCTest

final class OtherFormatsTests: XCTestCase {
    func testTemplatesAreStoredAsSpuriousTemplates() throws {
        let store = try TestSupport.newStore()
        let dir = TestSupport.tempDirectory()
        let f = TestSupport.write(#"["a photo of a {}.", "a sketch of a {}.", "a photo of a {}."]"#, to: "t.json", in: dir)
        let r = try Importer(store: store).importTemplates(path: f)
        XCTAssertEqual(r.descriptionsAdded, 2)
        XCTAssertEqual(r.descriptionsExisting, 1)
        XCTAssertEqual(try store.database.rows("SELECT DISTINCT kind, category, dataset_id FROM descriptions").map { [$0.values[0], $0.values[1], $0.values[2]] },
                       [[.text("template"), .text("spurious"), .null]])
        let bad = TestSupport.write(#"["a photo of a cat."]"#, to: "bad.json", in: dir)
        XCTAssertThrowsError(try Importer(store: store).importTemplates(path: bad)) { XCTAssertTrue("\($0)".contains("no {} placeholder"), "\($0)") }
    }

    func testClassListTextFormatReportsDuplicateLine() throws {
        let store = try TestSupport.newStore()
        let dir = TestSupport.tempDirectory()
        let f = TestSupport.write("# fish\ntench\n\ngoldfish\nTench\n", to: "c.txt", in: dir)
        XCTAssertThrowsError(try Importer(store: store).importClassList(path: f, dataset: "fish")) {
            XCTAssertEqual("\($0)", "\(f):5: duplicate class name 'Tench' (same as line 2)")
        }
        XCTAssertEqual(try store.datasetNames(), [])
    }

    func testJSONLinesImportAndRoundTrip() throws {
        let store = try TestSupport.newStore()
        let dir = TestSupport.tempDirectory()
        let t = TestSupport.writeTinyFudd(in: dir)
        _ = try Importer(store: store).importFudd(classNamesPath: t.names, promptPairsPath: t.pairs, dataset: "tiny")
        let lines = TestSupport.write("""
        {"dataset": "tiny", "class": "red kite", "text": "a red kite has a long tail.", "attribute": "tail length"}
        {"dataset": "tiny", "class": 3, "text": "a blue box is popular with collectors.", "kind": "class"}

        {"dataset": "tiny", "pair": ["blue box", "red_box"], "side": "red box", "text": "a red box, which is red.", "twin": "a blue box, which is blue.", "attribute": "colour"}
        """, to: "more.jsonl", in: dir)
        let r = try Importer(store: store).importJSONLines(path: lines)
        XCTAssertEqual(r.descriptionsAdded, 4)
        XCTAssertEqual(r.pairsAdded, 1)
        XCTAssertEqual(r.pairSlotsAdded, 2)
        XCTAssertEqual(r.pairSlotsRead, 2, "a differential line with a twin fills two slots (it reported 0)")

        // Export everything as JSONL, import it into a fresh store, and compare the stores.
        let out = TestSupport.tempDirectory() + "/all.jsonl"
        try Exporter(store: store).writeJSONLines(dataset: "tiny", path: out)
        let copy = try TestSupport.newStore()
        _ = try Importer(store: copy).importClassList(path: t.names, dataset: "tiny")
        _ = try Importer(store: copy).importJSONLines(path: out)
        XCTAssertEqual(try Exporter(store: copy).fuddCorpus(dataset: "tiny"), try Exporter(store: store).fuddCorpus(dataset: "tiny"))
        XCTAssertEqual(try Exporter(store: copy).jsonLines(dataset: "tiny"), try Exporter(store: store).jsonLines(dataset: "tiny"))
        XCTAssertEqual(try copy.database.scalar("SELECT count(*) FROM descriptions"), try store.database.scalar("SELECT count(*) FROM descriptions"))
    }

    func testJSONLinesErrorsNameTheLineAndChangeNothing() throws {
        let store = try TestSupport.newStore()
        let dir = TestSupport.tempDirectory()
        let t = TestSupport.writeTinyFudd(in: dir)
        _ = try Importer(store: store).importFudd(classNamesPath: t.names, promptPairsPath: t.pairs, dataset: "tiny")
        let before = try TestSupport.snapshot(store)
        let cases: [(String, String)] = [
            (#"{"dataset": "tiny", "class": "red kite", "text": ""}"#, ":2 (at text): empty description text"),
            (#"{"dataset": "tiny", "class": "green kite", "text": "x"}"#, ":2 (at class): dataset 'tiny' has no class 'green kite'"),
            (#"{"dataset": "tiny", "class": 9, "text": "x"}"#, ":2 (at class): class index 9 is out of range"),
            (#"{"dataset": "tiny", "pair": [0, 1], "side": 2, "text": "x"}"#, ":2 (at side): side 'red_box' is not one of the pair's classes"),
            (#"{"dataset": "tiny", "class": 0, "txt": "x"}"#, ":2 (at txt): unknown field 'txt'"),
            (#"{"dataset": "nope", "class": 0, "text": "x"}"#, ":2 (at dataset): unknown dataset 'nope'"),
            (#"{"dataset": "tiny", "class": 0, "text": "x""#, ":2:44: malformed JSON"),
        ]
        for (n, (line, expected)) in cases.enumerated() {
            let f = TestSupport.write(#"{"dataset": "tiny", "class": 0, "text": "fine."}"# + "\n" + line + "\n", to: "bad\(n).jsonl", in: dir)
            XCTAssertThrowsError(try Importer(store: store).importJSONLines(path: f)) {
                XCTAssertTrue("\($0)".contains(expected), "\($0) should contain \(expected)")
            }
            XCTAssertEqual(try TestSupport.snapshot(store), before)
        }
        // With skipInvalid the bad line is reported and the good one lands.
        let f = TestSupport.write(#"{"dataset": "tiny", "class": 0, "text": "fine."}"# + "\n" + cases[1].0 + "\n", to: "mixed.jsonl", in: dir)
        let r = try Importer(store: store).importJSONLines(path: f, skipInvalid: true)
        XCTAssertEqual(r.descriptionsAdded, 1)
        XCTAssertEqual(r.warnings.count, 1)
        XCTAssertTrue(r.warnings[0].contains("green kite"))
    }

    func testSearchRejectsBadFTSSyntaxClearly() throws {
        let store = try TestSupport.newStore()
        XCTAssertThrowsError(try store.search("\"unterminated")) { XCTAssertTrue("\($0)".contains("invalid full-text query"), "\($0)") }
        XCTAssertThrowsError(try store.search("x", dataset: "nope")) { XCTAssertTrue("\($0)".contains("unknown dataset 'nope'"), "\($0)") }
    }
}
