import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Holds a data task so a cancelled Swift task can cancel it.
final class TaskBox: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionDataTask?
    private var cancelled = false
    func set(_ t: URLSessionDataTask) {
        lock.lock(); defer { lock.unlock() }
        task = t
        if cancelled { t.cancel() }
    }
    func cancel() {
        lock.lock(); defer { lock.unlock() }
        cancelled = true
        task?.cancel()
    }
}
