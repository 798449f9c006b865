import DescryFakes
@testable import DescryLLM
import DescryStore
import Foundation
import XCTest

/// The hostile OpenAI-compatible server of the reliability issue, played by the loopback
/// server: slow and endless answers (items 3), huge and gzip-bomb answers (5), redirects to
/// another origin (7) and a server that echoes the key (8). Each failed before its fix; the
/// time bounds below are generous (minutes before the fix, seconds after).
final class HostileServerTests: XCTestCase {
    let key = "sk-test-SECRET-0123456789"

    func request(_ c: LLMConfiguration) -> ChatRequest {
        ChatRequest(messages: [.user("hello")], configuration: c)
    }

    func configuration(_ server: LoopbackChatServer, timeout: Double = 5, attempts: Int = 2) -> LLMConfiguration {
        var c = TestSupport.configuration(server, key: key)
        c.timeout = timeout
        c.maxAttempts = attempts
        return c
    }

    /// A valid answer sent one byte every 0.2 s (~70 s in all): `--timeout 1 --attempts 2`
    /// ran for minutes and then claimed "timed out after 1.0s". The deadline now covers the
    /// whole request.
    func testSlowAnswerIsCutOffAtTheWholeRequestDeadline() async throws {
        let body = LoopbackChatServer.completionBody("{\"ok\": true}")
        let server = try LoopbackChatServer { _ in .trickle(status: 200, body: body, interval: 0.2) }
        defer { server.stop() }
        let c = configuration(server, timeout: 1, attempts: 2)
        let start = Date()
        do {
            _ = try await TestSupport.client(c).complete(request(c))
            XCTFail("a trickled answer must not complete within the deadline")
        } catch let e as LLMError {
            guard case .retriesExhausted(let attempts, let last) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(attempts, 2)
            XCTAssertTrue(last.contains("deadline"), last)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 20, "two 1 s deadlines, not the ~70 s the body takes")
        XCTAssertEqual(server.received.count, 2)
    }

