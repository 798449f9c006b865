import DescryFakes
import DescryLLM
import Foundation
import XCTest

/// The client against the loopback server: request bodies, each failure mode, retries.
final class ChatClientTests: XCTestCase {
    func request(_ c: LLMConfiguration, _ text: String = "hello") -> ChatRequest {
        ChatRequest(messages: [.system("sys"), .user(text)], configuration: c)
    }

    func testSendsModelMessagesParametersAndKey() async throws {
        let server = try LoopbackChatServer { _ in .completion("{\"ok\": true}", promptTokens: 7, completionTokens: 5) }
        defer { server.stop() }
        var c = TestSupport.configuration(server)
        c.temperature = 0.25
        c.maxTokens = 300
        let answer = try await TestSupport.client(c).complete(request(c, "héllo \"quoted\""))
        XCTAssertEqual(answer.content, "{\"ok\": true}")
        XCTAssertEqual(answer.usage, TokenUsage(promptTokens: 7, completionTokens: 5, totalTokens: 12))
        XCTAssertEqual(answer.attempts, 1)
        let got = try XCTUnwrap(server.received.first)
        XCTAssertEqual(got.method, "POST")
        XCTAssertEqual(got.path, "/v1/chat/completions")
        XCTAssertEqual(got.headers["authorization"], "Bearer sk-test-SECRET-0123456789")
        XCTAssertEqual(got.headers["content-type"], "application/json")
        let body = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(got.body.utf8)) as? [String: Any])
        XCTAssertEqual(body["model"] as? String, "test-model")
        XCTAssertEqual(body["temperature"] as? Double, 0.25)
        XCTAssertEqual(body["max_tokens"] as? Int, 300)
        XCTAssertEqual((body["response_format"] as? [String: Any])?["type"] as? String, "json_object")
        let messages = try XCTUnwrap(body["messages"] as? [[String: String]])
        XCTAssertEqual(messages, [["role": "system", "content": "sys"], ["role": "user", "content": "héllo \"quoted\""]])
        XCTAssertEqual(got.body, request(c, "héllo \"quoted\"").body, "the bytes sent are the canonical body that is hashed and cached")
    }

    func testNoKeyNoAuthorizationHeaderAndJSONModeOff() async throws {
        let server = try LoopbackChatServer { _ in .completion("x") }
        defer { server.stop() }
        var c = TestSupport.configuration(server, key: nil)
        c.jsonMode = false
        _ = try await TestSupport.client(c).complete(request(c))
        XCTAssertNil(server.received[0].headers["authorization"])
        XCTAssertFalse(server.received[0].body.contains("response_format"))
    }

    func testRetryAfterIsHonoured() async throws {
        let server = try LoopbackChatServer { r in
            r.index == 0 ? .error(429, "slow down", headers: ["Retry-After": "2"]) : .completion("fine")
        }
        defer { server.stop() }
        let delays = DelayLog()
        let c = TestSupport.configuration(server)
        let answer = try await TestSupport.client(c, delays: delays).complete(request(c))
        XCTAssertEqual(answer.content, "fine")
        XCTAssertEqual(answer.attempts, 2)
        XCTAssertEqual(delays.all, [2.0], "the wait before the retry is the server's Retry-After")
        XCTAssertEqual(server.received.count, 2)
        XCTAssertEqual(server.received[0].body, server.received[1].body)
    }

    func testServerErrorsBackOffExponentially() async throws {
        let server = try LoopbackChatServer { r in r.index < 3 ? .error(r.index == 1 ? 503 : 500, "boom") : .completion("fine") }
        defer { server.stop() }
        let delays = DelayLog()
        var c = TestSupport.configuration(server)
        c.backoffBase = 1
        c.backoffMax = 100
        let answer = try await TestSupport.client(c, delays: delays).complete(request(c))
        XCTAssertEqual(answer.attempts, 4)
        let d = delays.all
        XCTAssertEqual(d.count, 3)
        // Jittered between half and all of 1, 2, 4 seconds.
        for (i, v) in d.enumerated() {
            let cap = pow(2, Double(i))
            XCTAssertGreaterThanOrEqual(v, cap / 2)
            XCTAssertLessThanOrEqual(v, cap)
        }
    }

    func testDroppedConnectionIsRetried() async throws {
        let server = try LoopbackChatServer { r in r.index == 0 ? .drop(delay: 0) : .completion("after drop") }
        defer { server.stop() }
        let c = TestSupport.configuration(server)
        let answer = try await TestSupport.client(c).complete(request(c))
        XCTAssertEqual(answer.content, "after drop")
        XCTAssertGreaterThanOrEqual(server.received.count, 2)
    }

    func testSlowAnswerTimesOutAndIsRetried() async throws {
        let server = try LoopbackChatServer { r in r.index == 0 ? .completion("too late", delay: 1.5) : .completion("in time") }
        defer { server.stop() }
        var c = TestSupport.configuration(server)
        c.timeout = 0.5
        let answer = try await TestSupport.client(c).complete(request(c))
        XCTAssertEqual(answer.content, "in time")
        // At least one retry; more only if the loaded machine made a fast answer miss 0.5 s too.
        XCTAssertGreaterThanOrEqual(answer.attempts, 2)
        // The server may not have read a request the client already gave up on, so it can
        // have seen fewer than the client sent, but never more, and at least the two.
        XCTAssertGreaterThanOrEqual(server.received.count, 2)
        XCTAssertLessThanOrEqual(server.received.count, answer.attempts)
    }

    func testMalformedBodyIsRetriedThenReported() async throws {
        let server = try LoopbackChatServer { _ in .respond(status: 200, body: "{\"choices\": [ oops", headers: [:], delay: 0) }
        defer { server.stop() }
        let c = TestSupport.configuration(server)
        do {
            _ = try await TestSupport.client(c).complete(request(c))
            XCTFail("expected failure")
        } catch let e as LLMError {
            guard case .retriesExhausted(let n, let last) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(n, 4)
            XCTAssertTrue(last.contains("not a chat completion"), last)
        }
        XCTAssertEqual(server.received.count, 4)
    }

    func testUnauthorizedStopsAtOnceWithoutLeakingTheKey() async throws {
        // The server echoes the Authorization header, as some proxies do.
        let server = try LoopbackChatServer { r in .error(401, "Incorrect API key provided: \(r.headers["authorization"] ?? "")") }
        defer { server.stop() }
        let c = TestSupport.configuration(server)
        do {
            _ = try await TestSupport.client(c).complete(request(c))
            XCTFail("expected failure")
        } catch let e as LLMError {
            guard case .unauthorized = e else { return XCTFail("\(e)") }
            XCTAssertTrue(e.isFatal)
            XCTAssertFalse("\(e)".contains("SECRET"), "\(e)")
            XCTAssertTrue("\(e)".contains("DESCRY_LLM_API_KEY"))
        }
        XCTAssertEqual(server.received.count, 1, "401 is not retried")
    }

    func testNotFoundStopsAtOnce() async throws {
        let server = try LoopbackChatServer { _ in .error(404, "The model `nope` does not exist") }
        defer { server.stop() }
        let c = TestSupport.configuration(server)
        do {
            _ = try await TestSupport.client(c).complete(request(c))
            XCTFail("expected failure")
        } catch let e as LLMError {
            guard case .notFound = e else { return XCTFail("\(e)") }
            XCTAssertTrue("\(e)".contains("does not exist"))
            XCTAssertTrue("\(e)".contains("DESCRY_LLM_MODEL"))
        }
        XCTAssertEqual(server.received.count, 1)
    }

    func testBadRequestIsNotRetriedAndNotFatal() async throws {
        let server = try LoopbackChatServer { _ in .error(400, "max_tokens is too large") }
        defer { server.stop() }
        let c = TestSupport.configuration(server)
        do {
            _ = try await TestSupport.client(c).complete(request(c))
            XCTFail("expected failure")
        } catch let e as LLMError {
            guard case .http(400, let m) = e else { return XCTFail("\(e)") }
            XCTAssertFalse(e.isFatal)
            XCTAssertEqual(m, "max_tokens is too large")
        }
        XCTAssertEqual(server.received.count, 1)
    }
}
