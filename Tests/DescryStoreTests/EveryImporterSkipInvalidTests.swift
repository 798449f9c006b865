@testable import DescryStore
import Foundation
import XCTest

/// `--skip-invalid` on every importer: a fixture with one bad item fails strictly (the error
/// says how to skip and the store is unchanged); with the flag the rest lands and the bad item
/// is reported with its position.
final class EveryImporterSkipInvalidTests: XCTestCase {
    var store: Store!
    var dir: String!

    override func setUpWithError() throws {
        store = try TestSupport.newStore()
        dir = TestSupport.tempDirectory()
    }

    func assertStrictThenSkipped(_ run: (Bool) throws -> ImportReport, position: String, added: Int,
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try TestSupport.snapshot(store)
        XCTAssertThrowsError(try run(false), file: file, line: line) {
            XCTAssertTrue("\($0)".contains(position), "\($0)", file: file, line: line)
            XCTAssertTrue("\($0)".contains("--skip-invalid leaves such items out"), "\($0)", file: file, line: line)
        }
        XCTAssertEqual(try TestSupport.snapshot(store), before, "strict failure wrote nothing", file: file, line: line)
        let r = try run(true)
        XCTAssertEqual(r.descriptionsAdded + r.classesAdded, added, file: file, line: line)
        let skipped = r.warnings.filter { $0.hasPrefix("skipped: ") }
        XCTAssertEqual(skipped.count, 1, "\(r.warnings)", file: file, line: line)
        XCTAssertTrue(skipped.first?.contains(position) == true, "\(skipped)", file: file, line: line)
    }

    func testFudd() throws {
        let names = TestSupport.write(#"["red kite", "blue kite", "red box"]"#, to: "k_class_names.json", in: dir)
        for (bad, position) in [
            (#"{"attr_type": "color", "prompt_pair": ["red.", "  "]}"#, #"(at "0_1".prompt_pairs[1].prompt_pair[1])"#),
            (#"{"attr_type": 7, "prompt_pair": ["red.", "blue."]}"#, #"(at "0_1".prompt_pairs[1].attr_type)"#),
            (#"{"attr_type": "", "prompt_pair": ["red.", "blue."]}"#, #"(at "0_1".prompt_pairs[1].attr_type)"#),
            (#"{"attr_type": "color", "prompt_pair": "red."}"#, #"(at "0_1".prompt_pairs[1].prompt_pair)"#),
            (#"{"attr_type": "color", "prompt_pair": ["red.", 3]}"#, #"(at "0_1".prompt_pairs[1].prompt_pair[1])"#),
            (#"["color", "red.", "blue."]"#, #"(at "0_1".prompt_pairs[1])"#),
        ] {
            store = try TestSupport.newStore()
            let pairs = TestSupport.write("""
            {"0_1": {"classes": [0, 1], "prompt_pairs": [
                {"attr_type": "tail", "prompt_pair": ["a red kite, which has a forked tail.", "a blue kite, which has a straight tail."]},
                \(bad)]},
             "0_2": {"classes": [0, 2], "prompt_pairs": [{"attr_type": "shape", "prompt_pair": ["a red kite, which is diamond-shaped.", "a red box, which is square."]}]}}
            """, to: "k_prompt_pairs.json", in: dir)
            try assertStrictThenSkipped({
                try Importer(store: self.store).importFudd(classNamesPath: names, promptPairsPath: pairs, dataset: "k", skipInvalid: $0)
            }, position: position, added: 3 + 4)
            let r = try Importer(store: store).importFudd(classNamesPath: names, promptPairsPath: pairs, dataset: "k", skipInvalid: true)
            XCTAssertEqual(r.pairSlotsRead, 4, "the skipped prompt pair fills no slot")
        }
    }

    func testClassesTextAndJSON() throws {
        let text = TestSupport.write("tench\ngold\u{7}fish\nshark\n", to: "c.txt", in: dir)
        try assertStrictThenSkipped({ try Importer(store: self.store).importClassList(path: text, dataset: "fish", skipInvalid: $0) },
                                    position: "c.txt:2: line 2 has a control character (U+0007)", added: 2)
        XCTAssertEqual(try store.classes(ofDataset: try store.datasetID(named: "fish")).map(\.name), ["tench", "shark"])
        let json = TestSupport.write(#"["tench", "  ", "shark", 4]"#, to: "c.json", in: dir)
        let before = try TestSupport.snapshot(store)
        XCTAssertThrowsError(try Importer(store: store).importClassList(path: json, dataset: "fish2")) {
            XCTAssertTrue("\($0)".contains("c.json:1:11 (at [1]): class 1 has an empty name (--skip-invalid"), "\($0)")
        }
        XCTAssertEqual(try TestSupport.snapshot(store), before)
        let r = try Importer(store: store).importClassList(path: json, dataset: "fish2", skipInvalid: true)
        XCTAssertEqual(r.classesAdded, 2)
        XCTAssertEqual(r.warnings.count, 2, "\(r.warnings)")
        XCTAssertTrue(r.warnings[1].contains("(at [3]): expected a class name, found a number"), "\(r.warnings)")
        // Duplicates stay errors even with the flag: which one was meant decides later indexes.
        let dup = TestSupport.write("tench\nTench\n", to: "d.txt", in: dir)
        XCTAssertThrowsError(try Importer(store: store).importClassList(path: dup, dataset: "fish3", skipInvalid: true))
    }

    func testPerClassFormats() throws {
        let cases: [(ClassDescriptionFormat, String, String, String)] = [
            (.descriptions, "d.json", #"{"oak": ["lobed leaves", ""], "pine": ["needles"]}"#, #"d.json:1:26 (at "oak"[1])"#),
            (.attributes, "a.json", #"{"oak": {"leaf": ["lobed leaves", 5]}, "pine": {"leaf": ["needles"]}}"#, #"a.json:1:35 (at "oak"."leaf"[1])"#),
            (.ex2, "e.json", #"[["lobed leaves", null], ["needles"]]"#, "e.json:1:19 (at [0][1])"),
            (.csv, "c.csv", "class,text\noak,lobed leaves\noak,\" \"\npine,needles\n", "c.csv:3 (at column 'text')"),
            (.tsv, "t.tsv", "class\ttext\noak\tlobed leaves\n\tbark\npine\tneedles\n", "t.tsv:3 (at column 'class')"),
        ]
        for (format, name, content, position) in cases {
            store = try TestSupport.newStore()
            let classes = TestSupport.write("oak\npine\n", to: "trees.txt", in: dir)
            _ = try Importer(store: store).importClassList(path: classes, dataset: "trees")
            let f = TestSupport.write(content, to: name, in: dir)
            try assertStrictThenSkipped({
                try Importer(store: self.store).importClassDescriptions(format, path: f, dataset: "trees", skipInvalid: $0)
            }, position: position, added: 2)
        }
        // folder: a file that is not UTF-8 is the bad item.
        store = try TestSupport.newStore()
        _ = try Importer(store: store).importClassList(path: TestSupport.write("oak\npine\n", to: "trees.txt", in: dir), dataset: "trees")
        TestSupport.write("lobed leaves\nacorns\n", to: "f/oak.txt", in: dir)
        _ = FileManager.default.createFile(atPath: dir + "/f/pine.txt", contents: Data([0x6E, 0xFE, 0x0A]))
        try assertStrictThenSkipped({
            try Importer(store: self.store).importClassDescriptions(.folder, path: self.dir + "/f", dataset: "trees", skipInvalid: $0)
        }, position: "pine.txt:1:2", added: 2)
    }
}
