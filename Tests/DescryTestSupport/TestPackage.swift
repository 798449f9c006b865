import Foundation
import XCTest

/// Where the package's files are, for tests that read committed data or fixtures by path.
///
/// Found from this file's own path (`#filePath`), so it works from any working directory and
/// for every test target alike.
public enum TestPackage {
    /// The package root: the folder holding Package.swift (this file is Tests/DescryTestSupport/TestPackage.swift).
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The package root as a file URL.
    public static var rootURL: URL { URL(fileURLWithPath: root, isDirectory: true) }

    /// The shipped data folder (`Data/`: taxonomy, prompts, demo corpus, demo model).
    public static var dataDirectory: String { root + "/Data" }

    /// A path inside the package, from a path relative to its root ("Tests/DescryVisionTests/Fixtures").
    public static func path(_ relative: String) -> String {
        relative.isEmpty ? root : root + "/" + relative
    }

    /// The downloads `make deps` puts in `.deps/` (ONNX Runtime, the CLIP vocabulary), or a
    /// skip naming the file and how to get it.
    public static func dependency(_ relative: String) throws -> String {
        let p = path(".deps/" + relative)
        guard FileManager.default.fileExists(atPath: p) else { throw XCTSkip("\(p) is missing; run `make deps`") }
        return p
    }
}
