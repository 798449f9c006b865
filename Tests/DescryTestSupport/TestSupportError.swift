/// Failures of the shared test helpers. Thrown from a test, XCTest records them as failures
/// with this text.
public enum TestSupportError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The `descry` executable is not at the path the tests run it from.
    case descryNotBuilt(String)
    /// A subprocess ran past its time limit and was killed.
    case timedOut(command: String, seconds: Double)
    /// A subprocess could not be started.
    case cannotStart(command: String, reason: String)

    public var description: String {
        switch self {
        case .descryNotBuilt(let path):
            return "the descry executable is not built at \(path); build it with `swift build --product descry` (`swift test` and `make test` build it before the tests)"
        case .timedOut(let command, let seconds):
            return "\(command) did not finish within \(Int(seconds)) s and was killed"
        case .cannotStart(let command, let reason):
            return "cannot start \(command): \(reason)"
        }
    }
}
