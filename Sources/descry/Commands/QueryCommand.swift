import DescryQuery
import DescryStore
import Foundation

/// `descry query`: runs one DQL query and prints its rows.
enum QueryCommand: Command {
    static let name = "query"
    static let summary = "run a DQL query (see Docs/query-language.md)"
    static let help = """
    Usage: descry query [QUERY] [-f FILE] [--format table|json|csv|markdown] [--explain]

    Runs a Descry query language (DQL) query on the store, for example:
      descry query 'descriptions | where dataset = "pets" | group by attribute | aggregate n = count() | sort n desc | top 5'
      descry query -f Docs/examples/preferred-attributes.dql --format csv

      -f FILE      read the query from FILE ("-" for stdin)
      --format F   table (default), json, csv or markdown; --json is --format json
      --explain    print the compiled SQL and its bindings instead of running it
    Errors show the line, column and a caret under the fault; they exit with status 1.
    """

    static func run(_ args: [String], context: Context) throws {
        let a = try Arguments(args, command: name, options: ["-f", "--file", "--format"], flags: ["--explain"])
        let file = a.value("-f") ?? a.value("--file")
        let text: String
        if let file {
            guard a.positionals.isEmpty else { throw UsageError("give the query as an argument or with -f, not both", command: name) }
            if file == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                guard let data = FileManager.default.contents(atPath: file) else { throw UsageError("cannot read query file '\(file)'", command: name) }
                text = String(decoding: data, as: UTF8.self)
            }
        } else {
            guard a.positionals.count == 1 else {
                throw UsageError(a.positionals.isEmpty ? "missing the query" : "the query must be one argument; put it in single quotes", command: name)
            }
            text = a.positionals[0]
        }
        let format = try outputFormat(a.value("--format"), json: context.json)
        let engine = try openEngine(context)
        do {
            if a.flag("--explain") {
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

    static func outputFormat(_ value: String?, json: Bool) throws -> OutputFormat {
        guard let value else { return json ? .json : .table }
        guard let f = OutputFormat(rawValue: value.lowercased()) else {
            throw UsageError("unknown format '\(value)'; use \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))", command: name)
        }
        return f
    }
}
