@testable import DescryStore
import XCTest

final class FuddImportTests: XCTestCase {
    var store: Store!
    var dir: String!

    override func setUpWithError() throws {
        store = try TestSupport.newStore()
        dir = TestSupport.tempDirectory()
    }

    func importTiny() throws -> ImportReport {
        let t = TestSupport.writeTinyFudd(in: dir)
        return try Importer(store: store).importFudd(classNamesPath: t.names, promptPairsPath: t.pairs, dataset: "tiny")
    }

    func testImportKeepsEverySlotAndStoresSharedSentencesOnce() throws {
        let r = try importTiny()
        XCTAssertEqual(r.classesAdded, 4)
        XCTAssertEqual(r.pairsAdded, 3)
        XCTAssertEqual(r.pairSlotsRead, 10)
        XCTAssertEqual(r.pairSlotsAdded, 10)
        // "a photo of a red kite, which is red." serves pairs 0_1 and 0_2: stored once.
        XCTAssertEqual(r.descriptionsAdded, 9)
        XCTAssertEqual(r.descriptionsExisting, 1)
        let shared = try store.database.rows("""
            SELECT count(*) FROM pair_members m JOIN descriptions d ON d.id = m.description_id
            WHERE d.text = 'a photo of a red kite, which is red.'
            """)[0].values[0]
        XCTAssertEqual(shared, .integer(2))
        // Twins point at the other side of the same prompt pair.
        let twin = try store.database.scalar("""
            SELECT t.text FROM pair_members m JOIN descriptions d ON d.id = m.description_id
            JOIN descriptions t ON t.id = m.twin_id WHERE d.text = 'a photo of a red kite, with a forked tail.'
            """)
        XCTAssertEqual(twin, .text("a photo of a blue kite, with a straight tail."))
    }

    func testRawAttributeTypesAreMappedThroughTheTaxonomy() throws {
        _ = try importTiny()
        let rows = try store.database.rows("SELECT attribute_raw, attribute, category FROM descriptions WHERE text LIKE '%forked tail%' OR text LIKE '%beaches%'")
        let m = Dictionary(uniqueKeysWithValues: rows.map { ($0.values[0].string!, ($0.values[1].string!, $0.values[2].string!)) })
        XCTAssertEqual(m["tail shape"]?.0, "shape")
        XCTAssertEqual(m["tail shape"]?.1, "visual")
        XCTAssertEqual(m["habitat"]?.0, "habitat")
        XCTAssertEqual(m["habitat"]?.1, "non-visual")
    }

    func testReimportAddsNothing() throws {
        _ = try importTiny()
        let before = try TestSupport.snapshot(store)
        let r = try importTiny()
        XCTAssertEqual(r.descriptionsAdded, 0)
        XCTAssertEqual(r.pairsAdded, 0)
        XCTAssertEqual(r.pairSlotsAdded, 0)
        XCTAssertEqual(try TestSupport.snapshot(store), before)
    }

    func testFTSIndexFollowsImports() throws {
        _ = try importTiny()
        let hits = try store.search("forked", dataset: "tiny")
        XCTAssertEqual(hits.map(\.text), ["a photo of a red kite, with a forked tail."])
        XCTAssertEqual(hits.first?.highlighted, "a photo of a red kite, with a [forked] tail.")
        XCTAssertEqual(try TestSupport.count(store, "descriptions_fts"), try TestSupport.count(store, "descriptions"))
        try store.database.execute("INSERT INTO descriptions_fts(descriptions_fts, rank) VALUES ('integrity-check', 1)")
    }

    func testExportReproducesTheFiles() throws {
        let t = TestSupport.writeTinyFudd(in: dir)
        _ = try Importer(store: store).importFudd(classNamesPath: t.names, promptPairsPath: t.pairs, dataset: "tiny")
        let out = TestSupport.tempDirectory()
        _ = try Exporter(store: store).writeFudd(dataset: "tiny", folder: out)
        let original = try FuddReader.read(classNames: try InputFile(path: t.names), promptPairs: try InputFile(path: t.pairs))
        let exported = try FuddReader.read(classNames: try InputFile(path: out + "/tiny_class_names.json"),
                                           promptPairs: try InputFile(path: out + "/tiny_prompt_pairs.json"))
        XCTAssertEqual(exported, original)
    }

    // MARK: bad input: each is a clear error and changes nothing

    func assertRejected(pairs: String, names: String = #"["a", "b", "c"]"#, file: StaticString = #filePath, line: UInt = #line,
                        _ check: (String) -> Void) throws {
        _ = try importTiny()
        let before = try TestSupport.snapshot(store)
        let bad = TestSupport.tempDirectory()
        let n = TestSupport.write(names, to: "bad_class_names.json", in: bad)
        let p = TestSupport.write(pairs, to: "bad_prompt_pairs.json", in: bad)
        XCTAssertThrowsError(try Importer(store: store).importFudd(classNamesPath: n, promptPairsPath: p, dataset: "bad"), file: file, line: line) {
            check("\($0)")
        }
        XCTAssertEqual(try TestSupport.snapshot(store), before, file: file, line: line)
    }

