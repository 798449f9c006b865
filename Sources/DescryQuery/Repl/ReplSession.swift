import DescryStore
import Foundation
/// The state of an interactive session, fed one input line at a time. It never reads or
/// prints itself (the CLI does), so it works the same on a terminal, a pipe and in tests.
///
/// A query may span lines; it runs at a blank line or when a line ends with `;`. Lines that
/// start with `:` are commands (`:help`).
public struct ReplSession {
    /// The engine queries run on.
    public let engine: QueryEngine
    /// The output format of results.
    public private(set) var format: OutputFormat
    /// Queries run so far, oldest first.
    public private(set) var history: [String] = []
    /// True after `:quit`.
    public private(set) var isFinished = false
    private var pending: [String] = []

    /// Starts a session.
    public init(engine: QueryEngine, format: OutputFormat = .table) {
        self.engine = engine
        self.format = format
    }

    /// The prompt to show before the next line.
    public var prompt: String { pending.isEmpty ? "dql> " : " ..> " }

    /// The help text of `:help`.
    public static let help = """
    Type a query; it runs at a blank line or at a line ending with ';'. For example:
      descriptions | where dataset = "pets" | group by attribute | aggregate n = count() | sort n desc | top 5
    Commands:
      :help              this text
      :sources           the sources a query can start from
      :fields SOURCE     the fields of a source, with types
      :sql [QUERY]       the compiled SQL and bindings of QUERY (default: the last query)
      :history           queries run in this session; :run N runs number N again
      :format FORMAT     table, json, csv or markdown
      :quit              leave (end of input works too)
    """

    /// Feeds one line (without its newline) and returns what to show.
    public mutating func feed(_ line: String) -> [ReplOutput] {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if pending.isEmpty && trimmed.hasPrefix(":") { return command(trimmed) }
        if trimmed.isEmpty {
            return pending.isEmpty ? [] : runPending()
        }
        pending.append(line)
        if trimmed.hasSuffix(";") { return runPending() }
        return []
    }

    /// End of input: runs a query left without its blank line.
    public mutating func finish() -> [ReplOutput] {
        isFinished = true
        return pending.isEmpty ? [] : runPending()
    }

    private mutating func runPending() -> [ReplOutput] {
        let text = pending.joined(separator: "\n")
        pending = []
        return run(text)
    }

    private mutating func run(_ text: String) -> [ReplOutput] {
        history.append(text)
        do {
            let result = try engine.run(text)
            return [.result(ResultFormatter.format(result, as: format))]
        } catch let e as QueryError {
            return [.message(e.rendered())]
        } catch {
            return [.message("error: \(error)")]
        }
    }

    private mutating func command(_ line: String) -> [ReplOutput] {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let name = parts[0].lowercased()
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch name {
        case ":help", ":h", ":?":
            return [.result(Self.help)]
        case ":quit", ":q", ":exit":
            isFinished = true
            return []
        case ":sources":
            let width = engine.catalog.sources.map(\.name.count).max() ?? 0
            return [.result(engine.catalog.sources.map { $0.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))]
        case ":fields":
            guard let source = engine.catalog.source(argument) else {
                let names = engine.catalog.sources.map(\.name)
                let hint = EditDistance.nearest(argument, among: names).map { " (did you mean '\($0)'?)" } ?? ""
                return [.message(argument.isEmpty ? "usage: :fields SOURCE (one of \(names.joined(separator: ", ")))" : "unknown source '\(argument)'\(hint)")]
            }
            let width = source.fields.map(\.name.count).max() ?? 0
            var lines = ["\(source.name): \(source.grain)"]
            for f in source.fields {
                lines.append("  " + f.name.padding(toLength: width + 2, withPad: " ", startingAt: 0)
                             + f.type.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) + f.summary)
            }
            return [.result(lines.joined(separator: "\n"))]
        case ":sql", ":explain":
            let text = argument.isEmpty ? history.last : argument
            guard let text else { return [.message("no query yet; type one, or :sql QUERY")] }
            do { return [.result(try engine.explain(text))] } catch let e as QueryError { return [.message(e.rendered())] } catch { return [.message("error: \(error)")] }
        case ":history":
            if history.isEmpty { return [.result("(no queries yet)")] }
            return [.result(history.enumerated().map { "\($0 + 1)  " + $1.replacingOccurrences(of: "\n", with: "\n   ") }.joined(separator: "\n"))]
        case ":run":
            guard let n = Int(argument), n >= 1, n <= history.count else {
                return [.message("usage: :run N, with N from :history (1…\(history.count))")]
            }
            return run(history[n - 1])
        case ":format":
            guard let f = OutputFormat(rawValue: argument.lowercased()) else {
                return [.message("formats: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")]
            }
            format = f
            return []
        default:
            let known = [":help", ":sources", ":fields", ":sql", ":history", ":run", ":format", ":quit"]
            let hint = EditDistance.nearest(name, among: known).map { " (did you mean \($0)?)" } ?? ""
            return [.message("unknown command \(name)\(hint); :help lists them")]
        }
    }
}
