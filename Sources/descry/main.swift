import DescryStore
import Foundation

/// The commands, in the order `descry --help` lists them.
let commands: [Command.Type] = [
    InitCommand.self, ImportCommand.self, StatsCommand.self, SearchCommand.self, ExportCommand.self,
    AttributesCommand.self, QueryCommand.self, ReplCommand.self, ModelsCommand.self, ImagesCommand.self,
    EmbedCommand.self, SimilarityCommand.self, ClassifyCommand.self, EvaluateCommand.self, ScoreCommand.self,
    AuditCommand.self, ReportCommand.self, GenerateCommand.self, JudgeCommand.self, DemoCommand.self, BenchCommand.self,
]

let version = "0.1.0"

func mainHelp() -> String {
    let width = commands.map { $0.name.count }.max() ?? 0
    let list = commands.map { "  " + $0.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n")
    return """
    descry \(version) — a knowledge base of class descriptions for vision-language models

    Usage: descry [global options] <command> [options]

    Commands:
    \(list)

    \(globalOptionsHelp)

    Run `descry <command> --help` for a command's options.
    """
}

/// Splits global options out of the arguments, wherever they stand.
func splitGlobals(_ args: [String]) throws -> (Context, [String], help: Bool) {
    var rest: [String] = []
    var store: String?, data: String?, json = false, help = false
    var i = 0
    while i < args.count {
        let a = args[i]
        i += 1
        switch a {
        case "--store", "--data":
            guard i < args.count else { throw UsageError("option \(a) needs a value") }
            if a == "--store" { store = args[i] } else { data = args[i] }
            i += 1
        case _ where a.hasPrefix("--store="): store = String(a.dropFirst("--store=".count))
        case _ where a.hasPrefix("--data="): data = String(a.dropFirst("--data=".count))
        case "--json": json = true
        case "-h", "--help": help = true
        case "--": rest.append(contentsOf: args[(i - 1)...]); i = args.count
        default: rest.append(a)
        }
    }
    let env = ProcessInfo.processInfo.environment
    let path = store ?? env["DESCRY_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? "descry.db"
    return (Context(storePath: path, dataOverride: data, json: json), rest, help)
}

func run() -> Int32 {
    let args = Array(CommandLine.arguments.dropFirst())
    var commandName: String?
    do {
        let (context, rest, help) = try splitGlobals(args)
        if rest.first == "--version" || rest.first == "version" { Console.out("descry \(version)"); return 0 }
        guard let name = rest.first else {
            Console.out(mainHelp())
            return help ? 0 : 2
        }
        guard let command = commands.first(where: { $0.name == name }) else {
            let hint = Suggest.nearest(name, among: commands.map { $0.name }).map { " (did you mean '\($0)'?)" } ?? ""
            throw UsageError("unknown command '\(name)'\(hint); run `descry --help` for the list")
        }
        commandName = name
        if help { Console.out(command.help + "\n\n" + globalOptionsHelp); return 0 }
        try command.run(Array(rest.dropFirst()), context: context)
        return 0
    } catch let e as QueryFailure {
        Console.err(e.rendered)
        return 1
    } catch let e as UsageError {
        Console.err("descry: \(e.message)")
        if let c = e.command ?? commandName { Console.err("run `descry \(c) --help` for usage") }
        return 2
    } catch {
        Console.err("descry: error: \(error)")
        return 1
    }
}

exit(run())
