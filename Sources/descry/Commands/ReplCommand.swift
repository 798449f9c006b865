import DescryQuery
import DescryStore
import Foundation

/// `descry repl`: an interactive DQL session (also reads piped input).
enum ReplCommand: Command {
    static let name = "repl"
    static let summary = "interactive DQL: multi-line queries, :help, :sources, :fields, :sql, :history"
    static let signature = Signature(about: """
    Reads queries from stdin; a query runs at a blank line or at a line ending with ';'.
    Prompts are shown only on a terminal, so `descry repl < queries.dql` works too.
    \(ReplSession.help)
    """, options: [QueryCommand.format])

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let format = QueryCommand.outputFormat(a[QueryCommand.format], json: context.json)
        var session = ReplSession(engine: try QueryCommand.openEngine(context), format: format)
        let interactive = isatty(0) == 1
        if interactive { Console.err("descry \(version) — DQL on \(context.storePath). :help for help, :quit to leave.") }
        while !session.isFinished {
            if interactive { FileHandle.standardError.write(Data(session.prompt.utf8)) }
            guard let line = readLine(strippingNewline: true) else {
                emit(session.finish())
                if interactive { Console.err("") }
                break
            }
            emit(session.feed(line))
        }
    }

    static func emit(_ outputs: [ReplOutput]) {
        for o in outputs {
            switch o {
            case .result(let s): Console.out(s)
            case .message(let s): Console.err(s)
            }
        }
    }
}
