import DescryBench
import DescryStore
import DescryVision
import Foundation

/// `descry bench vision`: the tokenizer, image decode + preprocess, the encoders and the full
/// image pipeline, timed with `VisionBenchmark` (Python side: Data/benchmarks/vision/baseline.py).
enum VisionBenchCommand {
    static let help = """
    Usage: descry bench vision [--texts-from DIR] [--images DIR] [--model DIR] [--threads N] [--batch N]

      --texts-from DIR  FuDD corpora whose texts to tokenize (default ../shared/corpora/fudd,
                        else Data/demo)
      --images DIR      a folder of images to decode and preprocess (and run the pipeline on)
      --model DIR       a model folder (descry-model.json or detectable) for the encoders
    Make the inputs with Data/benchmarks/vision/make_images.py and export_clip_b32.py; see
    Docs/benchmarks.md.
    """

    static func run(_ args: [String], context: Context) throws {
        let a = try Arguments(args, command: "bench vision", options: ["--texts-from", "--images", "--model", "--threads", "--batch"], flags: [])
        _ = try a.positionals([])
        let threads = try a.int("--threads", default: 0)
        let batch = try a.int("--batch", default: 32)
        var results: [VisionBenchmark.Result] = []

        // Texts: every sentence of the FuDD corpora (or the demo's), for the tokenizer.
        let data = try context.dataDirectory()
        var texts: [String] = []
        let corpora = a.value("--texts-from") ?? "../shared/corpora/fudd"
        for ds in ["pets", "dtd", "eurosat", "demo"] {
            let folder = ds == "demo" ? (data as NSString).appendingPathComponent("demo") : corpora
            let f = FuddReader.files(folder: folder, dataset: ds)
            guard FileManager.default.fileExists(atPath: f.promptPairs), ds != "demo" || texts.isEmpty else { continue }
            let c = try FuddReader.read(classNames: try InputFile(path: f.classNames), promptPairs: try InputFile(path: f.promptPairs))
            for p in c.pairs { for pp in p.promptPairs { texts += [pp.textA, pp.textB] } }
        }
        let tokenizer = try CLIPTokenizer.shared(openCLIPVocabulary: try CLIPTokenizer.locateDefaultVocabulary())
        results.append(VisionBenchmark.tokenizer(tokenizer, texts: texts, threads: 1, repeats: 3))
        results.append(VisionBenchmark.tokenizer(tokenizer, texts: texts, threads: threads, repeats: 3))

        var urls: [URL] = []
        if let images = a.value("--images") {
            urls = try FileManager.default.contentsOfDirectory(atPath: images).sorted()
                .filter { ImageList.extensions.contains(($0 as NSString).pathExtension.lowercased()) }
                .map { URL(fileURLWithPath: (images as NSString).appendingPathComponent($0)) }
            results.append(VisionBenchmark.decodeAndPreprocess(urls, threads: 1))
            results.append(VisionBenchmark.decodeAndPreprocess(urls, threads: threads))
        }
        if let dir = a.value("--model") {
            let url = URL(fileURLWithPath: dir)
            let manifest = FileManager.default.fileExists(atPath: url.appendingPathComponent(ModelManifest.fileName).path)
                ? try ModelManifest.load(directory: url) : try ModelManifest.detect(directory: url)
            let model = try CLIPModel(manifest: manifest, directory: url, options: ONNXSessionOptions(intraOpThreads: threads))
            results.append(try VisionBenchmark.imageEncoder(model, batchSize: batch))
            results.append(try VisionBenchmark.textEncoder(model, texts: texts, batchSize: batch))
            if !urls.isEmpty { results.append(try VisionBenchmark.imagePipeline(model, urls: urls, batchSize: batch)) }
        }
        if context.json {
            try Console.json(results.map { ["name": $0.name, "items": "\($0.items)", "seconds": String(format: "%.4f", $0.seconds),
                                             "rate": String(format: "%.1f", $0.rate), "best_rate": String(format: "%.1f", $0.bestRate)] })
            return
        }
        Console.out("descry bench vision: \(texts.count) texts\(urls.isEmpty ? "" : ", \(urls.count) images")")
        Console.out(Console.table(["measure", "items", "seconds", "items/s", "best items/s"],
                                  results.map { [$0.name, "\($0.items)", String(format: "%.3f", $0.seconds), String(format: "%.1f", $0.rate), String(format: "%.1f", $0.bestRate)] }))
    }
}
