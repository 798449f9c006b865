import DescryStore
import Foundation

/// The tool's version, as `descry --version` prints it.
let version = "0.1.0"

/// The command line: which command runs, the top-level help and the exit status.
enum Entry {
    /// The commands, in the order `descry --help` lists them.
    static let commands: [any Command.Type] = [
        InitCommand.self, ImportCommand.self, StatsCommand.self, SearchCommand.self, ExportCommand.self, MergeCommand.self,
        AttributesCommand.self, ClassesCommand.self, QueryCommand.self, ReplCommand.self, ModelsCommand.self, ImagesCommand.self,
        EmbedCommand.self, SimilarityCommand.self, ClassifyCommand.self, EvaluateCommand.self, ScoreCommand.self,
        AuditCommand.self, ReportCommand.self, GenerateCommand.self, JudgeCommand.self, DemoCommand.self, BenchCommand.self,
        PathsCommand.self,
    ]

    /// `descry --help`.
    static var mainHelp: String {
        let width = commands.map { $0.name.count }.max() ?? 0
        let list = commands.map { "  " + $0.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n")
        return """
        descry \(version) — a knowledge base of class descriptions for vision-language models

        Usage: descry [global options] <command> [options]

        Commands:
        \(list)

        \(GlobalOptions.helpText)

        Run `descry <command> --help` for a command's options.
        """
    }

    /// `descry <command> --help`: the command's help and the global options.
    static func help(for command: any Command.Type) -> String {
        command.help + "\n\n" + GlobalOptions.helpText
    }

    /// The command `name` selects, or a usage error with the nearest name.
    static func command(named name: String) throws -> any Command.Type {
        guard let command = commands.first(where: { $0.name == name }) else {
            let hint = EditDistance.nearest(name, among: commands.map { $0.name }).map { " (did you mean '\($0)'?)" } ?? ""
            throw UsageError("unknown command '\(name)'\(hint); run `descry --help` for the list")
        }
        return command
    }

    /// The longest error message printed. Messages quote excerpts of their input
    /// (`Excerpt.quote`); this cap is the backstop for one that does not.
    static let maximumMessageLength = 2000

    static func bounded(_ message: String) -> String {
        guard message.count > maximumMessageLength else { return message }
        return String(message.prefix(maximumMessageLength)) + "… (message cut: \(message.count - maximumMessageLength) more characters)"
    }

    /// Runs the command line and returns the exit status: 0 done, 1 a user error (or some
    /// jobs failed), 2 a usage error.
    static func main(_ args: [String], environment: [String: String] = ProcessInfo.processInfo.environment) async -> Int32 {
        var commandName: String?
        do {
            let (context, rest, help) = try GlobalOptions.split(args, environment: environment)
            if rest.first == "--version" || rest.first == "version" { Console.out("descry \(version)"); return 0 }
            guard let name = rest.first else {
                Console.out(mainHelp)
                return help ? 0 : 2
            }
            let command = try command(named: name)
            commandName = name
            if help { Console.out(self.help(for: command)); return 0 }
            try await command.execute(Array(rest.dropFirst()), context: context)
            return 0
        } catch let e as QueryFailure {
            Console.err(e.rendered)
            return 1
        } catch let e as UsageError {
            Console.err(Self.bounded("descry: \(e.message)"))
            if let c = e.command ?? commandName { Console.err("run `descry \(c) --help` for usage") }
            return 2
        } catch {
            Console.err(Self.bounded("descry: error: \(error)"))
            return 1
        }
    }
}
