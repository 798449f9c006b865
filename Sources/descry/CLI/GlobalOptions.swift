import Foundation

/// The options every command accepts, wherever they stand on the command line.
enum GlobalOptions {
    static let store = Option<String?>.path("--store", help: "the store (default: $DESCRY_STORE, else ./descry.db)")
    static let data = Option<String?>.path("--data", "DIR", help: "Descry's Data folder (default: $DESCRY_DATA, else found beside the tool)")
    static let json = Option<Bool>.flag("--json", help: "machine-readable JSON on stdout")
    static let help = Option<Bool>.flag("--help", short: "-h", help: "this help")

    static let all: [any DeclaredOption] = [store, data, json, help]

    /// The "Global options" section every help text ends with.
    static var helpText: String { Signature.list("Global options", all.map(\.spec)) }

    /// Takes the global options out of `args` (up to a `--`), leaving the command's words in
    /// order. Their values are checked like any option's.
    static func split(_ args: [String], environment: [String: String]) throws -> (context: Context, rest: [String], help: Bool) {
        let specs = all.map(\.spec)
        var names: [String: OptionSpec] = [:]
        for s in specs { names[s.name] = s; if let short = s.short { names[short] = s } }
        var rest: [String] = []
        var given: [String] = []
        var i = 0
        while i < args.count {
            let a = args[i]
            i += 1
            if a == "--" { rest.append(contentsOf: args[(i - 1)...]); break }
            let name = a.hasPrefix("--") ? String(a.prefix { $0 != "=" }) : a
            guard let spec = names[name] else { rest.append(a); continue }
            given.append(a)
            if !spec.isFlag && name == a {
                guard i < args.count else { throw UsageError("option \(spec.name) needs a value") }
                given.append(args[i])
                i += 1
            }
        }
        let parsed: ParsedArguments
        do { parsed = try Signature(about: "", options: all).parse(given, command: "descry") } catch let e as UsageError {
            throw UsageError(e.message)   // not a command's: no "see descry <command> --help"
        }
        let path = parsed[store] ?? environment["DESCRY_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? "descry.db"
        return (Context(storePath: path, dataOverride: parsed[data], json: parsed[json]), rest, parsed[help])
    }
}
