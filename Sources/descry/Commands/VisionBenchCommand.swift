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
    static let quantized = Option<Bool>.flag("--quantized", help: "also int8-quantize --model (as `models quantize` does, into a temporary folder) and compare speed and agreement")
    static let labelled = Option<String?>.path("--labelled-images", "DIR",
                                               help: "(--quantized) class-named folders of images for the agreement; default Data/demo/images")

    static let signature = Signature(about: """
    Make the inputs with Data/benchmarks/vision/make_images.py and export_clip_b32.py; see
    Docs/benchmarks.md.
    With --quantized, the image encoder is timed for both graphs and, on the labelled images,
    the mean cosine of the embeddings to float32 and the top-1 agreement of zero-shot
    predictions ("a photo of a {}.", each model with its own text tower) are reported.
    """, options: [textsFrom, images, model, threads, batch, quantized, labelled])

    static func validate(_ a: ParsedArguments) throws {
        if a[quantized] && a[model] == nil { throw a.usageError("--quantized needs --model DIR") }
    }

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let threads = a[Self.threads]
        let batch = a[Self.batch]
        var results: [VisionBenchmark.Result] = []
        var agreement: VisionBenchmark.Agreement?

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
            let options = ONNXSessionOptions(intraOpThreads: threads)
            results += try VisionBenchmark.sessionStart(url.appendingPathComponent(manifest.imageModel), options: options, label: "image graph")
            if !manifest.isCombined {
                results += try VisionBenchmark.sessionStart(url.appendingPathComponent(manifest.textModel), options: options, label: "text graph")
            }
            let model = try CLIPModel(manifest: manifest, directory: url, options: options)
            results.append(try VisionBenchmark.imageEncoder(model, batchSize: batch))
            results.append(try VisionBenchmark.textEncoder(model, texts: texts, batchSize: batch))
            if !urls.isEmpty { results.append(try VisionBenchmark.imagePipeline(model, urls: urls, batchSize: batch)) }
            if a[quantized] {
                let (q, a) = try quantizedRuns(model: model, url: url, manifest: manifest, a: a, context: context, threads: threads, batch: batch)
                results += q
                agreement = a
            }
        }
        if context.json {
            var rows = results.map { ["name": AnyEncodable($0.name), "items": AnyEncodable($0.items), "seconds": AnyEncodable($0.seconds),
                                      "rate": AnyEncodable($0.rate), "best_rate": AnyEncodable($0.bestRate)] }
            if let g = agreement {
                var row: [String: AnyEncodable] = ["name": AnyEncodable("int8 agreement with float32"), "images": AnyEncodable(g.images),
                                                   "mean_cosine": AnyEncodable(g.meanCosine), "min_cosine": AnyEncodable(g.minCosine),
                                                   "classes": AnyEncodable(g.classes)]
                if let t = g.top1Agreement { row["top1_agreement"] = AnyEncodable(t) }
                if let acc = g.accuracy {
                    row["top1_accuracy_float"] = AnyEncodable(acc.float)
                    row["top1_accuracy_int8"] = AnyEncodable(acc.quantized)
                }
                rows.append(row)
            }
            try Console.json(rows)
            return
        }
        Console.out("descry bench vision: \(texts.count) texts\(urls.isEmpty ? "" : ", \(urls.count) images")")
        Console.out(Console.table(["measure", "items", "seconds", "items/s", "best items/s"],
                                  results.map { [$0.name, "\($0.items)", String(format: "%.3f", $0.seconds), String(format: "%.1f", $0.rate), String(format: "%.1f", $0.bestRate)] }))
        if let g = agreement {
            Console.out(String(format: "int8 vs float32 on %d images: mean cosine %.5f (min %.5f)", g.images, g.meanCosine, g.minCosine)
                + (g.top1Agreement.map { String(format: "; zero-shot top-1 agreement %.1f %% over %d classes", $0 * 100, g.classes) } ?? "")
                + (g.accuracy.map { String(format: " (accuracy float32 %.1f %%, int8 %.1f %%)", $0.float * 100, $0.quantized * 100) } ?? ""))
        }
    }

    /// Quantizes the model into a temporary folder, times its image encoder and compares it
    /// with the float32 model on the labelled images (class = folder name, `_` read as a space).
    static func quantizedRuns(model: CLIPModel, url: URL, manifest: ModelManifest, a: ParsedArguments, context: Context,
                              threads: Int, batch: Int) throws -> ([VisionBenchmark.Result], VisionBenchmark.Agreement) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("descry-bench-int8-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (qManifest, _) = try ModelRegistry.writeQuantized(manifest: manifest, from: url, to: folder,
                                                              sourceName: url.lastPathComponent, sourceHash: "-")
        let q = try CLIPModel(manifest: qManifest, directory: folder, options: ONNXSessionOptions(intraOpThreads: threads))
        var results = [try VisionBenchmark.imageEncoder(q, batchSize: batch)]
        results[0] = VisionBenchmark.Result(name: "int8 " + results[0].name, items: results[0].items, seconds: results[0].seconds,
                                            fastest: results[0].fastest)
        // The float encoder once more, right after, so both rates see the same machine load.
        let again = try VisionBenchmark.imageEncoder(model, batchSize: batch)
        results.append(VisionBenchmark.Result(name: "float32 " + again.name + ", again", items: again.items, seconds: again.seconds, fastest: again.fastest))
        let root = try a[labelled] ?? (context.dataDirectory() as NSString).appendingPathComponent("demo/images")
        var urls: [URL] = [], labels: [String] = []
        for folder in try FileManager.default.contentsOfDirectory(atPath: root).sorted() {
            let dir = (root as NSString).appendingPathComponent(folder)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else { continue }
            for file in try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
            where ImageList.extensions.contains((file as NSString).pathExtension.lowercased()) {
                urls.append(URL(fileURLWithPath: (dir as NSString).appendingPathComponent(file)))
                labels.append(folder.replacingOccurrences(of: "_", with: " "))
            }
        }
        guard !urls.isEmpty else { throw VisionError.invalidArgument("no images in class folders under \(root) for the int8 agreement") }
        let classes = Array(Set(labels)).sorted()
        let agreement = try VisionBenchmark.agreement(float: model, quantized: q, urls: urls, labels: labels, classes: classes, batchSize: batch)
        return (results, agreement)
    }
}
