import Foundation
import XCTest

/// Runs the built `descry` executable against a store in a fresh temporary folder, the way a
/// user would: `--store DIR/s.db --data Data`, working directory at the package root.
struct CLIHarness {
    /// What one run printed and how it ended.
    typealias Outcome = (status: Int32, out: String, err: String)

    /// The package root, found from this file's path.
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The `descry` executable beside the test bundle.
    static var binary: String {
        var dir = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path.hasSuffix(".xctest") || dir.lastPathComponent == "Contents" || dir.lastPathComponent == "MacOS" { dir.deleteLastPathComponent() }
        return dir.appendingPathComponent("descry").path
    }

    /// The temporary folder holding the store and any files a test writes.
    let directory: String

    /// A harness with a fresh folder; skips the test when `descry` is not built.
    init(name: String) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else { throw XCTSkip("descry is not built at \(Self.binary)") }
        directory = NSTemporaryDirectory() + "descry-\(name)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// A configured, not yet started `descry` process.
    func process(_ args: [String]) -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["--store", directory + "/s.db", "--data", Self.packageRoot + "/Data"] + args
        p.currentDirectoryURL = URL(fileURLWithPath: Self.packageRoot)
        return p
    }

    /// Runs `descry` to the end and returns its status and output.
    func run(_ args: [String]) throws -> Outcome {
        let p = process(args)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}
