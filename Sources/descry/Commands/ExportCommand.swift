import DescryLLM
import DescryStore

/// `descry export`: writes a dataset back out in the formats `import` reads.
enum ExportCommand: Command {
    static let name = "export"
    static let summary = "export a dataset: fudd, descriptions, jsonl, rewards"
    static let dataset = Option<String>.required("--dataset", "NAME", help: "the dataset to export")
    static let vlm = Option<String?>.string("--vlm", "NAME", help: "fudd: the pairs keyed to this VLM; rewards: the VLM whose alignment is the reward")

    static let signature = Signature(about: """
    Formats:
      fudd          <path> is a folder; writes <dataset>_class_names.json and
                    <dataset>_prompt_pairs.json (pairs of --vlm, or the VLM-independent ones)
      descriptions  <path> is a JSON file of per-class descriptions
      jsonl         <path> is a JSON Lines file with every description and pair slot
      rewards       <path> is a JSON Lines file of {prompt, response, reward} for --vlm (required):
                    every description with an alignment score, reward = alignment, prompt =
                    the cached LLM request that produced it (else a plain "describe" request)
    """, positionals: [.required("format"), .required("path")], options: [dataset, vlm])

    static func validate(_ a: ParsedArguments) throws {
        let format = a.positionals[0]
        guard formats.contains(format) else {
            let hint = EditDistance.nearest(format, among: formats).map { " (did you mean '\($0)'?)" } ?? ""
            throw a.usageError("unknown export format '\(format)'\(hint); use fudd, descriptions, jsonl or rewards")
        }
        if format == "rewards" && a[vlm] == nil { throw a.usageError("export rewards needs --vlm NAME") }
    }

    static let formats = ["fudd", "descriptions", "jsonl", "rewards"]

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let pos = a.positionals
        let dataset = a[Self.dataset]
        let store = try context.openStore(readOnly: true)
        let exporter = Exporter(store: store)
        var written: [String]
        switch pos[0] {
        case "fudd": written = try exporter.writeFudd(dataset: dataset, folder: pos[1], vlm: a[Self.vlm])
        case "descriptions": try exporter.writeClassDescriptions(dataset: dataset, path: pos[1]); written = [pos[1]]
        case "jsonl": try exporter.writeJSONLines(dataset: dataset, path: pos[1]); written = [pos[1]]
        case "rewards":
            guard let vlm = a[Self.vlm] else { throw a.usageError("export rewards needs --vlm NAME") }
            let n = try RewardExporter(store: store).write(vlm: vlm, dataset: dataset, path: pos[1])
            written = [pos[1] + " (\(n) rows)"]
        default: throw UsageError("unknown export format '\(pos[0])'; use fudd, descriptions, jsonl or rewards", command: name)
        }
        if context.json { try Console.json(["written": written]); return }
        for w in written { Console.out("wrote \(w)") }
    }
}
