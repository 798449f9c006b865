import DescryLLM
import DescryStore

/// `descry judge`: an LLM's verdict on each description, stored in `audits`.
enum JudgeCommand: Command {
    static let name = "judge"
    static let summary = "LLM verdict per description: informative? which attribute? visible? (audits)"
    static let help = """
    Usage: descry judge --dataset D [--limit N] [--unjudged]

    Asks the LLM, for each class and differential description of the dataset, whether it adds
    knowledge about its class beyond the name, which attribute it speaks of and whether that
    attribute is visible in a photo (prompt Data/prompts/judge.json). Verdicts go to `audits`
    with method `llm-judge`: visual, non-visual or spurious; the rationale keeps the attribute,
    the model and the prompt id.
      --limit N     judge at most N descriptions (by id)
      --unjudged    only descriptions without an llm-judge verdict

    """ + LLMOptions.help

    static func run(_ args: [String], context: Context) throws {
        let a = try Arguments(args, command: name, options: LLMOptions.valued.union(["--dataset", "--limit"]), flags: LLMOptions.flags.union(["--unjudged"]))
        _ = try a.positionals([])
        guard let dataset = a.value("--dataset") else { throw UsageError("judge needs --dataset NAME", command: name) }
        let llm = LLMOptions(arguments: a, context: context)
        let c = try llm.configuration()
        let store = try context.openStore()
        let judge = try DescriptionJudge(store: store, dataset: dataset, configuration: c, prompt: try llm.prompt("judge"))
        let limit = a.value("--limit") == nil ? nil : try a.int("--limit", default: 0)
        let items = try judge.items(unjudged: a.flag("--unjudged"), limit: limit)
        if items.isEmpty {
            let msg = "no descriptions to judge in '\(dataset)'"
            if context.json { try Console.json(["message": msg]) } else { Console.out(msg) }
            return
        }
        try llm.execute(judge.jobs(items), store: store, configuration: c, what: "judge", apply: judge.writer())
    }
}
