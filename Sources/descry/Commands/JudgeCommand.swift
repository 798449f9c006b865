import DescryLLM
import DescryStore

/// `descry judge`: an LLM's verdict on each description, stored in `audits`.
enum JudgeCommand: Command {
    static let name = "judge"
    static let summary = "LLM verdict per description: informative? which attribute? visible? (audits)"
    static let dataset = Option<String>.required("--dataset", "D", help: "the dataset whose descriptions to judge")
    static let limit = Option<Int?>.int("--limit", range: 1...Int.max, defaultText: "all", help: "judge at most N descriptions, by id")
    static let unjudged = Option<Bool>.flag("--unjudged", help: "only descriptions without an llm-judge verdict")

    static let signature = Signature(about: """
    Asks the LLM, for each class and differential description of the dataset, whether it adds
    knowledge about its class beyond the name, which attribute it speaks of and whether that
    attribute is visible in a photo (prompt Data/prompts/judge.json). Verdicts go to `audits`
    with method `llm-judge`: visual, non-visual or spurious; the rationale keeps the attribute,
    the model and the prompt id.
    """, options: [dataset, limit, unjudged], groups: [LLMOptions.group])

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let dataset = a[Self.dataset]
        let llm = LLMOptions(arguments: a, context: context)
        let c = try llm.configuration()
        let store = try context.openStore()
        let judge = try DescriptionJudge(store: store, dataset: dataset, configuration: c, prompt: try llm.prompt("judge"))
        let limit = a[Self.limit]
        let items = try judge.items(unjudged: a[unjudged], limit: limit)
        if items.isEmpty {
            let msg = "no descriptions to judge in '\(dataset)'"
            if context.json { try Console.json(["message": msg]) } else { Console.out(msg) }
            return
        }
        try await llm.execute(judge.jobs(items), store: store, configuration: c, what: "judge", apply: judge.writer())
    }
}
