import DescryLLM
import XCTest

/// Per-class description answers.
final class DescriptionListTests: XCTestCase {
    func testParsesTrimsAndDedupes() throws {
        XCTAssertEqual(try DescriptionList.parse(#"Here: {"descriptions": [" A pug is small. ", "", "A pug is small.", "A pug has a curled tail."]}"#),
                       ["A pug is small.", "A pug has a curled tail."])
        XCTAssertEqual(try DescriptionList.parse(#"["one"]"#), ["one"])
    }

    func testRejects() {
        for text in [#"{"descriptions": []}"#, #"{"descriptions": [1, 2]}"#, #"{"text": "x"}"#] {
            XCTAssertThrowsError(try DescriptionList.parse(text), text)
        }
    }
}
