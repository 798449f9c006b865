import DescryLLM
import XCTest

/// Judge answers and the verdict categories.
final class JudgeVerdictTests: XCTestCase {
    func testParsesAndCategorises() throws {
        let v = try JudgeVerdict.parse(#"{"informative": true, "attribute": "habitat", "visual": false, "rationale": "Where it lives is not in the photo."}"#)
        XCTAssertEqual(v, JudgeVerdict(informative: true, attribute: "habitat", visual: false, rationale: "Where it lives is not in the photo."))
        XCTAssertEqual(v.category, "non-visual")
        XCTAssertEqual(try JudgeVerdict.parse(#"{"informative": "yes", "attribute": "colour", "visual": "yes"}"#).category, "visual")
        XCTAssertEqual(try JudgeVerdict.parse(#"{"informative": false, "attribute": "none", "visual": false}"#).category, "spurious")
    }

    func testRejects() {
        for text in [#"{"informative": true, "visual": true}"#, #"{"informative": "maybe", "attribute": "x", "visual": true}"#, "[1]"] {
            XCTAssertThrowsError(try JudgeVerdict.parse(text), text)
        }
    }
}
