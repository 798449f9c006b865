import DescryStore
import Foundation

/// `descry images add`: registers labelled images for a dataset.
enum ImagesCommand: Command {
    static let name = "images"
    static let summary = "register labelled images for a dataset"
    static let layout = Option<String>.choice("--layout", "L", among: ["imagefolder"], default: "imagefolder",
                                              help: "how <dir> is laid out; --manifest reads a CSV instead")
    static let manifest = Option<String?>.path("--manifest", "FILE.csv", help: "a CSV of path,label instead of a folder")
    static let split = Option<String?>.string("--split", "NAME", help: "the split recorded for the images (e.g. test)")
    static let skipUnknown = Option<Bool>.flag("--skip-unknown", help: "register an image whose label is no class without a class")
    static let allowOutside = Option<Bool>.flag("--allow-outside", help: "accept manifest paths outside the manifest's folder, absolute ones included")

    static let signature = Signature(usage: [
        "add <dataset> <dir> [--layout imagefolder] [--split NAME] [--skip-unknown]",
        "add <dataset> --manifest FILE.csv [--allow-outside] [--split NAME] [--skip-unknown]",
    ], about: """
    imagefolder: <dir>/<class name>/<image>.jpg|png, the folder name is the label.
    manifest: a CSV of path,label (a header line is allowed; fields may be "quoted"). Paths are
    relative to the CSV's folder and must stay inside it (--allow-outside accepts others); a row
    with only a path is an unlabelled image, a row with an empty label is an error.
    Labels are matched to the dataset's classes by name; an unknown label is an error
    (--skip-unknown registers the image without a class). Each file's SHA-256 is recorded: it is
    the key of the embedding cache, so the same picture is embedded once.
    """, positionals: [.optional("add"), .optional("dataset"), .optional("dir")], options: [layout, manifest, allowOutside, split, skipUnknown])

    static func validate(_ a: ParsedArguments) throws {
        guard a.positionals.first == "add" else { throw a.usageError("expected `images add`") }
        _ = try a.positionals(a[manifest] == nil ? ["add", "dataset", "dir"] : ["add", "dataset"])
    }

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let list: ImageList
        let dataset = a.positionals[1]
        if let manifest = a[Self.manifest] {
            list = try ImageList.manifest(try InputFile(path: manifest), allowOutside: a[allowOutside])
        } else {
            list = try ImageList.imageFolder(a.positionals[2])
        }
        let report = try context.openStore().images.add(list, dataset: dataset, split: a[split], skipUnknown: a[skipUnknown])
        if context.json { try Console.json(report); return }
        for w in report.warnings { Console.err("warning: \(w)") }
        Console.out("images for '\(dataset)': \(report.added) added, \(report.updated) already registered")
    }
}
