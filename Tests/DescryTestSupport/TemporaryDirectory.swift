import Foundation

/// Fresh folders for test files and stores.
public enum TemporaryDirectory {
    /// Creates a new, empty folder under the system temporary directory, named
    /// `<prefix>-<UUID>`, and returns its path.
    public static func make(prefix: String = "descry-tests") throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// ``make(prefix:)`` as a file URL.
    public static func makeURL(prefix: String = "descry-tests") throws -> URL {
        URL(fileURLWithPath: try make(prefix: prefix), isDirectory: true)
    }
}
