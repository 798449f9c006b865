import DescryLLM
import XCTest

/// Configuration from the environment; the key stays out of descriptions.
final class LLMConfigurationTests: XCTestCase {
    func testEnvironmentAndKeyPrecedence() throws {
        let c = try LLMConfiguration.fromEnvironment([
            "DESCRY_LLM_BASE_URL": "http://localhost:8000/v1/", "DESCRY_LLM_MODEL": "llama",
            "DESCRY_LLM_API_KEY": "sk-descry-key", "OPENAI_API_KEY": "sk-openai-key",
        ])
        XCTAssertEqual(c.model, "llama")
        XCTAssertEqual(c.apiKey, "sk-descry-key")
        XCTAssertEqual(c.completionsURL, "http://localhost:8000/v1/chat/completions")
        let o = try LLMConfiguration.fromEnvironment(["DESCRY_LLM_MODEL": "gpt-4o-mini", "OPENAI_API_KEY": "sk-openai-key"])
        XCTAssertEqual(o.apiKey, "sk-openai-key")
        XCTAssertEqual(o.baseURL, "https://api.openai.com/v1")
        XCTAssertFalse("\(o)".contains("sk-openai-key"))
        XCTAssertEqual(try LLMConfiguration.fromEnvironment(["DESCRY_LLM_MODEL": "a"], model: "b").model, "b")
    }

    func testMissingModelAndBadURL() {
        XCTAssertThrowsError(try LLMConfiguration.fromEnvironment([:])) { XCTAssertTrue("\($0)".contains("DESCRY_LLM_MODEL")) }
        XCTAssertThrowsError(try LLMConfiguration.fromEnvironment(["DESCRY_LLM_MODEL": "m", "DESCRY_LLM_BASE_URL": "localhost:8000"])) {
            XCTAssertTrue("\($0)".contains("not an http(s) URL"))
        }
    }

    func testRedaction() {
        XCTAssertEqual(Redaction.scrub("key sk-abcdef was wrong: sk-abcdef", secret: "sk-abcdef"), "key *** was wrong: ***")
        XCTAssertEqual(Redaction.excerpt("a\nb", limit: 10), "a b")
        XCTAssertEqual(Redaction.excerpt("abcdef", limit: 3), "abc…")
    }
}
