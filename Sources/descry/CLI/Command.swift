/// A subcommand of `descry`.
protocol Command {
    /// The word that selects it.
    static var name: String { get }
    /// One line for the command list.
    static var summary: String { get }
    /// The full help text.
    static var help: String { get }
    /// Runs it with the arguments after its name.
    static func run(_ args: [String], context: Context) throws
}

/// Options every command accepts, described once for the help texts.
let globalOptionsHelp = """
Global options:
  --store PATH   the store (default: $DESCRY_STORE, else ./descry.db)
  --data DIR     Descry's Data folder (default: $DESCRY_DATA, else found beside the tool)
  --json         machine-readable JSON on stdout
  -h, --help     this help
"""
