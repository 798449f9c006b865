@testable import DescryLLM
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

    /// Hostile answers from the reliability issue: 200 KB of `{` took 83–91 s of CPU and a
    /// 100,000-deep array 57 s with the old per-bracket rescan. Now one linear pass; these
    /// finish at once (a quadratic regression would make this test run for minutes).
    func testHostileAnswersAreRejectedInLinearTime() {
        for hostile in [String(repeating: "{", count: 2_000_000),
                        String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
                        String(repeating: "[{", count: 50_000) + "x",
                        "prose " + String(repeating: "{\"a\": ", count: 30_000)] {
            XCTAssertThrowsError(try JSONExtraction.extract(hostile)) { e in
                guard case LLMError.invalidAnswer = e else { return XCTFail("\(e)") }
            }
        }
    }

    func testDepthBoundAndMismatchedBrackets() throws {
        XCTAssertEqual(JSONExtraction.nestingDepth(Array(#"{"a": [1, {"b": "]]]]"}]}"#.utf8)), 3)
        let deep = String(repeating: "[", count: JSONExtraction.maximumDepth + 1) + String(repeating: "]", count: JSONExtraction.maximumDepth + 1)
        XCTAssertThrowsError(try JSONExtraction.extract(deep))
        let ok = String(repeating: "[", count: JSONExtraction.maximumDepth) + String(repeating: "]", count: JSONExtraction.maximumDepth)
        XCTAssertNotNil(try JSONExtraction.extract(ok) as? [Any])
        // A stray closing bracket before the JSON does not hide it; quotes in prose do not either.
        let v = try JSONExtraction.extract(#"Here ] it is, "quoted": {"descriptions": ["has a tail"]} done."#) as? [String: Any]
        XCTAssertEqual(v?["descriptions"] as? [String], ["has a tail"])
        // The earliest-starting span that parses wins over an inner one.
        let outer = try JSONExtraction.extract(#"x {"a": {"b": 1}} y"#) as? [String: Any]
        XCTAssertNotNil(outer?["a"])
    }
}
