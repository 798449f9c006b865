import DescryStore
import Foundation

/// `descry demo`: the main job on the embedded default data in `Data/`.
enum DemoCommand: Command {
    static let name = "demo"
    static let summary = "build a store from the shipped demo data and show what it holds"
    static let help = """
    Usage: descry demo [--store PATH] [--data DIR]

    Imports the demo dataset shipped in Data/demo (class list, per-class descriptions,
    differential descriptions in the FuDD layout) and its prompt templates into the store,
    then prints its statistics, the attribute mapping and a full-text search.
    """

    static func run(_ args: [String], context: Context) throws {
        _ = try Arguments(args, command: name, options: [], flags: []).positionals([])
        let data = try context.dataDirectory()
        let demo = (data as NSString).appendingPathComponent("demo")
        let store = try context.openStore(create: true)
        let importer = Importer(store: store)
        func path(_ f: String) -> String { (demo as NSString).appendingPathComponent(f) }
        var reports: [ImportReport] = []
        reports.append(try importer.importFudd(classNamesPath: path("demo_class_names.json"), promptPairsPath: path("demo_prompt_pairs.json"), dataset: "demo"))
        reports.append(try importer.importClassDescriptions(path: path("demo_descriptions.json"), dataset: "demo", label: "demo"))
        reports.append(try importer.importTemplates(path: path("demo_templates.json"), dataset: "demo", label: "demo-templates"))
        Console.out("== import")
        for r in reports {
            Console.out("  \(r.format) \((r.file as NSString).lastPathComponent): \(r.descriptionsAdded) added, \(r.descriptionsExisting) already stored, \(r.pairsAdded) pairs")
        }
        Console.out("\n== stats")
        try StatsCommand.run([], context: context)
        Console.out("\n== attributes (raw type -> canonical, category)")
        try AttributesCommand.run(["--dataset", "demo"], context: context)
        Console.out("\n== search \"stripes OR striped\"")
        try SearchCommand.run(["stripes OR striped", "--dataset", "demo", "--limit", "5"], context: context)
    }
}
