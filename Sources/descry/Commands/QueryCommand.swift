import DescryQuery
import DescryStore
import Foundation

/// `descry query`: runs one DQL query and prints its rows.
enum QueryCommand: Command {
    static let name = "query"
    static let summary = "run a DQL query (see Docs/query-language.md)"
    static let file = Option<String?>.path("--file", "FILE", short: "-f", help: "read the query from FILE (\"-\" for stdin)")
    /// Shared with `repl`.
    static let format = Option<OutputFormat?>.choice(
        "--format", "F", lowercased: true, defaultText: "table", help: "the output; --json is --format json")
    static let explain = Option<Bool>.flag("--explain", help: "print the compiled SQL and its bindings instead of running it")

    static let signature = Signature(about: """
    Runs a Descry query language (DQL) query on the store, for example:
      descry query 'descriptions | where dataset = "pets" | group by attribute | aggregate n = count() | sort n desc | top 5'
      descry query -f Docs/examples/preferred-attributes.dql --format csv

    Errors show the line, column and a caret under the fault; they exit with status 1.
    """, positionals: [.optional("query")], options: [file, format, explain],
    extraArgumentHint: "the query must be one argument; put it in single quotes")

    static func validate(_ a: ParsedArguments) throws {
        if a[file] != nil {
            guard a.positionals.isEmpty else { throw a.usageError("give the query as an argument or with -f, not both") }
        } else if a.positionals.isEmpty {
            throw a.usageError("missing the query")
        }
    }

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let text: String
        if let file = a[Self.file] {
            if file == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                guard let data = FileManager.default.contents(atPath: file) else { throw UsageError("cannot read query file '\(file)'", command: name) }
                text = String(decoding: data, as: UTF8.self)
            }
        } else {
            text = a.positionals[0]
        }
        let format = outputFormat(a[Self.format], json: context.json)
        let engine = try openEngine(context)
        do {
            if a[explain] {
                Console.out(try engine.explain(text))
            } else {
                Console.out(ResultFormatter.format(try engine.run(text), as: format))
            }
        } catch let e as QueryError {
            throw QueryFailure(rendered: e.rendered())
        }
    }

    /// Opens the store writable when it can, so a stale score rollup can be rebuilt before a
    /// query that reads it (queries themselves always run read-only); else read-only.
    static func openEngine(_ context: Context) throws -> QueryEngine {
        let store: Store
        var writable = true
        do { store = try context.openStore() } catch StoreError.readOnly {
            store = try context.openStore(readOnly: true)
            writable = false
        }
        let engine = try QueryEngine(store: store)
        engine.maintainRollup = writable
        return engine
    }

    /// `--format`, else JSON under `--json`, else a table.
    static func outputFormat(_ value: OutputFormat?, json: Bool) -> OutputFormat {
        value ?? (json ? .json : .table)
    }
}
