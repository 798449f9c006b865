import Foundation

/// Fresh folders for test files and stores, removed when the test process exits (a full
/// `swift test` makes several hundred; left behind they filled /tmp by gigabytes a day).
/// `DESCRY_KEEP_TEST_FILES=1` keeps them, to look at a failed test's files.
public enum TemporaryDirectory {
    /// Creates a new, empty folder under the system temporary directory, named
    /// `<prefix>-<UUID>`, and returns its path.
    public static func make(prefix: String = "descry-tests") throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        removeAtExit(path)
        return path
    }

    /// ``make(prefix:)`` as a file URL.
    public static func makeURL(prefix: String = "descry-tests") throws -> URL {
        URL(fileURLWithPath: try make(prefix: prefix), isDirectory: true)
    }

    /// Registers a file or folder to delete when the process exits.
    public static func removeAtExit(_ path: String) {
        Registry.shared.add(path)
    }

    /// The paths to delete, and the one `atexit` hook that deletes them.
    private final class Registry: @unchecked Sendable {
        static let shared = Registry()
        private let lock = NSLock()
        private var paths: [String] = []
        private var hooked = false

        func add(_ path: String) {
            lock.lock(); defer { lock.unlock() }
            paths.append(path)
            if !hooked {
                hooked = true
                atexit { Registry.shared.removeAll() }
            }
        }

        func removeAll() {
            guard ProcessInfo.processInfo.environment["DESCRY_KEEP_TEST_FILES"] == nil else { return }
            lock.lock(); let all = paths; paths = []; lock.unlock()
            for path in all { try? FileManager.default.removeItem(atPath: path) }
        }
    }
}
