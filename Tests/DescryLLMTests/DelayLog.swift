import Foundation

/// Backoff delays a client asked for, in order.
// @unchecked Sendable: its one mutable field is guarded by a lock.
final class DelayLog: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double] = []
    func append(_ v: Double) { lock.lock(); values.append(v); lock.unlock() }
    var all: [Double] { lock.lock(); defer { lock.unlock() }; return values }
}
