import Foundation

/// The built `descry` executable, for black-box tests that run it as a user would.
///
/// One policy for every test target: the suite is run by `swift test` or `make test`, which
/// build the executable first, so a missing binary is a test failure that says how to build
/// it, never a silent skip.
public enum DescryBinary {
    /// Where the executable must be: beside the test bundle, in `.build/<configuration>/`.
    public static var expectedPath: String {
        var dir = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        // On macOS the test binary sits inside `<name>.xctest/Contents/MacOS/`.
        while dir.path.hasSuffix(".xctest") || dir.lastPathComponent == "Contents" || dir.lastPathComponent == "MacOS" {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent("descry").path
    }

    /// The executable's path; throws ``TestSupportError/descryNotBuilt(_:)`` (a failure) when it is not there.
    public static func path() throws -> String {
        let p = expectedPath
        guard FileManager.default.isExecutableFile(atPath: p) else { throw TestSupportError.descryNotBuilt(p) }
        return p
    }
}