    func testKeyDisagreeingWithClassesIsRejected() throws {
        try assertRejected(pairs: #"{"0_1": {"classes": [0, 2], "prompt_pairs": []}}"#) {
            XCTAssertTrue($0.contains("bad_prompt_pairs.json:1:"), $0)
            XCTAssertTrue($0.contains("key \"0_1\" disagrees with its classes [0, 2]"), $0)
        }
    }

    func testClassIndexOutOfRangeIsRejected() throws {
        try assertRejected(pairs: "{\n\"0_7\": {\"classes\": [0, 7], \"prompt_pairs\": []}}") {
            XCTAssertTrue($0.contains("bad_prompt_pairs.json:2:"), $0)
            XCTAssertTrue($0.contains("class index 7 is out of range"), $0)
        }
    }

    func testDuplicateClassNamesAreRejected() throws {
        try assertRejected(pairs: "{}", names: #"["a", "b", "A"]"#) {
            XCTAssertTrue($0.contains("duplicate class name 'A'"), $0)
            XCTAssertTrue($0.contains("bad_class_names.json"), $0)
        }
    }

    func testEmptyTextIsRejected() throws {
        try assertRejected(pairs: #"{"0_1": {"classes": [0, 1], "prompt_pairs": [{"attr_type": "x", "prompt_pair": ["ok", "  "]}]}}"#) {
            XCTAssertTrue($0.contains("empty description text"), $0)
            XCTAssertTrue($0.contains("prompt_pair[1]"), $0)
        }
    }

    func testMalformedJSONIsRejectedWithLineAndColumn() throws {
        try assertRejected(pairs: "{\"0_1\": {\"classes\": [0, 1],\n \"prompt_pairs\": [}}") {
            XCTAssertTrue($0.contains("bad_prompt_pairs.json:2:19: malformed JSON"), $0)
        }
    }

    func testNonUTF8FileIsRejected() throws {
        _ = try importTiny()
        let before = try TestSupport.snapshot(store)
        let bad = TestSupport.tempDirectory()
        let n = bad + "/x_class_names.json"
        FileManager.default.createFile(atPath: n, contents: Data([0x5B, 0x22, 0x63, 0x61, 0x66, 0xE9, 0x22, 0x5D]))
        let p = TestSupport.write("{}", to: "x_prompt_pairs.json", in: bad)
        XCTAssertThrowsError(try Importer(store: store).importFudd(classNamesPath: n, promptPairsPath: p, dataset: "x")) {
            XCTAssertTrue("\($0)".contains("not valid UTF-8"), "\($0)")
        }
        XCTAssertEqual(try TestSupport.snapshot(store), before)
    }

    func testMissingFileIsRejected() throws {
        XCTAssertThrowsError(try Importer(store: store).importFudd(classNamesPath: "/no/such_class_names.json", promptPairsPath: "/no/such_prompt_pairs.json", dataset: "x")) {
            XCTAssertEqual("\($0)", "/no/such_class_names.json: no such file or it cannot be read")
        }
    }

    func testClassListDisagreeingWithTheStoreIsRejected() throws {
        _ = try importTiny()
        let before = try TestSupport.snapshot(store)
        let other = TestSupport.tempDirectory()
        let n = TestSupport.write(#"["red kite", "green kite"]"#, to: "tiny_class_names.json", in: other)
        let p = TestSupport.write("{}", to: "tiny_prompt_pairs.json", in: other)
        XCTAssertThrowsError(try Importer(store: store).importFudd(classNamesPath: n, promptPairsPath: p, dataset: "tiny")) {
            XCTAssertTrue("\($0)".contains("class 1 is 'green kite' here but 'blue kite' in the store"), "\($0)")
        }
        XCTAssertEqual(try TestSupport.snapshot(store), before)
    }

    func testPairsCanBeKeyedByVLM() throws {
        let t = TestSupport.writeTinyFudd(in: dir)
        _ = try Importer(store: store).importFudd(classNamesPath: t.names, promptPairsPath: t.pairs, dataset: "tiny")
        let r = try Importer(store: store).importFudd(classNamesPath: t.names, promptPairsPath: t.pairs, dataset: "tiny", vlm: "clip-b32")
        XCTAssertEqual(r.pairsAdded, 3, "the same class pairs for a VLM are distinct pairs")
        XCTAssertEqual(r.descriptionsAdded, 0, "their sentences are already stored")
        XCTAssertEqual(try Exporter(store: store).fuddCorpus(dataset: "tiny", vlm: "clip-b32").pairs.count, 3)
    }
}
