import DescryLLM
import DescryStore

/// `descry export`: writes a dataset back out in the formats `import` reads.
enum ExportCommand: Command {
    static let name = "export"
    static let summary = "export a dataset: fudd, descriptions, jsonl, rewards"
    static let help = """
    Usage: descry export <format> <path> --dataset NAME [--vlm NAME]

    Formats:
      fudd          <path> is a folder; writes <dataset>_class_names.json and
                    <dataset>_prompt_pairs.json (pairs of --vlm, or the VLM-independent ones)
      descriptions  <path> is a JSON file of per-class descriptions
      jsonl         <path> is a JSON Lines file with every description and pair slot
      rewards       <path> is a JSON Lines file of {prompt, response, reward} for --vlm (required):
                    every description with an alignment score, reward = alignment, prompt =
                    the cached LLM request that produced it (else a plain "describe" request)
    """

    static func run(_ args: [String], context: Context) throws {
        let a = try Arguments(args, command: name, options: ["--dataset", "--vlm"], flags: [])
        let pos = try a.positionals(["format", "path"])
        guard let dataset = a.value("--dataset") else { throw UsageError("export needs --dataset NAME", command: name) }
        let store = try context.openStore()
        let exporter = Exporter(store: store)
        var written: [String]
        switch pos[0] {
        case "fudd": written = try exporter.writeFudd(dataset: dataset, folder: pos[1], vlm: a.value("--vlm"))
        case "descriptions": try exporter.writeClassDescriptions(dataset: dataset, path: pos[1]); written = [pos[1]]
        case "jsonl": try exporter.writeJSONLines(dataset: dataset, path: pos[1]); written = [pos[1]]
        case "rewards":
            guard let vlm = a.value("--vlm") else { throw UsageError("export rewards needs --vlm NAME", command: name) }
            let n = try RewardExporter(store: store).write(vlm: vlm, dataset: dataset, path: pos[1])
            written = [pos[1] + " (\(n) rows)"]
        default: throw UsageError("unknown export format '\(pos[0])'; use fudd, descriptions, jsonl or rewards", command: name)
        }
        if context.json { try Console.json(["written": written]); return }
        for w in written { Console.out("wrote \(w)") }
    }
}
