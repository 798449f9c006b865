import DescryLLM
import Foundation
import XCTest

/// The canonical body and its hash: the cache key.
final class ChatRequestTests: XCTestCase {
    let base = ChatRequest(model: "m", messages: [.system("s"), .user("u")], temperature: 0.7, maxTokens: 100, jsonMode: true)

    func testBodyIsCanonicalJSON() throws {
        XCTAssertEqual(base.body, #"{"model":"m","messages":[{"role":"system","content":"s"},{"role":"user","content":"u"}],"temperature":0.7,"max_tokens":100,"response_format":{"type":"json_object"}}"#)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(base.body.utf8)))
        XCTAssertEqual(base.hash.count, 64)
        XCTAssertEqual(base.hash, ChatRequest(model: "m", messages: [.system("s"), .user("u")], temperature: 0.7, maxTokens: 100, jsonMode: true).hash)
    }

    func testHashCoversModelMessagesAndParameters() {
        var variants: [ChatRequest] = []
        var r = base; r.model = "m2"; variants.append(r)
        r = base; r.messages[1].content = "u2"; variants.append(r)
        r = base; r.temperature = 0; variants.append(r)
        r = base; r.maxTokens = 101; variants.append(r)
        r = base; r.jsonMode = false; variants.append(r)
        XCTAssertEqual(Set(variants.map(\.hash) + [base.hash]).count, 6)
    }

    func testTokenEstimate() {
        let r = ChatRequest(model: "m", messages: [.user(String(repeating: "abcd", count: 100))], temperature: 0, maxTokens: 10, jsonMode: false)
        XCTAssertEqual(r.estimatedPromptTokens, 3 + 4 + 100)
    }
}
