import DescryVision
import Foundation

extension VisionBenchmark {
    /// How closely a quantized model follows its float32 original on the same images.
    public struct Agreement: Sendable {
        /// Images embedded by both.
        public var images: Int
        /// Mean and smallest cosine between the two models' embeddings of each image.
        public var meanCosine: Double
        /// The smallest cosine.
        public var minCosine: Double
        /// Classes of the zero-shot test (0 when the images carry no class folders).
        public var classes: Int
        /// Fraction of images whose zero-shot top-1 class (template method, each model with its
        /// own text tower) is the same for both; nil without classes.
        public var top1Agreement: Double?
        /// Zero-shot top-1 accuracy against the folder labels: float32, quantized.
        public var accuracy: (float: Double, quantized: Double)?
    }

    /// Embeds `urls` with both models and compares: cosine per image, and when `labels` are
    /// given (one class name per URL; `classes` the names to choose from), zero-shot
    /// predictions with `template` (`{}` replaced by the class name).
    public static func agreement(float: CLIPModel, quantized: CLIPModel, urls: [URL], labels: [String]? = nil,
                                 classes: [String] = [], template: String = "a photo of a {}.",
                                 batchSize: Int = 32) throws -> Agreement {
        func embed(_ model: CLIPModel) throws -> [[Float]] {
            var out = [[Float]?](repeating: nil, count: urls.count)
            try model.encodeImages(at: urls, batchSize: batchSize) { batch in
                for (index, url, result) in batch {
                    switch result {
                    case .success(let v): out[index] = v
                    case .failure(let e): throw VisionError.badImage(path: url.path, reason: "\(e)")
                    }
                }
            }
            return out.map { $0 ?? [] }
        }
        let a = try embed(float), b = try embed(quantized)
        let cosines = zip(a, b).map { x, y in Double(zip(x, y).reduce(Float(0)) { $0 + $1.0 * $1.1 }) }
        var result = Agreement(images: urls.count, meanCosine: cosines.reduce(0, +) / Double(max(cosines.count, 1)),
                               minCosine: cosines.min() ?? 0, classes: classes.count, top1Agreement: nil, accuracy: nil)
        guard let labels, !classes.isEmpty, labels.count == urls.count else { return result }
        let prompts = classes.map { template.replacingOccurrences(of: "{}", with: $0) }
        func predict(_ model: CLIPModel, _ images: [[Float]]) throws -> [Int] {
            let texts = try model.encode(texts: prompts)
            return images.map { v in
                let scores = texts.map { t in zip(v, t).reduce(Float(0)) { $0 + $1.0 * $1.1 } }
                return scores.indices.max { scores[$0] < scores[$1] } ?? 0
            }
        }
        let pa = try predict(float, a), pb = try predict(quantized, b)
        let truth = labels.map { classes.firstIndex(of: $0) ?? -1 }
        let n = Double(urls.count)
        result.top1Agreement = Double(zip(pa, pb).filter { $0 == $1 }.count) / n
        result.accuracy = (Double(zip(pa, truth).filter { $0 == $1 }.count) / n, Double(zip(pb, truth).filter { $0 == $1 }.count) / n)
        return result
    }
}

extension VisionBenchmark {
    /// Session start-up of the graph at `model`: without the graph cache (ONNX Runtime optimises
    /// it), with an empty cache (optimises and saves it) and from the cache (loads the saved
    /// graph), each timed once in that order with a fresh temporary cache folder. Throws when the
    /// cache was not used as expected, so a silent fallback cannot pass for a cached start.
    public static func sessionStart(_ model: URL, options: ONNXSessionOptions, label: String) throws -> [Result] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("descry-bench-graphs-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        var plain = options
        plain.graphCacheDirectory = nil
        var cached = options
        cached.graphCacheDirectory = folder
        var results: [Result] = []
        for (name, o) in [("no cache", plain), ("writing the cache", cached), ("from the cache", cached)] {
            var session: ONNXSession?
            let seconds = try time { session = try ONNXSession(model: model, options: o) }
            switch (name, session?.graphCache) {
            case ("writing the cache", .written?), ("from the cache", .loaded?), ("no cache", .off?): break
            default: throw VisionError.invalidArgument("session start '\(name)' of \(model.path): graph cache \(String(describing: session?.graphCache))")
            }
            results.append(Result(name: "session start, \(label), \(name) (s)", items: 1, seconds: seconds))
        }
        return results
    }
}
