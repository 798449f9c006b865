import DescryLLM
import XCTest

/// JSON found in fences and prose.
final class JSONExtractionTests: XCTestCase {
    func testPlainFencedAndProse() throws {
        for text in [
            #"{"a": 1}"#,
            "```json\n{\"a\": 1}\n```",
            "```\n{\"a\": 1}\n```",
            "Sure! Here is the JSON you asked for:\n\n{\"a\": 1}\n\nLet me know if you need more.",
            "Note {not json} first, then {\"a\": 1} — and a brace in a string: done",
        ] {
            let v = try JSONExtraction.extract(text) as? [String: Any]
            XCTAssertEqual(v?["a"] as? Int, 1, text)
        }
        let s = try JSONExtraction.extract(#"prefix {"t": "a } inside"} suffix"#) as? [String: Any]
        XCTAssertEqual(s?["t"] as? String, "a } inside")
    }

    func testNoJSON() {
        XCTAssertThrowsError(try JSONExtraction.extract("I cannot help with that.")) { e in
            guard case LLMError.invalidAnswer(let reason, let raw) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(reason.contains("no JSON"))
            XCTAssertEqual(raw, "I cannot help with that.")
        }
    }
}
