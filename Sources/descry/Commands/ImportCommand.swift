import DescryStore
import Foundation

/// `descry import FORMAT PATH`: brings description files into the store.
enum ImportCommand: Command {
    static let name = "import"
    static let summary = "import descriptions, templates and class lists (ten formats: see import --help)"
    static let dataset = Option<String?>.string("--dataset", "NAME", help: "dataset to import into (required for all but templates and jsonl)")
    static let source = Option<String?>.string("--source", "LABEL", help: "label recorded as the descriptions' source (default: file name; fudd: \"fudd\")")
    static let vlm = Option<String?>.string("--vlm", "NAME", help: "(fudd, jsonl) key the pairs to this VLM")
    static let template = Option<String?>.string(
        "--template", "T",
        help: "(per-class formats) turn bare descriptors into sentences: \"dclip\" for\nDCLIP's make_descriptor_sentence rule, or a pattern with {c} and {d}")
    static let createClasses = Option<Bool>.flag("--create-classes", help: "(per-class formats) a dataset without classes takes the file's class names")
    static let strict = Option<Bool>.flag("--strict", help: "(per-class formats) unmatched, missing or duplicate class names are errors")
    static let classes = Option<String?>.string("--classes", "FILE", help: "(ex2) the class list EX2 used, in its order (default: the dataset's class list)")
    static let skipInvalid = Option<Bool>.flag("--skip-invalid", help: "(every format) report bad items with their position and import the rest")
    static let match = Option<ClassMatchMode?>.choice(
        "--match", "M", defaultText: "normalized",
        help: "(per-class formats, jsonl) how keys meet class names: normalized\nfolds case, hyphens, punctuation, camelCase and articles; fuzzy also\ntakes a unique close class")
    static let map = Option<String?>.path("--map", "FILE", help: "(per-class formats, jsonl) key -> class for this import: key<TAB>class lines or a JSON object")
    static let saveAliases = Option<Bool>.flag("--save-aliases", help: "(per-class formats, jsonl) keep the keys matched by --map or fuzzily as the dataset's aliases")

    /// The per-class formats, read into one `ClassDescriptionSet` and matched to classes by name.
    static let perClass = ClassDescriptionFormat.allCases.map(\.rawValue)
    static let formats = ["fudd"] + perClass + ["templates", "classes", "jsonl"]

    static let signature = Signature(usage: ["<format> <path> [options]"], about: """
    Formats, each with an example command and a sample of its file:
      fudd          FuDD differential descriptions: a folder holding <dataset>_class_names.json
                    and <dataset>_prompt_pairs.json (or the prompt-pairs file itself)
                      descry import fudd corpora/fudd --dataset pets
                      {"0_1": {"classes": [0, 1], "prompt_pairs": [{"attr_type": "ear shape",
                               "prompt_pair": ["…pointed ears.", "…round ears."]}]}}
      descriptions  per-class JSON as CuPL, DCLIP, WaffleCLIP and LaBo publish it
                      descry import descriptions dclip.json --dataset pets --template dclip
                      {"beagle": ["long droopy ears", "a short coat"], …}
      attributes    attribute-keyed per-class JSON (TAP); keys become attribute_raw
                      descry import attributes tap.json --dataset eurosat
                      {"Forest": {"Texture": ["Forest, which shows a rough canopy."]}, …}
      folder        a folder of <class>.txt files, one description per line (AdaptCLIPZS)
                      descry import folder gpt_descriptions/ --dataset eurosat
                      Forest.txt:  A satellite image of dense green tree cover.
      ex2           EX2's output: one list per class, in the order of a class list
                      descry import ex2 ex2.json --dataset pets --classes pets_class_names.json
                      [["a photo of an abyssinian cat, …"], ["…"], …]
      csv, tsv      a header row naming class and text (attribute, kind optional);
                    CSV quoting as RFC 4180 (quoted fields, "" for a quote, line breaks)
                      descry import csv descriptions.csv --dataset pets
                      class,attribute,text
                      beagle,ears,"long, droopy ears"
      templates     a JSON array of prompt templates with a {} placeholder (the 80 CLIP templates)
                      descry import templates clip_templates.json
                      ["a photo of a {}.", "a bad photo of a {}.", …]
      classes       a class list: JSON array, or one name per line
                      descry import classes pets_class_names.txt --dataset pets
                      Abyssinian
      jsonl         JSON Lines, one description per line with explicit fields:
                    dataset, class, text, kind, attribute, pair, side, twin, position, vlm
                      descry import jsonl more.jsonl
                      {"dataset": "pets", "class": "beagle", "text": "a beagle, which has long ears."}

    Per-class formats (descriptions, attributes, folder, ex2, csv, tsv) are matched to the
    dataset's classes by name, never by order (ex2 takes its names from the class list).

    Every import is one transaction: it lands whole or not at all. Importing the same file
    again adds nothing (descriptions are deduplicated by content).

    Class names are looked up as: exact name, normalised name, --map, the dataset's aliases
    (`descry classes alias`), then with --match fuzzy a unique close class. Each key still
    unmatched is reported with the nearest classes; the report says how every key matched.
    """, positionals: [.required("format"), .required("path")],
    options: [dataset, source, vlm, template, createClasses, strict, classes, skipInvalid, match, map, saveAliases])

    static func validate(_ a: ParsedArguments) throws {
        if !formats.contains(a.positionals[0]) { throw unknownFormat(a.positionals[0]) }
        if a[classes] != nil && a.positionals[0] != ClassDescriptionFormat.ex2.rawValue {
            throw a.usageError("--classes is for import ex2 (its file names no class); \(a.positionals[0]) files name their classes")
        }
        // Class-name matching applies to the formats whose keys name classes.
        if ["fudd", "templates", "classes"].contains(a.positionals[0]), a.given(match) || a.given(map) || a[saveAliases] {
            throw a.usageError("--match, --map and --save-aliases are for formats whose keys name classes (per-class formats, jsonl), not \(a.positionals[0])")
        }
        if a[saveAliases], a[map] == nil, a[match] != .fuzzy {
            throw a.usageError("--save-aliases keeps what --map or --match fuzzy matched; give one of them")
        }
    }

    static func unknownFormat(_ format: String) -> UsageError {
        let hint = EditDistance.nearest(format, among: formats).map { " (did you mean '\($0)'?)" } ?? ""
        return UsageError("unknown import format '\(format)'\(hint); use \(formats.dropLast().joined(separator: ", ")) or \(formats.last ?? "")", command: name)
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
                                             label: a[source] ?? "fudd", vlm: a[vlm], skipInvalid: a[skipInvalid])
        case let f where ClassDescriptionFormat(rawValue: f) != nil:
            guard let perClassFormat = ClassDescriptionFormat(rawValue: f) else { throw unknownFormat(f) }
            report = try importer.importClassDescriptions(
                perClassFormat, path: path, dataset: try needDataset(), classesPath: a[classes], label: a[source],
                template: try DescriptorTemplate.parse(a[template] ?? "none"),
                createClasses: a[createClasses], strict: a[strict], skipInvalid: a[skipInvalid], matching: matching)
        case "templates":
            report = try importer.importTemplates(path: path, dataset: dataset, label: a[source], skipInvalid: a[skipInvalid])
        case "classes":
            report = try importer.importClassList(path: path, dataset: try needDataset(), skipInvalid: a[skipInvalid])
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
