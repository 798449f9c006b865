import DescryStore
import DescryVision
import Foundation

/// `descry embed images|texts`: fills the embedding cache.
enum EmbedCommand: Command {
    static let name = "embed"
    static let summary = "embed a dataset's images or texts with a VLM (cached, resumable)"
    static let vlm = Option<String>.required("--vlm", "NAME", help: "the registered VLM (`descry models add`)")
    static let dataset = Option<String>.required("--dataset", "NAME", help: "the dataset")
    static let batch = Option<Int?>.int("--batch", range: 1...4096, defaultText: "32 images, 64 texts", help: "inputs per inference call")
    /// Shared by every command that may run the VLM.
    static let threads = Option<Int>.int("--threads", default: 0, range: 0...1024, help: "inference threads for the VLM, 0 for one per core")
    /// Shared by every command that may run the VLM.
    static let device = Option<String>.choice("--device", "D", among: ["cpu", "cuda"], default: "cpu", help: "where the VLM runs")
    static let shard = Option<String?>.string("--shard", "I/N", help: "images: only shard I of N (0 ≤ I < N), by content hash")

    static let signature = Signature(usage: [
        "images --vlm NAME --dataset NAME [--shard I/N] [--batch N] [--threads N] [--device cpu|cuda]",
        "texts  --vlm NAME --dataset NAME [--batch N] [--threads N] [--device cpu|cuda]",
    ], about: """
    images  every registered image of the dataset whose content is not cached for this VLM;
            decoding overlaps inference; a file that cannot be decoded is reported at the end
            and the rest go on; the exit status is then 1 (the others are stored).
            With --shard I/N, only the images whose content hash (first 8 bytes of the
            SHA-256, mod N) is I: N runs, one per shard, embed each image once between them;
            `descry merge` joins their stores.
    texts   every description of the dataset, its templates filled with each class name, and
            the class names.
    Results are committed batch by batch: a second run does no inference, and a killed run
    resumes where it stopped.
    """, positionals: [.required("images|texts")], options: [vlm, dataset, shard, batch, threads, device])

    static func validate(_ a: ParsedArguments) throws {
        let what = a.positionals[0]
        guard what == "images" || what == "texts" else { throw a.usageError("expected `embed images` or `embed texts`") }
        if let text = a[shard] {
            guard what == "images" else { throw a.usageError("--shard applies to `embed images` only (texts are few; every shard can embed them)") }
            do { _ = try Shard.parse(text) } catch let e as ShardError { throw a.usageError("--shard: \(e.description)") }
        }
    }

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let what = a.positionals[0], vlm = a[Self.vlm], dataset = a[Self.dataset]
        let options = sessionOptions(a)
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
        let shard = try a[Self.shard].map(Shard.parse)
        let report = what == "images"
            ? try embedder.embedDatasetImages(dataset, batchSize: a[batch] ?? 32, shard: shard, progress: progress)
            : try embedder.embedDatasetTexts(dataset, batchSize: a[batch] ?? 64, progress: progress)
        Console.endProgress()
        if context.json {
            try Console.json(report)
        } else {
            for f in report.failures { Console.err("failed: \(f)") }
            let part = report.shard.map { " shard \($0): \(report.total) of \(report.datasetTotal ?? report.total) distinct images;" } ?? ""
            Console.out("\(what) of '\(dataset)' for \(vlm):\(part) \(report.total) distinct, \(report.cached) cached, \(report.embedded) embedded now, \(report.failures.count) failed (\(String(format: "%.1f", Date().timeIntervalSince(start)))s)")
            if report.total == 0 && what == "images" {
                Console.err("no images registered for '\(dataset)'; run `descry images add \(dataset) DIR` first")
            }
        }
        // Everything else was embedded and kept; the exit status still says something failed.
        if !report.failures.isEmpty {
            throw CommandFailure("\(report.failures.count) of \(report.total) \(what) could not be embedded (listed above); the rest are stored")
        }
    }

    /// `--threads` and `--device` as session options, with ONNX Runtime's optimised graphs
    /// cached in `ONNXSessionOptions.defaultGraphCacheDirectory` (`$DESCRY_GRAPH_CACHE`).
    static func sessionOptions(_ a: ParsedArguments) -> ONNXSessionOptions {
        var o = ONNXSessionOptions(intraOpThreads: a[threads], graphCacheDirectory: ONNXSessionOptions.defaultGraphCacheDirectory)
        o.device = a[device] == "cuda" ? .cuda(deviceID: 0) : .cpu
        return o
    }
}
