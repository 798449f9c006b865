import DescryLLM
import XCTest

/// Validation of differential answers against the pair that was asked about.
final class DifferentialItemTests: XCTestCase {
    func testValidAnswerWithFenceAndNameVariants() throws {
        let text = "```json\n{\"pairs\": [{\"attribute\": \"ear shape\", \"Basset_Hound\": \"A basset hound has very long ears.\", \"beagle\": \"A beagle has medium ears.\"}]}\n```"
        let items = try DifferentialItem.parse(text, classA: "beagle", classB: "basset hound")
        XCTAssertEqual(items, [DifferentialItem(attribute: "ear shape", textA: "A beagle has medium ears.", textB: "A basset hound has very long ears.")])
        let bare = try DifferentialItem.parse(#"[{"attr_type": "size", "class_a": "A is small.", "class_b": "B is big."}]"#, classA: "x", classB: "y")
        XCTAssertEqual(bare.first?.attribute, "size")
        XCTAssertEqual(bare.first?.textB, "B is big.")
    }

    func testInvalidAnswers() {
        let cases: [(String, String)] = [
            (#"{"pairs": [{"attribute": "size", "beagle": "small"}]}"#, "no sentence for 'pug'"),
            (#"{"pairs": [{"beagle": "small", "pug": "smaller"}]}"#, "no attribute"),
            (#"{"pairs": [{"attribute": "size", "beagle": " ", "pug": "smaller"}]}"#, "empty sentence"),
            (#"{"pairs": []}"#, "empty"),
            (#"{"answer": "beagles are nice"}"#, "expected a list"),
            ("no json here", "no JSON"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try DifferentialItem.parse(text, classA: "beagle", classB: "pug"), text) { e in
                guard case LLMError.invalidAnswer(let reason, _) = e else { return XCTFail("\(e)") }
                XCTAssertTrue(reason.contains(expected), "\(reason) should mention \(expected)")
            }
        }
    }
}
