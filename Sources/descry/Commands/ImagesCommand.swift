import DescryStore
import Foundation

/// `descry images add`: registers labelled images for a dataset.
enum ImagesCommand: Command {
    static let name = "images"
    static let summary = "register labelled images for a dataset"
    static let help = """
    Usage: descry images add <dataset> <dir> [--layout imagefolder] [--split NAME] [--skip-unknown]
           descry images add <dataset> --manifest FILE.csv [--split NAME] [--skip-unknown]

    imagefolder: <dir>/<class name>/<image>.jpg|png, the folder name is the label.
    manifest: a CSV of path,label (paths relative to the CSV's folder; a header line is allowed).
    Labels are matched to the dataset's classes by name; an unknown label is an error
    (--skip-unknown registers the image without a class). Each file's SHA-256 is recorded: it is
    the key of the embedding cache, so the same picture is embedded once.
    """

    static func run(_ args: [String], context: Context) throws {
        let a = try Arguments(args, command: name, options: ["--layout", "--manifest", "--split"], flags: ["--skip-unknown"])
        guard a.positionals.first == "add" else { throw UsageError("expected `images add`", command: name) }
        let list: ImageList
        let dataset: String
        if let manifest = a.value("--manifest") {
            dataset = try a.positionals(["add", "dataset"])[1]
            list = try ImageList.manifest(try InputFile(path: manifest))
        } else {
            let pos = try a.positionals(["add", "dataset", "dir"])
            guard (a.value("--layout") ?? "imagefolder") == "imagefolder" else {
                throw UsageError("unknown layout '\(a.value("--layout")!)'; use imagefolder or --manifest FILE", command: name)
            }
            dataset = pos[1]
            list = try ImageList.imageFolder(pos[2])
        }
        let report = try context.openStore().addImages(list, dataset: dataset, split: a.value("--split"), skipUnknown: a.flag("--skip-unknown"))
        if context.json { try Console.json(report); return }
        for w in report.warnings { Console.err("warning: \(w)") }
        Console.out("images for '\(dataset)': \(report.added) added, \(report.updated) already registered")
    }
}
