import DescryStore
import DescryVision
import Foundation

/// `descry embed images|texts`: fills the embedding cache.
enum EmbedCommand: Command {
    static let name = "embed"
    static let summary = "embed a dataset's images or texts with a VLM (cached, resumable)"
    static let help = """
    Usage: descry embed images --vlm NAME --dataset NAME [--batch N] [--threads N] [--device cpu|cuda]
           descry embed texts  --vlm NAME --dataset NAME [--batch N] [--threads N] [--device cpu|cuda]

    images  every registered image of the dataset whose content is not cached for this VLM;
            decoding overlaps inference; a file that cannot be decoded is reported at the end
            and the rest go on.
    texts   every description of the dataset, its templates filled with each class name, and
            the class names.
    Results are committed batch by batch: a second run does no inference, and a killed run
    resumes where it stopped.
    """

    static func run(_ args: [String], context: Context) throws {
        let a = try Arguments(args, command: name, options: ["--vlm", "--dataset", "--batch", "--threads", "--device"], flags: [])
        let what = try a.positionals(["images|texts"])[0]
        guard what == "images" || what == "texts" else { throw UsageError("expected `embed images` or `embed texts`", command: name) }
        guard let vlm = a.value("--vlm"), let dataset = a.value("--dataset") else {
            throw UsageError("embed \(what) needs --vlm NAME and --dataset NAME", command: name)
        }
        let options = try sessionOptions(a)
        let store = try context.openStore()
        _ = try store.datasetID(named: dataset)
        let embedder = try Embedder(store: store, vlm: vlm, options: options)
        let start = Date()
        let progress: (Int, Int) -> Void = { done, total in
            guard !context.json else { return }
            let rate = Double(done) / max(Date().timeIntervalSince(start), 1e-3)
            let eta = rate > 0 ? Double(total - done) / rate : 0
            Console.progress("embedding \(what): \(done)/\(total)  \(String(format: "%.1f", rate))/s  ETA \(Int(eta))s")
        }
        let report = what == "images"
            ? try embedder.embedDatasetImages(dataset, batchSize: try a.int("--batch", default: 32), progress: progress)
            : try embedder.embedDatasetTexts(dataset, batchSize: try a.int("--batch", default: 64), progress: progress)
        Console.endProgress()
        if context.json { try Console.json(report); return }
        for f in report.failures { Console.err("failed: \(f)") }
        Console.out("\(what) of '\(dataset)' for \(vlm): \(report.total) distinct, \(report.cached) cached, \(report.embedded) embedded now, \(report.failures.count) failed (\(String(format: "%.1f", Date().timeIntervalSince(start)))s)")
        if report.total == 0 && what == "images" {
            Console.err("no images registered for '\(dataset)'; run `descry images add \(dataset) DIR` first")
        }
    }

    /// `--threads` and `--device` as session options.
    static func sessionOptions(_ a: Arguments) throws -> ONNXSessionOptions {
        var o = ONNXSessionOptions(intraOpThreads: try a.int("--threads", default: 0))
        switch a.value("--device") ?? "cpu" {
        case "cpu": o.device = .cpu
        case "cuda": o.device = .cuda(deviceID: 0)
        case let d: throw UsageError("unknown device '\(d)'; use cpu or cuda", command: a.command)
        }
        return o
    }
}
