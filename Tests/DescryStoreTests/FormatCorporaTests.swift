@testable import DescryStore
import DescryTestSupport
import Foundation
import XCTest

/// TAP's attribute-keyed EuroSAT file and AdaptCLIPZS's EuroSAT folder from ../shared/corpora,
/// imported into a dataset created from their class names. Counts are checked against a count
/// made another way (Foundation's JSON parser; a plain split of each file into lines).
final class FormatCorporaTests: XCTestCase {
    func descriptionRows(_ store: Store) throws -> [(cls: String, text: String, raw: String?)] {
        try store.database.rows("""
            SELECT c.name AS class, d.text, d.attribute_raw FROM descriptions d JOIN classes c ON c.id = d.class_id ORDER BY d.id
            """).map { (try $0.string("class"), try $0.string("text"), try $0.optionalString("attribute_raw")) }
    }

    func testTAPEuroSATImportsEveryTextWithItsAttribute() throws {
        let path = try SharedCorpora.directory("tap", requiring: ["eurosat.json"]) + "/eurosat.json"
        // The independent count: Foundation's parser, (class, attribute, text) triples.
        let raw = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: [String: [String]]] ?? [:]
        var expected = Set<[String]>()
        for (c, attrs) in raw { for (a, texts) in attrs { for t in texts { expected.insert([c, a, t]) } } }
        XCTAssertFalse(expected.isEmpty)

        let store = try TestSupport.newStore()
        let r = try Importer(store: store).importClassDescriptions(.attributes, path: path, dataset: "eurosat", createClasses: true)
        XCTAssertEqual(r.warnings, [])
        XCTAssertEqual(r.classesAdded, raw.count)
        XCTAssertEqual(r.descriptionsAdded, expected.count)
        let rows = try descriptionRows(store)
        XCTAssertEqual(rows.filter { $0.raw == nil }.count, 0, "every TAP description has attribute_raw")
        XCTAssertEqual(Set(rows.map { [$0.cls, $0.raw ?? "", $0.text] }), expected)
        // Each raw attribute is mapped by the taxonomy (not left to text typing).
        let mapped = try store.database.rows("SELECT DISTINCT attribute_raw, attribute FROM descriptions").map {
            (try $0.string("attribute_raw"), try $0.optionalString("attribute"))
        }
        for (rawAttribute, attribute) in mapped {
            XCTAssertEqual(attribute, TestSupport.taxonomy.map(rawAttribute).attribute, rawAttribute)
        }
        XCTAssertEqual(try store.database.rows("SELECT format FROM sources").map { try $0.string("format") }, ["attributes"])
    }

    func testAdaptCLIPZSFolderImportsEveryLine() throws {
        let folder = try SharedCorpora.directory("adaptclipzs/eurosat")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".txt") }
        XCTAssertFalse(files.isEmpty)
        // The independent count: split each file at line breaks, trim, drop blank lines.
        var expected = Set<[String]>()
        for f in files {
            let text = try String(contentsOfFile: folder + "/" + f, encoding: .utf8)
            for line in text.components(separatedBy: .newlines) {
                let t = line.trimmingCharacters(in: .whitespaces)
                if !t.isEmpty { expected.insert([(f as NSString).deletingPathExtension, t]) }
            }
        }
        let store = try TestSupport.newStore()
        let r = try Importer(store: store).importClassDescriptions(.folder, path: folder, dataset: "eurosat", createClasses: true)
        XCTAssertEqual(r.warnings, [])
        XCTAssertEqual(r.classesAdded, files.count)
        XCTAssertEqual(r.descriptionsAdded, expected.count)
        XCTAssertEqual(Set(try descriptionRows(store).map { [$0.cls, $0.text] }), expected)
        // Importing again adds nothing.
        let again = try Importer(store: store).importClassDescriptions(.folder, path: folder, dataset: "eurosat")
        XCTAssertEqual(again.descriptionsAdded, 0)
        XCTAssertEqual(again.descriptionsExisting, expected.count)
    }
}
