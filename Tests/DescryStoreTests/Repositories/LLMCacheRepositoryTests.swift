import DescryStore
import XCTest

/// `store.llmCache`: put, lookups, replacement semantics, the answered listing and counts.
final class LLMCacheRepositoryTests: XCTestCase {
    func testPutLookUpAndReplace() throws {
        let store = try TestSupport.newStore()
        let cache = store.llmCache
        XCTAssertNil(try cache.response(requestHash: "h1"))
        XCTAssertNil(try cache.entry(requestHash: "h1"))

        try cache.put(LLMCacheEntry(requestHash: "h1", model: "m", request: #"{"q":1}"#, response: "first", usage: #"{"total_tokens":3}"#, status: "invalid"))
        XCTAssertEqual(try cache.response(requestHash: "h1"), LLMCachedResponse(response: "first", usage: #"{"total_tokens":3}"#, status: "invalid"))
        let first = try XCTUnwrap(try cache.entry(requestHash: "h1"))
        XCTAssertEqual(first.model, "m")
        XCTAssertEqual(first.request, #"{"q":1}"#)
        let created = try XCTUnwrap(first.created)
        XCTAssertTrue(created.hasSuffix("Z"), created)

        // A second answer to the same request replaces answer, usage and status; the model,
        // the request body and the creation time stay those of the first write.
        try cache.put(LLMCacheEntry(requestHash: "h1", model: "other", request: "other body", response: "second", usage: nil, status: "ok"))
        XCTAssertEqual(try cache.response(requestHash: "h1"), LLMCachedResponse(response: "second", usage: nil, status: "ok"))
        let second = try XCTUnwrap(try cache.entry(requestHash: "h1"))
        XCTAssertEqual(second.model, "m")
        XCTAssertEqual(second.request, #"{"q":1}"#)
        XCTAssertEqual(second.created, created)
        XCTAssertEqual(try cache.count(), 1)
    }

    func testAnEntryWithoutAnswerTextIsNoCachedResponse() throws {
        let store = try TestSupport.newStore()
        try store.llmCache.put(LLMCacheEntry(requestHash: "h", model: "m", request: "{}", response: nil, usage: nil, status: "ok"))
        XCTAssertNil(try store.llmCache.response(requestHash: "h"))
        XCTAssertEqual(try store.llmCache.entry(requestHash: "h")?.response, nil)
        XCTAssertEqual(try store.llmCache.count(), 1)
    }

    func testAnsweredListsOneStatusWithTextInHashOrder() throws {
        let store = try TestSupport.newStore()
        let cache = store.llmCache
        try cache.put(LLMCacheEntry(requestHash: "c", model: "m1", request: "rc", response: "answer c", usage: nil, status: "ok"))
        try cache.put(LLMCacheEntry(requestHash: "a", model: "m2", request: "ra", response: "answer a", usage: nil, status: "ok"))
        try cache.put(LLMCacheEntry(requestHash: "b", model: "m1", request: "rb", response: "bad", usage: nil, status: "invalid"))
        try cache.put(LLMCacheEntry(requestHash: "d", model: "m1", request: "rd", response: nil, usage: nil, status: "ok"))

        let ok = try cache.answered(status: "ok")
        XCTAssertEqual(ok.map(\.requestHash), ["a", "c"])
        XCTAssertEqual(ok.map(\.request), ["ra", "rc"])
        XCTAssertEqual(ok.map(\.response), ["answer a", "answer c"])
        XCTAssertEqual(try cache.answered(status: "invalid").map(\.requestHash), ["b"])

        XCTAssertEqual(try cache.count(), 4)
        XCTAssertEqual(try cache.count(model: "m1"), 3)
        XCTAssertEqual(try cache.count(model: "m2"), 1)
        XCTAssertEqual(try cache.count(model: "none"), 0)
    }

    func testPutInsideAWriteRollsBackWithIt() throws {
        let store = try TestSupport.newStore()
        struct Boom: Error {}
        XCTAssertThrowsError(try store.write {
            try store.llmCache.put(LLMCacheEntry(requestHash: "h", model: "m", request: "{}", response: "x", usage: nil, status: "ok"))
            throw Boom()
        })
        XCTAssertEqual(try store.llmCache.count(), 0, "the cache row is part of the caller's transaction")
    }
}
