/// A command that ran but did not fully succeed (some jobs failed); exits with status 1
/// after its report was printed.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
