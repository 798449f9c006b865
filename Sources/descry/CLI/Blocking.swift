import Dispatch

/// Runs async library code from the synchronous command entry points: the main thread waits
/// while the work runs on the concurrency pool.
enum Blocking {
    final class Box<T>: @unchecked Sendable { var result: Result<T, Error>? }

    static func run<T>(_ body: @escaping () async throws -> T) throws -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }
}
