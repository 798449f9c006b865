import Foundation
import XCTest

/// Paths and helpers shared by the DescryVision tests.
enum TestSupport {
    /// The package root (three levels above this file).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The committed fixtures folder.
    static let fixtures = packageRoot.appendingPathComponent("Tests/DescryVisionTests/Fixtures")

    /// A committed fixture file.
    static func fixture(_ name: String) -> URL { fixtures.appendingPathComponent(name) }

    /// The shared corpora folder (`../shared/corpora/` from the package root), or a skip.
    static func sharedCorpus(_ sub: String) throws -> URL {
        let url = packageRoot.appendingPathComponent("../shared/corpora").appendingPathComponent(sub).standardized
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("shared corpora not found at \(url.path); this test needs ../shared/corpora")
        }
        return url
    }

    /// open_clip's vocabulary as `make deps` installs it, or a skip.
    static func openCLIPVocabulary() throws -> URL {
        let url = packageRoot.appendingPathComponent(".deps/clip/bpe_simple_vocab_16e6.txt.gz")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("CLIP vocabulary not found at \(url.path); run `make deps`")
        }
        return url
    }

    /// Runs a program, returning its exit status and combined output.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.currentDirectoryURL = packageRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("descry-vision-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
