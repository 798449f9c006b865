import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small HTTP/1.1 server on 127.0.0.1 that plays an OpenAI-compatible chat-completions
/// endpoint with scripted answers — for tests and benchmarks, which must never talk to
/// another address. It binds a free loopback port, serves each connection on its own thread
/// (keep-alive honoured), records every request, and answers what `handler` returns.
// @unchecked: the mutable state (requests, clients, stopped) is only touched under `lock`.
public final class LoopbackChatServer: @unchecked Sendable {
    /// Decides the reply to each request.
    public typealias Handler = @Sendable (ReceivedRequest) -> ScriptedReply

    /// The port bound on 127.0.0.1.
    public let port: Int
    private let listener: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var requests: [ReceivedRequest] = []
    private var clients: Set<Int32> = []
    private var stopped = false
    private let connectionSlots = DispatchSemaphore(value: 64)

    /// `http://127.0.0.1:<port>/v1`, the base URL to configure a client with.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// Every request received so far, in arrival order.
    public var received: [ReceivedRequest] {
        lock.lock(); defer { lock.unlock() }
        return requests
    }

    /// Starts listening on 127.0.0.1 at a free port.
    public init(handler: @escaping Handler) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackServerError("socket() failed (errno \(errno))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 128) == 0 else {
            close(fd)
            throw LoopbackServerError("cannot bind 127.0.0.1 (errno \(errno))")
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        listener = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        let t = Thread { [self] in acceptLoop() }
        t.stackSize = 1 << 20
        t.start()
    }

    deinit { stop() }

    /// Stops accepting and closes every open connection.
    public func stop() {
        lock.lock()
        if stopped { lock.unlock(); return }
        stopped = true
        let open = clients
        lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for c in open { shutdown(c, Int32(SHUT_RDWR)) }
    }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    private func acceptLoop() {
        while !isStopped {
            let c = accept(listener, nil, nil)
            if c < 0 {
                if errno == EINTR { continue }
                return
            }
            var one: Int32 = 1
            setsockopt(c, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            connectionSlots.wait()
            lock.lock(); clients.insert(c); lock.unlock()
            let t = Thread { [self] in
                serve(c)
                lock.lock(); clients.remove(c); lock.unlock()
                close(c)
                connectionSlots.signal()
            }
            t.stackSize = 1 << 20
            t.start()
        }
    }

    /// Serves requests on one connection until the client closes it or a reply drops it.
    private func serve(_ fd: Int32) {
        var buffer = [UInt8]()
        while true {
            guard let (method, path, headers, body) = readRequest(fd, &buffer) else { return }
            let request: ReceivedRequest
            lock.lock()
            request = ReceivedRequest(index: requests.count, method: method, path: path, headers: headers, body: body)
            requests.append(request)
            lock.unlock()
            switch handler(request) {
            case .drop(let delay):
                if delay > 0 { Thread.sleep(forTimeInterval: delay) }
                return
            case .respond(let status, let text, let extra, let delay):
                if delay > 0 { Thread.sleep(forTimeInterval: delay) }
                guard respond(fd, status: status, body: Array(text.utf8), headers: extra) else { return }
            case .respondBytes(let status, let body, let extra):
                guard respond(fd, status: status, body: body, headers: extra) else { return }
            case .trickle(let status, let text, let interval):
                let payload = Array(text.utf8)
                let head = "HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Type: application/json\r\nContent-Length: \(payload.count)\r\nConnection: close\r\n\r\n"
                guard writeAll(fd, Array(head.utf8)) else { return }
                for b in payload {
                    if isStopped { return }
                    Thread.sleep(forTimeInterval: interval)
                    guard writeAll(fd, [b]) else { return }
                }
                return
            case .endless(let interval, let limit):
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                guard writeAll(fd, Array(head.utf8)) else { return }
                for _ in 0..<limit {
                    if isStopped { return }
                    guard writeAll(fd, Array("1\r\n \r\n".utf8)) else { return }
                    Thread.sleep(forTimeInterval: interval)
                }
                return
            }
        }
    }

    private func respond(_ fd: Int32, status: Int, body: [UInt8], headers extra: [String: String]) -> Bool {
        var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Length: \(body.count)\r\n"
        if extra["Content-Type"] == nil { head += "Content-Type: application/json\r\n" }
        for (k, v) in extra { head += "\(k): \(v)\r\n" }
        head += "Connection: keep-alive\r\n\r\n"
        return writeAll(fd, Array(head.utf8) + body)
    }

    private func readRequest(_ fd: Int32, _ buffer: inout [UInt8]) -> (String, String, [String: String], String)? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headerEnd: Int?
        while headerEnd == nil {
            if let r = find(separator, in: buffer) { headerEnd = r; break }
            guard fill(fd, &buffer), buffer.count < 1 << 20 else { return nil }
        }
        let head = String(decoding: buffer[..<headerEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let first = lines.removeFirst().split(separator: " ")
        guard first.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for l in lines {
            guard let colon = l.firstIndex(of: ":") else { continue }
            headers[l[..<colon].lowercased()] = l[l.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = headerEnd! + 4
        while buffer.count < bodyStart + length {
            guard fill(fd, &buffer) else { return nil }
        }
        let body = String(decoding: buffer[bodyStart..<(bodyStart + length)], as: UTF8.self)
        buffer.removeFirst(bodyStart + length)
        return (String(first[0]), String(first[1]), headers, body)
    }

    private func fill(_ fd: Int32, _ buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            // MSG_NOSIGNAL: a client that went away must not kill the process with SIGPIPE.
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    private func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
        return nil
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 307: return "Temporary Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 404: return "Not Found"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }

    /// A chat-completions response body with `content` as the assistant's text.
    public static func completionBody(_ content: String, promptTokens: Int = 10, completionTokens: Int = 20) -> String {
        "{\"id\":\"chatcmpl-test\",\"object\":\"chat.completion\",\"model\":\"test\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\(quote(content))},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":\(promptTokens),\"completion_tokens\":\(completionTokens),\"total_tokens\":\(promptTokens + completionTokens)}}"
    }

    /// A JSON string literal.
    static func quote(_ s: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [s], options: [.fragmentsAllowed])
        let arr = String(decoding: data, as: UTF8.self)
        return String(arr.dropFirst().dropLast())
    }
}

/// The loopback server could not start listening.
public struct LoopbackServerError: Error, CustomStringConvertible, Sendable {
    /// What failed.
    public let message: String

    init(_ message: String) { self.message = message }

    public var description: String { "loopback chat server: \(message)" }
}
