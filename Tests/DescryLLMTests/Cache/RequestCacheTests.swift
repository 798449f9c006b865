import DescryLLM
import DescryStore
import XCTest

/// The llm_cache rows: exact request body, answer, usage, status.
final class RequestCacheTests: XCTestCase {
    func testSaveLookupReplace() throws {
        let store = try TestSupport.store()
        let cache = RequestCache(store: store)
        let r = ChatRequest(model: "m", messages: [.user("q")], temperature: 0, maxTokens: 5, jsonMode: false)
        XCTAssertNil(try cache.lookup(r.hash))
        try cache.save(r, answer: "a", usage: TokenUsage(promptTokens: 1, completionTokens: 2, totalTokens: 3), status: RequestCache.invalid)
        XCTAssertEqual(try cache.lookup(r.hash), CachedAnswer(content: "a", usage: TokenUsage(promptTokens: 1, completionTokens: 2, totalTokens: 3), status: "invalid"))
        try cache.save(r, answer: "b", usage: TokenUsage(), status: RequestCache.ok)
        XCTAssertEqual(try cache.lookup(r.hash)?.content, "b")
        XCTAssertEqual(try cache.count(), 1)
        XCTAssertEqual(try cache.count(model: "other"), 0)
        let row = try XCTUnwrap(try store.database.row("SELECT model, request FROM llm_cache"))
        XCTAssertEqual(try row.string("model"), "m")
        XCTAssertEqual(try row.string("request"), r.body)
    }
}
