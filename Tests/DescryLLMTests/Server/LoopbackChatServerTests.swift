import DescryFakes
import DescryLLM
import Foundation
import XCTest
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The test server itself: loopback only, keep-alive, request recording.
final class LoopbackChatServerTests: XCTestCase {
    func testServesManyRequestsOnLoopback() async throws {
        let server = try LoopbackChatServer { r in .completion("answer \(r.index)") }
        defer { server.stop() }
        XCTAssertTrue(server.baseURL.hasPrefix("http://127.0.0.1:"))
        XCTAssertGreaterThan(server.port, 0)
        var c = TestSupport.configuration(server, concurrency: 1)
        c.maxAttempts = 1
        let client = try TestSupport.client(c)
        for i in 0..<5 {
            let a = try await client.complete(ChatRequest(messages: [.user("n\(i)")], configuration: c))
            XCTAssertEqual(a.content, "answer \(i)")
        }
        XCTAssertEqual(server.received.map(\.index), [0, 1, 2, 3, 4])
        XCTAssertTrue(server.received[3].body.contains("\"n3\""))
    }

    func testCompletionBodyIsAChatCompletion() throws {
        let body = LoopbackChatServer.completionBody("he said \"hi\"\n", promptTokens: 3, completionTokens: 4)
        let c = try XCTUnwrap(ChatCompletion.decode(Data(body.utf8)))
        XCTAssertEqual(c.content, "he said \"hi\"\n")
        XCTAssertEqual(c.usage.totalTokens, 7)
        XCTAssertEqual(c.finishReason, "stop")
    }
}
