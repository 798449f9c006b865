/// A subcommand of `descry`.
///
/// A command declares what it accepts once, in `signature`; `execute` parses the arguments
/// against it (every value checked), calls `validate` for the rules that span several options,
/// and only then `run`, which does the work.
protocol Command: Sendable {
    /// The words that select it after `descry` ("init", or "bench query" for a subcommand).
    static var name: String { get }
    /// One line for the command list.
    static var summary: String { get }
    /// The options, positionals and help prose.
    static var signature: Signature { get }
    /// Commands selected by a further word (`descry bench query`), each with its own signature.
    static var subcommands: [any Command.Type] { get }
    /// Rules across options, checked before any work (the default accepts everything).
    static func validate(_ arguments: ParsedArguments) throws
    /// Does the work.
    static func run(_ arguments: ParsedArguments, context: Context) async throws
}

extension Command {
    static var summary: String { "" }
    static var subcommands: [any Command.Type] { [] }
    static func validate(_ arguments: ParsedArguments) throws {}

    /// The top-level word, which usage errors name (`descry bench --help` covers the subcommands).
    static var topLevelName: String { String(name.split(separator: " ").first ?? "") }

    /// The full help text: the command's own, then each subcommand's.
    static var help: String {
        ([signature.help(path: name)] + subcommands.map { $0.help }).joined(separator: "\n\n")
    }

    /// Parses `args` (the words after the name), validates and runs, or hands over to the
    /// subcommand the first word selects.
    static func execute(_ args: [String], context: Context) async throws {
        if let first = args.first, let sub = subcommands.first(where: { $0.name == name + " " + first }) {
            try await sub.execute(Array(args.dropFirst()), context: context)
            return
        }
        let arguments = try parse(args)
        try validate(arguments)
        try await run(arguments, context: context)
    }

    /// Parses and validates without running: what `execute` does before `run`.
    static func parse(_ args: [String]) throws -> ParsedArguments {
        try signature.parse(args, command: topLevelName)
    }
}
