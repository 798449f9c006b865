import DescryBench
import DescryStore
import DescryVision
import Foundation

/// `descry bench vision`: the tokenizer, image decode + preprocess, the encoders and the full
/// image pipeline, timed with `VisionBenchmark` (Python side: Data/benchmarks/vision/baseline.py).
enum VisionBenchCommand: Command {
    static let name = "bench vision"
    static let textsFrom = Option<String>.path("--texts-from", "DIR", default: "../shared/corpora/fudd",
                                                help: "FuDD corpora whose texts to tokenize; Data/demo's when absent")
    static let images = Option<String?>.path("--images", "DIR", help: "a folder of images to decode and preprocess (and run the pipeline on)")
    static let model = Option<String?>.path("--model", "DIR", help: "a model folder (descry-model.json or detectable) for the encoders")
    static let threads = Option<Int>.int("--threads", default: 0, range: 0...1024, help: "threads of the parallel runs, 0 for one per core")
    static let batch = Option<Int>.int("--batch", default: 32, range: 1...4096, help: "inputs per encoder call")

    static let signature = Signature(about: """
    Make the inputs with Data/benchmarks/vision/make_images.py and export_clip_b32.py; see
    Docs/benchmarks.md.
    """, options: [textsFrom, images, model, threads, batch])

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let threads = a[Self.threads]
        let batch = a[Self.batch]
        var results: [VisionBenchmark.Result] = []

        // Texts: every sentence of the FuDD corpora (or the demo's), for the tokenizer.
        let data = try context.dataDirectory()
        var texts: [String] = []
        let corpora = a[textsFrom]
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
        if let images = a[Self.images] {
            urls = try FileManager.default.contentsOfDirectory(atPath: images).sorted()
                .filter { ImageList.extensions.contains(($0 as NSString).pathExtension.lowercased()) }
                .map { URL(fileURLWithPath: (images as NSString).appendingPathComponent($0)) }
            results.append(VisionBenchmark.decodeAndPreprocess(urls, threads: 1))
            results.append(VisionBenchmark.decodeAndPreprocess(urls, threads: threads))
        }
        if let dir = a[Self.model] {
            let url = URL(fileURLWithPath: dir)
            let manifest = FileManager.default.fileExists(atPath: url.appendingPathComponent(ModelManifest.fileName).path)
                ? try ModelManifest.load(directory: url) : try ModelManifest.detect(directory: url)
            let model = try CLIPModel(manifest: manifest, directory: url, options: ONNXSessionOptions(intraOpThreads: threads))
            results.append(try VisionBenchmark.imageEncoder(model, batchSize: batch))
            results.append(try VisionBenchmark.textEncoder(model, texts: texts, batchSize: batch))
            if !urls.isEmpty { results.append(try VisionBenchmark.imagePipeline(model, urls: urls, batchSize: batch)) }
        }
        if context.json {
            try Console.json(results.map { ["name": AnyEncodable($0.name), "items": AnyEncodable($0.items), "seconds": AnyEncodable($0.seconds),
                                             "rate": AnyEncodable($0.rate), "best_rate": AnyEncodable($0.bestRate)] })
            return
        }
        Console.out("descry bench vision: \(texts.count) texts\(urls.isEmpty ? "" : ", \(urls.count) images")")
        Console.out(Console.table(["measure", "items", "seconds", "items/s", "best items/s"],
                                  results.map { [$0.name, "\($0.items)", String(format: "%.3f", $0.seconds), String(format: "%.1f", $0.rate), String(format: "%.1f", $0.bestRate)] }))
    }
}
