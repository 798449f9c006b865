import DescryStore
import Foundation

/// `descry import FORMAT PATH`: brings description files into the store.
enum ImportCommand: Command {
    static let name = "import"
    static let summary = "import descriptions: fudd, descriptions, templates, classes, jsonl"
    static let dataset = Option<String?>.string("--dataset", "NAME", help: "dataset to import into (required for fudd, descriptions, classes)")
    static let source = Option<String?>.string("--source", "LABEL", help: "label recorded as the descriptions' source (default: file name; fudd: \"fudd\")")
    static let vlm = Option<String?>.string("--vlm", "NAME", help: "(fudd, jsonl) key the pairs to this VLM")
    static let template = Option<String?>.string(
        "--template", "T",
        help: "(descriptions) turn bare descriptors into sentences: \"dclip\" for\nDCLIP's \"{c}, which is/has {d}\" rule, or a pattern with {c} and {d}")
    static let createClasses = Option<Bool>.flag("--create-classes", help: "(descriptions) a dataset without classes takes the file's keys")
    static let strict = Option<Bool>.flag("--strict", help: "(descriptions) unmatched, missing or duplicate class names are errors")
    static let skipInvalid = Option<Bool>.flag("--skip-invalid", help: "(jsonl, descriptions, templates) report bad items and import the rest")
    static let match = Option<ClassMatchMode?>.choice(
        "--match", "M", defaultText: "normalized",
        help: "(descriptions, jsonl) how keys meet class names; normalized folds case, hyphens,\npunctuation, camelCase and articles; fuzzy also takes a unique close class")
    static let map = Option<String?>.path("--map", "FILE", help: "(descriptions, jsonl) key -> class for this import: key<TAB>class lines or a JSON object")
    static let saveAliases = Option<Bool>.flag("--save-aliases", help: "(descriptions, jsonl) keep the keys matched by --map or fuzzily as the dataset's aliases")

    static let formats = ["fudd", "descriptions", "templates", "classes", "jsonl"]

    static let signature = Signature(usage: ["<format> <path> [options]"], about: """
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

    Every import is one transaction: it lands whole or not at all. Importing the same file
    again adds nothing (descriptions are deduplicated by content).

    Class names are looked up as: exact name, normalised name, --map, the dataset's aliases
    (`descry classes alias`), then with --match fuzzy a unique close class. Each key still
    unmatched is reported with the nearest classes; the report says how every key matched.
    """, positionals: [.required("format"), .required("path")],
    options: [dataset, source, vlm, template, createClasses, strict, skipInvalid, match, map, saveAliases])

    static func validate(_ a: ParsedArguments) throws {
        if !formats.contains(a.positionals[0]) { throw unknownFormat(a.positionals[0]) }
        // Class-name matching applies to the formats whose keys name classes.
        if ["fudd", "templates", "classes"].contains(a.positionals[0]), a.given(match) || a.given(map) || a[saveAliases] {
            throw a.usageError("--match, --map and --save-aliases are for formats whose keys name classes (descriptions, jsonl), not \(a.positionals[0])")
        }
        if a[saveAliases], a[map] == nil, a[match] != .fuzzy {
            throw a.usageError("--save-aliases keeps what --map or --match fuzzy matched; give one of them")
        }
    }

    static func unknownFormat(_ format: String) -> UsageError {
        let hint = EditDistance.nearest(format, among: formats).map { " (did you mean '\($0)'?)" } ?? ""
        return UsageError("unknown import format '\(format)'\(hint); use fudd, descriptions, templates, classes or jsonl", command: name)
    }

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let pos = a.positionals
        let format = pos[0], path = pos[1]
        let store = try context.openStore()
        let importer = Importer(store: store)
        let dataset = a[Self.dataset]
        func needDataset() throws -> String {
            guard let d = dataset else { throw UsageError("import \(format) needs --dataset NAME", command: name) }
            return d
        }
        let matching = ClassMatchOptions(mode: a[match] ?? .normalized, map: try a[map].map { try ClassMapFile.read(try InputFile(path: $0)) } ?? [],
                                         saveAliases: a[saveAliases])
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
                                             label: a[source] ?? "fudd", vlm: a[vlm])
        case "descriptions":
            report = try importer.importClassDescriptions(
                path: path, dataset: try needDataset(), label: a[source],
                template: try DescriptorTemplate.parse(a[template] ?? "none"),
                createClasses: a[createClasses], strict: a[strict], skipInvalid: a[skipInvalid], matching: matching)
        case "templates":
            report = try importer.importTemplates(path: path, dataset: dataset, label: a[source], skipInvalid: a[skipInvalid])
        case "classes":
            report = try importer.importClassList(path: path, dataset: try needDataset())
        case "jsonl":
            report = try importer.importJSONLines(path: path, dataset: dataset, label: a[source], skipInvalid: a[skipInvalid], matching: matching)
        default:
            throw unknownFormat(format)
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
        printMatches(report)
    }

    /// Keys matched other than by name, each listed, after a count per method.
    static func printMatches(_ report: ImportReport) {
        guard !report.matches.isEmpty else { return }
        let counts = ClassMatchMethod.allCases.compactMap { m in report.matchCounts[m.rawValue].map { "\($0) \(m.rawValue)" } }
        Console.out("keys matched: " + counts.joined(separator: ", ") + (report.aliasesSaved > 0 ? "; \(report.aliasesSaved) aliases saved" : ""))
        for m in report.matches where m.method == .map || m.method == .alias || m.method == .fuzzy {
            Console.out("  \(m.method.rawValue): '\(m.key)' -> '\(m.className)'" + (m.rule.map { " (\($0))" } ?? ""))
        }
    }
}
