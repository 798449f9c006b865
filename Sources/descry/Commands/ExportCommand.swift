import DescryAnalysis
import DescryLLM
import DescryStore
import DescryVision

/// `descry export`: writes a dataset back out in the formats `import` reads, and in the
/// formats neighbouring tools read (CuPL / CLIP_benchmark prompts, open_clip classifier weights).
enum ExportCommand: Command {
    static let name = "export"
    static let summary = "export a dataset: fudd, descriptions, jsonl, rewards, custom-templates, classifier"
    static let dataset = Option<String>.required("--dataset", "NAME", help: "the dataset to export")
    static let vlm = Option<String?>.string("--vlm", "NAME", help: "the VLM: fudd's pairs keyed to it, rewards' alignment, classifier's\ntext embeddings")
    static let method = Option<String?>.string("--method", "M", help: "custom-templates: descriptions, templates or both (default descriptions);\nclassifier: a zero-shot method, as classify's (default fudd)")
    static let source = Option<String?>.string("--source", "LABEL", help: "custom-templates: only texts imported under this source label")
    static let benchmarkKey = Option<String?>.string("--benchmark-key", "NAME", help: "custom-templates: nest the classes under this key, the dataset name\nCLIP_benchmark looks up (cifar10, imagenet1k, …)")

    static let signature = Signature(about: """
    Formats:
      fudd              <path> is a folder; writes <dataset>_class_names.json and
                        <dataset>_prompt_pairs.json (pairs of --vlm, or the VLM-independent ones)
      descriptions      <path> is a JSON file of per-class descriptions
      jsonl             <path> is a JSON Lines file with every description and pair slot
      rewards           <path> is a JSON Lines file of {prompt, response, reward} for --vlm (required):
                        every description with an alignment score, reward = alignment, prompt =
                        the cached LLM request that produced it (else a plain "describe" request)
      custom-templates  <path> is a JSON object {class name: [prompt, …]} (CuPL's layout); with
                        --benchmark-key NAME, {NAME: {class name: [prompt, …]}}, which
                        CLIP_benchmark's --custom_template_file reads. --method descriptions
                        (the class's descriptions), templates (the dataset's and global
                        templates filled with the class name) or both. A class without any
                        gets "a photo of a {c}." (listed). Keys are the class names with
                        underscores as spaces: they must be CLIP_benchmark's spelling.
      classifier        <path> is a float32 .npy of shape (dim, classes) for --vlm (required):
                        per class the L2-normalised mean of its prompts' normalised
                        embeddings, as open_clip's build_zero_shot_classifier. --method picks
                        the prompts; fudd uses FuDD's class embeddings at k = number of
                        classes (every pair's differential descriptions). Also writes
                        <path>.classes.json (column order) and <path>.provenance.json (VLM
                        and manifest hash, method, per class its prompts' SHA-256). Text
                        embeddings come from the cache (`descry embed texts`) or, with
                        --embed-missing, from the VLM.
    """, positionals: [.required("format"), .required("path")], options: [dataset, vlm, method, source, benchmarkKey],
       groups: [AnalysisOptions.group])

    static let formats = ["fudd", "descriptions", "jsonl", "rewards", "custom-templates", "classifier"]
    static let formatList = formats.dropLast().joined(separator: ", ") + " or " + (formats.last ?? "")

