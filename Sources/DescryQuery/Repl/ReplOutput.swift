/// One piece of REPL output; the CLI writes `.result` to stdout and `.message` to stderr.
public enum ReplOutput: Sendable, Equatable {
    /// A result, SQL or listing.
    case result(String)
    /// An error or notice.
    case message(String)
}
