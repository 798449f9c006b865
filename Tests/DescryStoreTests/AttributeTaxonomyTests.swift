@testable import DescryStore
import XCTest

final class AttributeTaxonomyTests: XCTestCase {
    let taxonomy = TestSupport.taxonomy

    func check(_ raw: String, _ attribute: String, _ category: AttributeCategory, file: StaticString = #filePath, line: UInt = #line) {
        let m = taxonomy.map(raw)
        XCTAssertEqual(m.attribute, attribute, "\(raw): \(m.rule)", file: file, line: line)
        XCTAssertEqual(m.category, category, raw, file: file, line: line)
    }

    func testHeadNounDecides() {
        check("ear shape", "shape", .visual)
        check("coat color", "colour", .visual)
        check("tail length", "size", .visual)
        check("eye colour", "colour", .visual)
    }

    func testUnseenTypesMapSensibly() {
        check("muzzle shape", "shape", .visual)
        check("coat colour", "colour", .visual)
        check("Surrounding Landscape", "habitat", .nonVisual)
        check("feather colours", "colour", .visual)
        check("nesting behaviour", "behaviour", .nonVisual)
        check("preferred diet", "diet", .nonVisual)
        check("country of origin", "origin", .nonVisual)
        check("mating call", "sound", .nonVisual)
        check("wing-span", "part", .visual)
    }

    func testOfPhrasesUseTheHeadBeforeOf() {
        check("size of spots", "size", .visual)
        check("color of spots", "colour", .visual)
        check("cause of imperfections", "origin", .nonVisual)
        check("shape of cracks/honeycombs", "shape", .visual)
    }

    func testPhrasesAndGenericWords() {
        check("land use", "use", .nonVisual)
        check("body type", "shape", .visual)
        let m = taxonomy.map("type")
        XCTAssertEqual(m.attribute, "other")
        XCTAssertEqual(m.category, .unknown)
        XCTAssertEqual(m.rule, "no rule matched")
        XCTAssertEqual(taxonomy.map("ear shape").rule, "head word 'shape'")
    }

    func testTaxonomyFileErrorsAreReported() throws {
        let dir = TestSupport.tempDirectory()
        let bad = TestSupport.write(#"{"attributes": {"colour": {"category": "seen", "words": []}}, "fallback": "colour"}"#, to: "t.json", in: dir)
        XCTAssertThrowsError(try AttributeTaxonomy(contentsOf: bad)) { XCTAssertTrue("\($0)".contains("unknown category 'seen'"), "\($0)") }
        let dup = TestSupport.write(#"{"attributes": {"a": {"category": "visual", "words": ["x"]}, "b": {"category": "visual", "words": ["x"]}}, "fallback": "a"}"#, to: "d.json", in: dir)
        XCTAssertThrowsError(try AttributeTaxonomy(contentsOf: dup)) { XCTAssertTrue("\($0)".contains("listed under both"), "\($0)") }
    }
}
