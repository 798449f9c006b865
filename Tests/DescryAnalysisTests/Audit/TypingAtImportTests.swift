import DescryStore
import DescryTestSupport
import Foundation
import XCTest
@testable import DescryAnalysis

/// Typing at import (the audit issue): a description without a source attribute gets an
/// attribute, a category, a confidence and a reason from its text; one with a source
/// attribute keeps the taxonomy's mapping of it.
final class TypingAtImportTests: XCTestCase {
    func store() throws -> Store {
        let s = try Store(path: DemoFixture.tempPath("typing.db"), taxonomy: DemoFixture.taxonomy, create: true)
        s.typer = RuleAuditorTests.auditor
        return s
    }

    func write(_ text: String, to name: String) throws -> String {
        let path = DemoFixture.tempPath(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testPerClassTextIsTypedAndSourceAttributesKeepTheTaxonomy() throws {
        let s = try store()
        let importer = Importer(store: s)
        _ = try importer.importClassList(path: try write("[\"beagle\", \"pug\"]", to: "c.json"), dataset: "dogs")
        _ = try importer.importClassDescriptions(path: try write("""
            {"beagle": ["a beagle has long, floppy ears.", "I apologize, but I cannot view images of dogs.", "lives in packs and hunts hares."],
             "pug": ["a blurry photo of a pug."]}
            """, to: "d.json"), dataset: "dogs")
        let rows = try s.database.rows("SELECT text, attribute, category, attribute_confidence AS c, attribute_reason AS r FROM descriptions ORDER BY id")
        let typed = Dictionary(uniqueKeysWithValues: try rows.map { (try $0.string("text"), $0) })
        func check(_ text: String, _ attribute: String, _ category: String) throws {
            let r = try XCTUnwrap(typed[text], text)
            XCTAssertEqual(try r.string("attribute"), attribute, text)
            XCTAssertEqual(try r.string("category"), category, text)
            XCTAssertGreaterThan(try r.double("c"), 0, text)
            XCTAssertFalse(try r.string("r").isEmpty, text)
        }
        try check("a beagle has long, floppy ears.", "part", "visual")
        try check("I apologize, but I cannot view images of dogs.", "none", "spurious")
        try check("lives in packs and hunts hares.", "habitat", "non-visual")
        try check("a blurry photo of a pug.", "none", "spurious")

        // A FuDD-style line with a source attribute keeps the taxonomy's mapping of it.
        _ = try importer.importJSONLines(path: try write(#"{"dataset": "dogs", "class": "pug", "text": "a pug, which is fawn.", "attribute": "coat color"}"#, to: "x.jsonl"))
        let fudd = try XCTUnwrap(try s.database.row("SELECT attribute, category, attribute_reason AS r FROM descriptions WHERE text = 'a pug, which is fawn.'"))
        XCTAssertEqual(try fudd.string("attribute"), s.taxonomy.map("coat color").attribute)
        XCTAssertTrue(try fudd.string("r").hasPrefix("source attribute 'coat color'"))
    }

    func testWithoutATyperTextStaysUnknownAndRetypingFillsIt() throws {
        let s = try store()
        s.typer = nil
        let importer = Importer(store: s)
        _ = try importer.importClassList(path: try write("[\"beagle\"]", to: "c.json"), dataset: "dogs")
        _ = try importer.importClassDescriptions(path: try write("{\"beagle\": [\"a beagle has a white tail tip.\"]}", to: "d.json"), dataset: "dogs")
        XCTAssertEqual(try s.database.scalar(String.self, "SELECT category FROM descriptions"), "unknown")
        XCTAssertEqual(try s.retypeDescriptions(with: RuleAuditorTests.auditor), 1)
        XCTAssertEqual(try s.database.scalar(String.self, "SELECT category FROM descriptions"), "visual")
        XCTAssertEqual(try s.retypeDescriptions(with: RuleAuditorTests.auditor), 0, "a second run changes nothing")
    }

    /// Every description imported from the per-class corpora gets an attribute and a category,
    /// and `group by attribute` gives real groups.
    func testSharedPerClassCorporaAreTypedWhole() throws {
        let root = try SharedCorpora.directory("", requiring: ["fudd/pets_class_names.json", "fudd/dtd_class_names.json", "cupl/pets.json", "labo/dtd.json"])
        let s = try store()
        let importer = Importer(store: s)
        _ = try importer.importClassList(path: root + "/fudd/pets_class_names.json", dataset: "pets")
        _ = try importer.importClassList(path: root + "/fudd/dtd_class_names.json", dataset: "dtd")
        let cupl = try importer.importClassDescriptions(path: root + "/cupl/pets.json", dataset: "pets")
        let labo = try importer.importClassDescriptions(path: root + "/labo/dtd.json", dataset: "dtd")
        XCTAssertGreaterThan(cupl.descriptionsAdded + labo.descriptionsAdded, 5000)
        XCTAssertEqual(try s.database.scalar(Int.self, "SELECT count(*) FROM descriptions WHERE attribute IS NULL OR category = 'unknown'"), 0)
        for ds in ["pets", "dtd"] {
            let groups = try s.database.scalar(Int.self, "SELECT count(DISTINCT attribute) FROM descriptions d JOIN datasets x ON x.id = d.dataset_id WHERE x.name = ?", [ds])
            XCTAssertGreaterThanOrEqual(groups, 8, ds)
            let categories = try s.database.scalar(Int.self, "SELECT count(DISTINCT category) FROM descriptions d JOIN datasets x ON x.id = d.dataset_id WHERE x.name = ?", [ds])
            XCTAssertEqual(categories, 3, "\(ds): visual, non-visual and spurious all occur")
        }
    }
}