    static func validate(_ a: ParsedArguments) throws {
        let format = a.positionals[0]
        guard formats.contains(format) else {
            let hint = EditDistance.nearest(format, among: formats).map { " (did you mean '\($0)'?)" } ?? ""
            throw a.usageError("unknown export format '\(format)'\(hint); use \(formatList)")
        }
        if (format == "rewards" || format == "classifier") && a[vlm] == nil { throw a.usageError("export \(format) needs --vlm NAME") }
        if let m = a[method] {
            switch format {
            case "custom-templates":
                guard CustomTemplateMethod(rawValue: m) != nil else {
                    throw a.usageError("--method '\(m)' is not a custom-templates method; use descriptions, templates or both")
                }
            case "classifier":
                guard ZeroShotMethod(rawValue: m) != nil else {
                    throw a.usageError("--method '\(m)' is not a zero-shot method; use classname, template, ensemble, descriptions or fudd")
                }
            default: throw a.usageError("--method applies to custom-templates and classifier only")
            }
        }
        if a[source] != nil && format != "custom-templates" { throw a.usageError("--source applies to custom-templates only") }
        if a[benchmarkKey] != nil && format != "custom-templates" { throw a.usageError("--benchmark-key applies to custom-templates only") }
        if format == "classifier" && a[AnalysisOptions.aggregation] != .similarityOfMean {
            throw a.usageError("classifier weights are one vector per class (similarity of mean); --aggregation mean-of-similarities has none")
        }
    }

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let pos = a.positionals
        let dataset = a[Self.dataset]
        var notes: [String] = []
        var written: [String]
        switch pos[0] {
        case "classifier":
            written = try writeClassifier(a, path: pos[1], context: context, notes: &notes)
        default:
            let store = try context.openStore(readOnly: true)
            let exporter = Exporter(store: store)
            switch pos[0] {
            case "fudd": written = try exporter.writeFudd(dataset: dataset, folder: pos[1], vlm: a[Self.vlm])
            case "descriptions": try exporter.writeClassDescriptions(dataset: dataset, path: pos[1]); written = [pos[1]]
            case "jsonl": try exporter.writeJSONLines(dataset: dataset, path: pos[1]); written = [pos[1]]
            case "rewards":
                guard let vlm = a[Self.vlm] else { throw a.usageError("export rewards needs --vlm NAME") }
                let n = try RewardExporter(store: store).write(vlm: vlm, dataset: dataset, path: pos[1])
                written = [pos[1] + " (\(n) rows)"]
            case "custom-templates":
                let m = a[method].flatMap(CustomTemplateMethod.init(rawValue:)) ?? .descriptions
                let t = try exporter.customTemplates(dataset: dataset, method: m, source: a[source])
                try exporter.writeCustomTemplates(t, path: pos[1], benchmarkKey: a[benchmarkKey])
                let n = t.classes.reduce(0) { $0 + $1.prompts.count }
                written = [pos[1] + " (\(t.classes.count) classes, \(n) prompts)"]
                if !t.fallbackClasses.isEmpty {
                    notes.append("\(t.fallbackClasses.count) class(es) had no \(m.rawValue) and got \"\(Exporter.fallbackTemplate)\": " + t.fallbackClasses.prefix(10).joined(separator: ", ") + (t.fallbackClasses.count > 10 ? ", …" : ""))
                }
            default: throw UsageError("unknown export format '\(pos[0])'; use \(formatList)", command: name)
            }
        }
        for n in notes { Console.err("note: \(n)") }
        if context.json { try Console.json(["written": written]); return }
        for w in written { Console.out("wrote \(w)") }
    }

    /// `export classifier`: the weights, the class list and the provenance.
    static func writeClassifier(_ a: ParsedArguments, path: String, context: Context, notes: inout [String]) throws -> [String] {
        guard let vlm = a[Self.vlm] else { throw a.usageError("export classifier needs --vlm NAME") }
        let dataset = a[Self.dataset]
        let opts = AnalysisOptions(a)
        let m = a[method].flatMap(ZeroShotMethod.init(rawValue:)) ?? .fudd
        // Read-only unless the VLM may have to embed (and cache) missing prompts.
        let store = try context.openStore(readOnly: !opts.embedMissing)
        let record = try store.vlms.record(named: vlm)
        let library = try PromptLibrary.load(store: store, dataset: dataset, vlmID: try store.vlms.id(named: vlm))
        notes += library.notes
        if m == .descriptions && !library.classesWithoutDescriptions.isEmpty {
            notes.append("\(library.classesWithoutDescriptions.count) class(es) without descriptions use the single template")
        }
        let weights = try ClassifierWeights(library: library, source: try opts.textSource(store: store, vlm: vlm, dataset: dataset),
                                            method: m, options: opts.prompt)
        let provenance = ClassifierProvenance(vlm: vlm, manifestHash: record?.manifestHash, dataset: dataset, options: opts.prompt,
                                              toolVersion: version, schemaVersion: try store.schemaVersion())
        let files = try weights.write(to: path, provenance: provenance)
        return [files[0] + " (\(weights.dim) × \(weights.classes.count), method \(m.rawValue))"] + files.dropFirst()
    }
}
