@testable import DescryStore
import XCTest

final class ClassDescriptionsImportTests: XCTestCase {
    var store: Store!
    var dir: String!

    override func setUpWithError() throws {
        store = try TestSupport.newStore()
        dir = TestSupport.tempDirectory()
        let list = TestSupport.write("tench\ngoldfish\ngreat white shark\n", to: "classes.txt", in: dir)
        _ = try Importer(store: store).importClassList(path: list, dataset: "fish")
    }

    func texts(of className: String) throws -> [String] {
        try store.database.rows("""
            SELECT d.text FROM descriptions d JOIN classes c ON c.id = d.class_id WHERE c.name = ? ORDER BY d.id
            """, [className]).map { $0.values[0].string! }
    }

    func testKeysAreMatchedByNameNotByOrder() throws {
        // Keys in a different order from the class list, one spelled with underscores and capitals.
        let f = TestSupport.write(#"{"Great_White_Shark": ["a big grey fish."], "tench": ["a green fish."], "goldfish": ["an orange fish."]}"#,
                                  to: "cupl.json", in: dir)
        let r = try Importer(store: store).importClassDescriptions(path: f, dataset: "fish", label: "cupl")
        XCTAssertEqual(r.descriptionsAdded, 3)
        XCTAssertEqual(r.warnings, [])
        XCTAssertEqual(try texts(of: "great white shark"), ["a big grey fish."])
        XCTAssertEqual(try texts(of: "tench"), ["a green fish."])
        let source = try store.database.rows("SELECT s.format, s.label, s.path, length(s.content_hash), s.imported FROM sources s")[0]
        XCTAssertEqual(source.values[0], .text("descriptions"))
        XCTAssertEqual(source.values[1], .text("cupl"))
        XCTAssertEqual(source.values[2], .text(f))
        XCTAssertEqual(source.values[3], .integer(64))
        XCTAssertNotNil(source.values[4].string)
    }

    func testUnmatchedMissingAndDuplicateNamesAreReportedByName() throws {
        let f = TestSupport.write("""
        {"tench": ["a green fish."],
         "Tench": ["a slimy fish."],
         "trout": ["a spotted fish."]}
        """, to: "partial.json", in: dir)
        let r = try Importer(store: store).importClassDescriptions(path: f, dataset: "fish")
        XCTAssertEqual(r.descriptionsAdded, 2)
        XCTAssertEqual(r.warnings.count, 3, "\(r.warnings)")
        XCTAssertTrue(r.warnings.contains { $0.contains("partial.json:2") && $0.contains("'Tench' names the same class as key 'tench'") }, "\(r.warnings)")
        XCTAssertTrue(r.warnings.contains { $0.contains("partial.json:3") && $0.contains("'trout' matches no class") }, "\(r.warnings)")
        XCTAssertTrue(r.warnings.contains { $0.contains("2 of 3 classes") && $0.contains("'goldfish'") && $0.contains("'great white shark'") }, "\(r.warnings)")
    }

    func testStrictTurnsFindingsIntoAnErrorAndWritesNothing() throws {
        let before = try TestSupport.snapshot(store)
        let f = TestSupport.write(#"{"tench": ["a green fish."]}"#, to: "s.json", in: dir)
        XCTAssertThrowsError(try Importer(store: store).importClassDescriptions(path: f, dataset: "fish", strict: true)) {
            XCTAssertTrue("\($0)".contains("have no entry"), "\($0)")
        }
        XCTAssertEqual(try TestSupport.snapshot(store), before)
    }

    func testDCLIPTemplateTurnsDescriptorsIntoSentences() throws {
        let f = TestSupport.write(#"{"tench": ["olive-green scales", "is found in ponds"], "goldfish": [], "great white shark": []}"#, to: "dclip.json", in: dir)
        _ = try Importer(store: store).importClassDescriptions(path: f, dataset: "fish", template: .dclip)
        // DCLIP's rule has no case for "is": it writes "which has is found in ponds" (see DescriptorTemplateTests).
        XCTAssertEqual(try texts(of: "tench"), ["tench, which has olive-green scales", "tench, which has is found in ponds"])
        let g = TestSupport.write(#"{"goldfish": ["orange fins"]}"#, to: "custom.json", in: dir)
        _ = try Importer(store: store).importClassDescriptions(path: g, dataset: "fish", template: try .parse("a photo of a {c}, with {d}."))
        XCTAssertEqual(try texts(of: "goldfish"), ["a photo of a goldfish, with orange fins."])
        XCTAssertThrowsError(try DescriptorTemplate.parse("a photo of a {c}"))
    }

    func testDatasetWithoutClassesNeedsCreateClasses() throws {
        let f = TestSupport.write(#"{"oak": ["lobed leaves"], "pine": ["needles"]}"#, to: "trees.json", in: dir)
        XCTAssertThrowsError(try Importer(store: store).importClassDescriptions(path: f, dataset: "trees")) {
            XCTAssertTrue("\($0)".contains("--create-classes"), "\($0)")
        }
        XCTAssertEqual(try store.datasetNames(), ["fish"], "the failed import left no dataset behind")
        let r = try Importer(store: store).importClassDescriptions(path: f, dataset: "trees", createClasses: true)
        XCTAssertEqual(r.classesAdded, 2)
        XCTAssertEqual(try store.classes(ofDataset: try store.datasetID(named: "trees")).map(\.name), ["oak", "pine"])
    }

    func testExportedPerClassJSONMatchesWhatWasImported() throws {
        let f = TestSupport.write(#"{"tench": ["a green fish.", "lives in lakes."], "goldfish": ["an orange fish."], "great white shark": ["huge."]}"#, to: "d.json", in: dir)
        _ = try Importer(store: store).importClassDescriptions(path: f, dataset: "fish")
        let exported = try Exporter(store: store).classDescriptions(dataset: "fish")
        XCTAssertEqual(exported.map(\.0), ["tench", "goldfish", "great white shark"])
        XCTAssertEqual(exported[0].1, ["a green fish.", "lives in lakes."])
    }
}
