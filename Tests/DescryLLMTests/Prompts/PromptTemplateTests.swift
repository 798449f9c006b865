import DescryLLM
import XCTest

/// The shipped prompt files load and fill.
final class PromptTemplateTests: XCTestCase {
    func testShippedPromptsLoad() throws {
        for name in PromptTemplate.shipped {
            let p = try TestSupport.prompt(name)
            XCTAssertFalse(p.id.isEmpty)
            XCTAssertEqual(p.contentHash.count, 64)
        }
        XCTAssertEqual(try TestSupport.prompt("descriptions-ex2").questions.count, 8)
        XCTAssertTrue(try TestSupport.prompt("differential").questions.isEmpty)
    }

    func testFillLeavesUnknownBracesAlone() {
        XCTAssertEqual(PromptTemplate.fill("{\"pairs\": [{\"{a}\": 1}]} {missing}", ["a": "beagle"]), "{\"pairs\": [{\"beagle\": 1}]} {missing}")
    }

    func testDifferentialPromptNamesBothClasses() throws {
        let m = try TestSupport.prompt("differential").messages(["class_a": "beagle", "class_b": "pug", "dataset": "pets", "n": "3"])
        XCTAssertEqual(m.map(\.role), ["system", "user"])
        XCTAssertTrue(m[1].content.contains("\"beagle\": \"<sentence about a beagle>\""))
        XCTAssertTrue(m[1].content.contains("up to 3 attributes"))
        XCTAssertFalse(m[1].content.contains("{class_a}"))
    }

    func testMissingFieldIsNamed() throws {
        let dir = try TestSupport.temporaryDirectory()
        try #"{"id": "x", "system": "s", "corrective": "c"}"#.write(toFile: dir + "/p.json", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try PromptTemplate.load(path: dir + "/p.json")) { XCTAssertTrue("\($0)".contains("'user'")) }
        XCTAssertThrowsError(try PromptTemplate.load(path: dir + "/none.json")) { XCTAssertTrue("\($0)".contains("no such prompt file")) }
    }
}