    /// A chunked body that never ends kept a core busy for minutes.
    func testEndlessChunkedBodyIsCutOff() async throws {
        let server = try LoopbackChatServer { _ in .endless(interval: 0.01, limit: 100_000) }
        defer { server.stop() }
        let c = configuration(server, timeout: 1, attempts: 1)
        let start = Date()
        do {
            _ = try await TestSupport.client(c).complete(request(c))
            XCTFail("an endless body must not complete")
        } catch let e as LLMError {
            XCTAssertTrue("\(e)".contains("deadline"), "\(e)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
    }

    /// A 2 MB gzip body inflating to 2 GiB took 4.2 GB of memory. The cap counts decoded bytes.
    func testGzipBombStopsAtTheCap() async throws {
        let bomb = try gzip(zeroBytes: 64 << 20)
        XCTAssertLessThan(bomb.count, 1 << 20, "the compressed body is small")
        let server = try LoopbackChatServer { _ in .respondBytes(status: 200, body: bomb, headers: ["Content-Encoding": "gzip"]) }
        defer { server.stop() }
        var c = configuration(server, attempts: 3)
        c.maxResponseBytes = 1 << 20
        do {
            _ = try await TestSupport.client(c).complete(request(c))
            XCTFail("the inflated body passes the cap")
        } catch let e as LLMError {
            guard case .responseTooLarge(let limit) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(limit, 1 << 20)
            XCTAssertTrue("\(e)".contains("--max-response-bytes"), "\(e)")
        }
        XCTAssertEqual(server.received.count, 1, "a too-large answer is not retried")
    }

    /// 50 MB answers were stored whole; now a plain body over the cap fails too.
    func testPlainBodyOverTheCapFails() async throws {
        let big = LoopbackChatServer.completionBody(String(repeating: "x", count: 3 << 20))
        let server = try LoopbackChatServer { _ in .respond(status: 200, body: big, headers: [:], delay: 0) }
        defer { server.stop() }
        var c = configuration(server)
        c.maxResponseBytes = 1 << 20
        do {
            _ = try await TestSupport.client(c).complete(request(c))
            XCTFail("over the cap")
        } catch LLMError.responseTooLarge {}
        // Under the cap the same server's answer comes through.
        c.maxResponseBytes = 8 << 20
        let ok = try await TestSupport.client(c).complete(request(c))
        XCTAssertEqual(ok.content.count, 3 << 20)
    }

    /// A 301/302/307 to another origin carried `Authorization: Bearer` there.
    func testRedirectToAnotherOriginIsNotFollowedAndTheKeyNeverArrives() async throws {
        let elsewhere = try LoopbackChatServer { _ in .completion("{\"stolen\": true}") }
        defer { elsewhere.stop() }
        for status in [301, 302, 307] {
            let server = try LoopbackChatServer { _ in
                .respond(status: status, body: "", headers: ["Location": elsewhere.baseURL + "/chat/completions"], delay: 0)
            }
            defer { server.stop() }
            let c = configuration(server)
            do {
                _ = try await TestSupport.client(c).complete(request(c))
                XCTFail("a cross-origin redirect must fail (\(status))")
            } catch let e as LLMError {
                guard case .redirectRefused(_, let to) = e else { return XCTFail("\(e)") }
                XCTAssertEqual(to, "http://127.0.0.1:\(elsewhere.port)")
                XCTAssertTrue(e.isFatal)
            }
        }
        XCTAssertEqual(elsewhere.received.count, 0, "nothing, and so no key, reached the other origin")
    }

    /// A redirect within the same origin is followed.
    func testRedirectWithinTheOriginIsFollowed() async throws {
        let server = try LoopbackChatServer { r in
            r.path.hasSuffix("/moved") ? .completion("{\"ok\": 1}")
                : .respond(status: 307, body: "", headers: ["Location": "/v1/chat/moved"], delay: 0)
        }
        defer { server.stop() }
        let c = configuration(server)
        let answer = try await TestSupport.client(c).complete(request(c))
        XCTAssertEqual(answer.content, "{\"ok\": 1}")
        XCTAssertEqual(server.received.map(\.path), ["/v1/chat/completions", "/v1/chat/moved"])
    }

    /// A server that echoes the key: in a valid answer, in an error body, in an unusable 200.
    func testEchoedKeyIsScrubbedFromEverythingReceived() async throws {
        let echoing = try LoopbackChatServer { [key] r in
            switch r.index {
            case 0: return .completion("{\"descriptions\": [\"has ears like \(key)\"]}")
            case 1: return .error(400, "bad key \(key) in request")
            default: return .respond(status: 200, body: "not json \(key)", headers: [:], delay: 0)
            }
        }
        defer { echoing.stop() }
        var c = configuration(echoing, attempts: 1)
        c.maxAttempts = 1
        let client = try TestSupport.client(c)
        let ok = try await client.complete(request(c))
        XCTAssertFalse(ok.content.contains(key), ok.content)
        XCTAssertTrue(ok.content.contains("***"), ok.content)
        for _ in 0..<2 {
            do {
                _ = try await client.complete(request(c))
                XCTFail("expected an error")
            } catch {
                XCTAssertFalse("\(error)".contains(key), "\(error)")
            }
        }
    }

    func testRedactionOfBytes() {
        XCTAssertEqual(Redaction.scrub(Data("a sk-123456 b sk-123456".utf8), secret: "sk-123456"), Data("a *** b ***".utf8))
        XCTAssertEqual(Redaction.scrub(Data("sk-12".utf8), secret: "sk-123456"), Data("sk-12".utf8))
        XCTAssertEqual(Redaction.scrub(Data("abc".utf8), secret: nil), Data("abc".utf8))
    }

    func testTimeoutAndAttemptsAreRangeChecked() {
        for t in [Double.infinity, 1e308, 0, -1, .nan] {
            var c = LLMConfiguration(baseURL: "http://127.0.0.1:1/v1", model: "m")
            c.timeout = t
            XCTAssertThrowsError(try c.validate(), "timeout \(t)")
        }
        var c = LLMConfiguration(baseURL: "http://127.0.0.1:1/v1", model: "m")
        c.maxAttempts = 21
        XCTAssertThrowsError(try c.validate())
        c.maxAttempts = 20
        XCTAssertNoThrow(try c.validate())
    }

    /// `head -c N /dev/zero | gzip`: a small body that inflates to N bytes.
    func gzip(zeroBytes n: Int) throws -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "head -c \(n) /dev/zero | gzip -c -9"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw XCTSkip("gzip is not available") }
        return [UInt8](data)
    }
}
