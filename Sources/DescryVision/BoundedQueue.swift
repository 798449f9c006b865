import Foundation

/// A blocking first-in first-out queue with a fixed capacity: `push` waits while it is full,
/// `pop` waits while it is empty. It bounds how far image preparation runs ahead of inference.
final class BoundedQueue<Element>: @unchecked Sendable {
    private var items: [Element] = []
    private let capacity: Int
    private let condition = NSCondition()
    private var closed = false

    /// A queue holding at most `capacity` elements.
    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Adds an element, waiting for room. Returns false (dropping it) once the queue is closed.
    @discardableResult
    func push(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !closed { condition.wait() }
        if closed { return false }
        items.append(element)
        condition.broadcast()
        return true
    }

    /// Removes the oldest element, waiting for one; nil once closed and empty.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        if items.isEmpty { return nil }
        let first = items.removeFirst()
        condition.broadcast()
        return first
    }

    /// Wakes every waiter; later pushes are dropped, pops drain what is left then return nil.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
