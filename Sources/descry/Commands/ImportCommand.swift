import DescryStore
import Foundation

/// `descry import FORMAT PATH`: brings description files into the store.
enum ImportCommand: Command {
    static let name = "import"
    static let summary = "import descriptions: fudd, descriptions, templates, classes, jsonl"
    static let help = """
    Usage: descry import <format> <path> [options]

    Formats:
      fudd          FuDD differential descriptions: a folder holding <dataset>_class_names.json
                    and <dataset>_prompt_pairs.json (or the prompt-pairs file itself)
      descriptions  per-class JSON as CuPL, DCLIP, WaffleCLIP and LaBo publish it:
                    {"class name": ["sentence", …], …}; keys are matched to the dataset's
                    classes by name, never by order
      templates     a JSON array of prompt templates with a {} placeholder (the 80 CLIP templates)
      classes       a class list: JSON array, or one name per line
      jsonl         JSON Lines, one description per line with explicit fields:
                    dataset, class, text, kind, attribute, pair, side, twin, position, vlm

    Options:
      --dataset NAME     dataset to import into (required for fudd, descriptions, classes)
      --source LABEL     label recorded as the descriptions' source (default: file name; fudd: "fudd")
      --vlm NAME         (fudd, jsonl) key the pairs to this VLM
      --template T       (descriptions) turn bare descriptors into sentences: "dclip" for
                         DCLIP's "{c}, which is/has {d}" rule, or a pattern with {c} and {d}
      --create-classes   (descriptions) a dataset without classes takes the file's keys
      --strict           (descriptions) unmatched, missing or duplicate class names are errors
      --skip-invalid     (jsonl) report bad lines and import the rest

    Every import is one transaction: it lands whole or not at all. Importing the same file
    again adds nothing (descriptions are deduplicated by content).
    """

    static func run(_ args: [String], context: Context) throws {
        let a = try Arguments(args, command: name, options: ["--dataset", "--source", "--vlm", "--template"],
                              flags: ["--create-classes", "--strict", "--skip-invalid"])
        let pos = try a.positionals(["format", "path"])
        let format = pos[0], path = pos[1]
        let store = try context.openStore()
        let importer = Importer(store: store)
        let dataset = a.value("--dataset")
        func needDataset() throws -> String {
            guard let d = dataset else { throw UsageError("import \(format) needs --dataset NAME", command: name) }
            return d
        }
        let report: ImportReport
        switch format {
        case "fudd":
            var isDir: ObjCBool = false
            let ds: String
            let files: (classNames: String, promptPairs: String)
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue {
                // A prompt-pairs file named directly: its class-names file sits beside it.
                let base = (path as NSString).lastPathComponent
                guard base.hasSuffix("_prompt_pairs.json") else {
                    throw UsageError("import fudd takes a folder or a <dataset>_prompt_pairs.json file, got '\(path)'", command: name)
                }
                ds = dataset ?? String(base.dropLast("_prompt_pairs.json".count))
                let stem = String(base.dropLast("_prompt_pairs.json".count))
                files = FuddReader.files(folder: (path as NSString).deletingLastPathComponent, dataset: stem)
            } else {
                ds = try needDataset()
                files = FuddReader.files(folder: path, dataset: ds)
            }
            report = try importer.importFudd(classNamesPath: files.classNames, promptPairsPath: files.promptPairs, dataset: ds,
                                             label: a.value("--source") ?? "fudd", vlm: a.value("--vlm"))
        case "descriptions":
            report = try importer.importClassDescriptions(
                path: path, dataset: try needDataset(), label: a.value("--source"),
                template: try DescriptorTemplate.parse(a.value("--template") ?? "none"),
                createClasses: a.flag("--create-classes"), strict: a.flag("--strict"))
        case "templates":
            report = try importer.importTemplates(path: path, dataset: dataset, label: a.value("--source"))
        case "classes":
            report = try importer.importClassList(path: path, dataset: try needDataset())
        case "jsonl":
            report = try importer.importJSONLines(path: path, dataset: dataset, label: a.value("--source"), skipInvalid: a.flag("--skip-invalid"))
        default:
            let hint = Suggest.nearest(format, among: ["fudd", "descriptions", "templates", "classes", "jsonl"]).map { " (did you mean '\($0)'?)" } ?? ""
            throw UsageError("unknown import format '\(format)'\(hint); use fudd, descriptions, templates, classes or jsonl", command: name)
        }
        if context.json { try Console.json(report); return }
        for w in report.warnings { Console.err("warning: \(w)") }
        var parts = ["\(report.descriptionsAdded) descriptions added", "\(report.descriptionsExisting) already stored"]
        if report.classesAdded > 0 { parts.append("\(report.classesAdded) classes added") }
        if report.pairSlotsRead > 0 || report.pairsAdded > 0 {
            parts.append("\(report.pairsAdded) pairs added")
            parts.append("\(report.pairSlotsAdded) of \(report.pairSlotsRead) pair slots linked")
        }
        let ds = report.dataset.map { " into '\($0)'\(report.datasetCreated ? " (new dataset)" : "")" } ?? ""
        Console.out("imported \(report.format) \(report.file)\(ds): " + parts.joined(separator: ", "))
    }
}
