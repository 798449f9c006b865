import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Why a transfer was stopped by the client rather than finished by the server.
enum TransferStop: Error, Equatable {
    /// The whole request (connect, headers and body) ran past its deadline.
    case deadline(seconds: Double)
    /// The body (after content decoding, so a gzip bomb counts inflated) passed the cap.
    case tooLarge(limit: Int)
    /// The server redirected to another origin; the request was not sent there.
    case crossOriginRedirect(to: String)
}

/// Runs data tasks with three bounds URLSession does not give on its own: a deadline for the
/// whole request (its timeouts are per read, so a server sending one byte a second never
/// trips them), a cap on the body's bytes, and no redirects across origins (the Authorization
/// header would follow them).
// @unchecked Sendable: every mutable field is guarded by `lock`; URLSession calls in on its own queue.
final class HTTPTransfers: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private final class Transfer {
        var data = Data()
        var stop: TransferStop?
        let limit: Int
        let continuation: CheckedContinuation<(Data, URLResponse), Error>
        var finished = false
        init(limit: Int, continuation: CheckedContinuation<(Data, URLResponse), Error>) {
            self.limit = limit
            self.continuation = continuation
        }
    }

    private let lock = NSLock()
    private var transfers: [Int: Transfer] = [:]
    private var tasks: [Int: URLSessionDataTask] = [:]

    /// Starts `request` on `session` (whose delegate must be `self`) and waits for its body.
    func run(_ request: URLRequest, on session: URLSession, deadline seconds: Double, limit: Int) async throws -> (Data, URLResponse) {
        let holder = TaskHolder()
        // The deadline's timer goes with the transfer, however it ends.
        defer { holder.timer?.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (k: CheckedContinuation<(Data, URLResponse), Error>) in
                let task = session.dataTask(with: request)
                let id = task.taskIdentifier
                lock.withLock {
                    transfers[id] = Transfer(limit: limit, continuation: k)
                    tasks[id] = task
                }
                holder.set(task)
                let timer = DispatchWorkItem { [weak self] in self?.stop(id, .deadline(seconds: seconds)) }
                DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: timer)
                holder.timer = timer
                task.resume()
            }
        } onCancel: { holder.cancel() }
    }

    private func stop(_ id: Int, _ reason: TransferStop) {
        let task: URLSessionDataTask? = lock.withLock {
            guard let t = transfers[id], !t.finished, t.stop == nil else { return nil }
            t.stop = reason
            return tasks[id]
        }
        task?.cancel()
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let over: Bool = lock.withLock {
            guard let t = transfers[dataTask.taskIdentifier], t.stop == nil else { return false }
            if t.data.count + data.count > t.limit { return true }
            t.data.append(data)
            return false
        }
        if over, let limit = lock.withLock({ transfers[dataTask.taskIdentifier]?.limit }) {
            stop(dataTask.taskIdentifier, .tooLarge(limit: limit))
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        if let from = task.originalRequest?.url, let to = request.url, Self.sameOrigin(from, to) {
            completionHandler(request)
            return
        }
        lock.withLock { transfers[task.taskIdentifier]?.stop = .crossOriginRedirect(to: request.url.map(Self.origin) ?? "?") }
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        let t: Transfer? = lock.withLock {
            let t = transfers.removeValue(forKey: task.taskIdentifier)
            tasks.removeValue(forKey: task.taskIdentifier)
            t?.finished = true
            return t
        }
        guard let t else { return }
        if let stop = t.stop { t.continuation.resume(throwing: stop); return }
        if let error { t.continuation.resume(throwing: error); return }
        guard let response = task.response else { t.continuation.resume(throwing: URLError(.badServerResponse)); return }
        t.continuation.resume(returning: (t.data, response))
    }

    /// Scheme, host and port: what the Authorization header may be sent to.
    static func origin(_ u: URL) -> String {
        let scheme = (u.scheme ?? "").lowercased()
        let port = u.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : -1)
        return "\(scheme)://\((u.host ?? "").lowercased()):\(port)"
    }

    static func sameOrigin(_ a: URL, _ b: URL) -> Bool { origin(a) == origin(b) }
}

/// Holds a data task and its deadline timer so a cancelled Swift task can cancel both.
// @unchecked Sendable: every mutable field is guarded by `lock`.
private final class TaskHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionDataTask?
    private var cancelled = false
    private var _timer: DispatchWorkItem?
    var timer: DispatchWorkItem? {
        get { lock.withLock { _timer } }
        set { lock.withLock { _timer = newValue } }
    }
    func set(_ t: URLSessionDataTask) {
        let cancelNow = lock.withLock { task = t; return cancelled }
        if cancelNow { t.cancel() }
    }
    func cancel() {
        let t = lock.withLock { cancelled = true; return task }
        t?.cancel()
        timer?.cancel()
    }
}
