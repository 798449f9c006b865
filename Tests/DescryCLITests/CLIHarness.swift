import DescryTestSupport
import Foundation
import XCTest

/// Runs the built `descry` executable against a store in a fresh temporary folder, the way a
/// user would: `--store DIR/s.db --data Data`, working directory at the package root. A missing
/// executable fails the test (see `DescryBinary`): `swift test` and `make test` build it.
struct CLIHarness {
    /// What one run printed and how it ended.
    typealias Outcome = (status: Int32, out: String, err: String)

    /// The package root.
    static var packageRoot: String { TestPackage.root }

    /// Where the `descry` executable is expected, beside the test bundle.
    static var binary: String { DescryBinary.expectedPath }

    /// The temporary folder holding the store and any files a test writes.
    let directory: String

    /// The executable, found when the harness was made.
    let executable: String

    /// A harness with a fresh folder; throws (a test failure) when `descry` is not built.
    init(name: String) throws {
        executable = try DescryBinary.path()
        directory = try TemporaryDirectory.make(prefix: "descry-\(name)")
    }

    /// The arguments every run gets before its own: this harness's store and the shipped data.
    var commonArguments: [String] { ["--store", directory + "/s.db", "--data", TestPackage.dataDirectory] }

    /// A configured, not yet started `descry` process.
    func process(_ args: [String]) -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = commonArguments + args
        p.currentDirectoryURL = URL(fileURLWithPath: TestPackage.root)
        return p
    }

    /// Runs `descry` to the end (with `input` on its stdin, if given) and returns its status and
    /// output; a run past `timeout` seconds is killed and fails the test.
    func run(_ args: [String], input: String? = nil, timeout: Double = 300) throws -> Outcome {
        var p = Subprocess(executable, commonArguments + args)
        p.input = input
        let r = try p.run(timeout: timeout)
        return (r.status, r.stdout, r.stderr)
    }
}
