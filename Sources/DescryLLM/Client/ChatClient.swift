import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends chat-completions requests over HTTP with URLSession. Retries 429, 5xx, timeouts,
/// dropped connections and unreadable 200 answers with exponential backoff and jitter,
/// honouring `Retry-After`; stops at once on 401/403/404, where retrying cannot help.
// @unchecked Sendable: immutable after init; URLSession and HTTPTransfers are thread-safe.
public final class ChatClient: @unchecked Sendable {
    /// Sleeps the given seconds; injectable so tests can see the delays without waiting them.
    public typealias Sleeper = @Sendable (Double) async throws -> Void

    /// The configuration (its key is used only for the Authorization header).
    public let configuration: LLMConfiguration
    private let session: URLSession
    private let transfers = HTTPTransfers()
    private let sleeper: Sleeper
    private let endpoint: URL

    /// Creates a client. `sleeper` defaults to `Task.sleep`.
    public init(configuration: LLMConfiguration, sleeper: Sleeper? = nil) throws {
        try configuration.validate()
        guard let url = URL(string: configuration.completionsURL) else {
            throw LLMError.configuration("cannot form the endpoint URL from '\(configuration.baseURL)'")
        }
        self.configuration = configuration
        self.endpoint = url
        let sc = URLSessionConfiguration.ephemeral
        // Per-read timeouts; the whole-request deadline is HTTPTransfers'.
        sc.timeoutIntervalForRequest = configuration.timeout
        sc.timeoutIntervalForResource = configuration.timeout * 2
        sc.httpMaximumConnectionsPerHost = configuration.concurrency
        sc.urlCache = nil
        sc.requestCachePolicy = .reloadIgnoringLocalCacheData
        self.session = URLSession(configuration: sc, delegate: transfers, delegateQueue: nil)
        self.sleeper = sleeper ?? { s in try await Task.sleep(nanoseconds: UInt64(max(0, s) * 1e9)) }
    }

    deinit { session.invalidateAndCancel() }

    /// Sends a request, retrying what is worth retrying. Throws `LLMError`.
    public func complete(_ request: ChatRequest) async throws -> ChatCompletion {
        let body = Data(request.body.utf8)
        var last = ""
        for attempt in 1...configuration.maxAttempts {
            try Task.checkCancellation()
            let outcome = await send(body)
            let delay: Double
            switch outcome {
            case .success(var completion):
                completion.attempts = attempt
                return completion
            case .fatal(let error):
                throw error
            case .retry(let reason, let retryAfter):
                last = reason
                if let ra = retryAfter { delay = min(ra, configuration.maxRetryAfter) } else { delay = backoff(attempt: attempt) }
            }
            if attempt < configuration.maxAttempts { try await sleeper(delay) }
        }
        throw LLMError.retriesExhausted(attempts: configuration.maxAttempts, last: last)
    }

    /// Full-jitter-style delay: between half and all of base·2^(attempt−1), capped.
    func backoff(attempt: Int) -> Double {
        let raw = min(configuration.backoffMax, configuration.backoffBase * pow(2, Double(attempt - 1)))
        return raw * Double.random(in: 0.5...1.0)
    }

    enum Outcome {
        case success(ChatCompletion)
        case retry(String, retryAfter: Double?)
        case fatal(LLMError)
    }

    private func send(_ body: Data) async -> Outcome {
        var r = URLRequest(url: endpoint)
        r.httpMethod = "POST"
        r.timeoutInterval = configuration.timeout
        r.setValue("application/json", forHTTPHeaderField: "Content-Type")
        r.setValue("application/json", forHTTPHeaderField: "Accept")
        if let key = configuration.apiKey { r.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        r.httpBody = body
        let data: Data, response: URLResponse
        do {
            let (raw, resp) = try await transfers.run(r, on: session, deadline: configuration.timeout,
                                                      limit: configuration.maxResponseBytes)
            // Scrubbed at the source: a server that echoes the key must not get it into
            // messages, the request cache or the descriptions.
            (data, response) = (Redaction.scrub(raw, secret: configuration.apiKey), resp)
        } catch let stop as TransferStop {
            switch stop {
            case .deadline(let seconds):
                return .retry("no complete answer within the \(Self.seconds(seconds)) deadline", retryAfter: nil)
            case .tooLarge(let limit):
                return .fatal(.responseTooLarge(limit: limit))
            case .crossOriginRedirect(let to):
                return .fatal(.redirectRefused(from: configuration.completionsURL, to: to))
            }
        } catch let e as URLError {
            switch e.code {
            case .badURL, .unsupportedURL, .cannotFindHost, .dnsLookupFailed:
                return .fatal(.configuration("cannot reach \(configuration.baseURL): \(e.localizedDescription)"))
            case .cancelled:
                return .fatal(.retriesExhausted(attempts: 1, last: "cancelled"))
            case .timedOut:
                return .retry("no data for \(Self.seconds(configuration.timeout))", retryAfter: nil)
            default:
                return .retry("connection failed (\(scrub(e.localizedDescription)))", retryAfter: nil)
            }
        } catch {
            return .retry("connection failed (\(scrub("\(error)")))", retryAfter: nil)
        }
        guard let http = response as? HTTPURLResponse else { return .retry("not an HTTP response", retryAfter: nil) }
        let status = http.statusCode
        let text = scrub(Self.serverMessage(data))
        switch status {
        case 200..<300:
            guard let c = ChatCompletion.decode(data) else {
                return .retry("HTTP \(status) with a body that is not a chat completion: \(Redaction.excerpt(text, limit: 120))", retryAfter: nil)
            }
            return .success(c)
        case 401, 403:
            return .fatal(.unauthorized(url: configuration.completionsURL, status: status, message: text))
        case 404:
            return .fatal(.notFound(url: configuration.completionsURL, message: text))
        case 408, 409, 425, 429, 500...599:
            return .retry("HTTP \(status): \(text)", retryAfter: Self.retryAfter(http))
        default:
            return .fatal(.http(status: status, message: text))
        }
    }

    private func scrub(_ s: String) -> String { Redaction.scrub(s, secret: configuration.apiKey) }

    /// The server's error message (`{"error": {"message": …}}`), else the body's start.
    static func serverMessage(_ data: Data) -> String {
        if let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            if let e = obj["error"] as? [String: Any], let m = e["message"] as? String { return Redaction.excerpt(m) }
            if let m = obj["error"] as? String { return Redaction.excerpt(m) }
            if let m = obj["message"] as? String { return Redaction.excerpt(m) }
        }
        let s = String(decoding: data, as: UTF8.self)
        return s.isEmpty ? "(empty body)" : Redaction.excerpt(s)
    }

    static func seconds(_ s: Double) -> String { s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s) }

    /// `Retry-After` in seconds: a number of seconds or an HTTP date.
    static func retryAfter(_ r: HTTPURLResponse) -> Double? {
        guard let v = r.value(forHTTPHeaderField: "Retry-After")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let s = Double(v), s >= 0 { return s }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let d = f.date(from: v) { return max(0, d.timeIntervalSinceNow) }
        return nil
    }
}
