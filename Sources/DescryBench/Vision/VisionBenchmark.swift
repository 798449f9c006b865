import DescryVision
import Dispatch
import Foundation

/// Throughput measurements of the vision module, for `descry bench vision`. Each function does
/// the work once more to warm up, then times it; rates are per second of wall-clock time.
public enum VisionBenchmark {
    /// One measurement.
    public struct Result: Sendable, CustomStringConvertible {
        /// What was measured ("tokenizer", "decode+preprocess", …).
        public let name: String
        /// Items processed in the timed run.
        public let items: Int
        /// Wall-clock seconds of the timed run.
        public let seconds: Double
        /// Seconds of the fastest repetition and the items it processed, when the work was
        /// repeated (the best repetition is the least disturbed by other load on the machine).
        public var fastest: (items: Int, seconds: Double)?
        /// Items per second.
        public var rate: Double { seconds > 0 ? Double(items) / seconds : 0 }
        /// Items per second of the fastest repetition (``rate`` when not repeated).
        public var bestRate: Double { fastest.map { $0.seconds > 0 ? Double($0.items) / $0.seconds : 0 } ?? rate }
        /// A readable line: name, items, seconds, rate (and the best repetition's rate).
        public var description: String {
            String(format: "%@: %d items in %.3f s = %.1f/s", name, items, seconds, rate)
                + (fastest == nil ? "" : String(format: " (best repetition %.1f/s)", bestRate))
        }

        /// A result from its parts.
        public init(name: String, items: Int, seconds: Double, fastest: (items: Int, seconds: Double)? = nil) {
            self.name = name
            self.items = items
            self.seconds = seconds
            self.fastest = fastest
        }
    }

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Tokenizes `texts` (`repeats` times in the timed run) on `threads` threads (0 = all cores).
    /// Each timed call starts with fresh merge caches, as a real batch would.
    public static func tokenizer(_ tokenizer: CLIPTokenizer, texts: [String], threads: Int = 0,
                                 repeats: Int = 1) -> Result {
        _ = tokenizer.tokenize(Array(texts.prefix(1000)), threads: threads)
        var best = Double.infinity
        let seconds = time {
            for _ in 0..<repeats { best = min(best, time { _ = tokenizer.tokenize(texts, threads: threads) }) }
        }
        return Result(name: "tokenizer (\(threads == 0 ? "all" : String(threads)) threads)",
                      items: texts.count * repeats, seconds: seconds, fastest: (texts.count, best))
    }
}

extension VisionBenchmark {
    /// Decodes and preprocesses every file once (after one warm-up file), on `threads` threads
    /// (0 = all cores), as the embedding pipeline's producer does.
    public static func decodeAndPreprocess(_ urls: [URL], preprocessor: CLIPPreprocessor = CLIPPreprocessor(),
                                           decoder: ImageDecoder = ImageDecoder(), threads: Int = 0,
                                           repeats: Int = 2) -> Result {
        let workers = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        if let first = urls.first {
            _ = PreparedBatch.prepare([first], decoder: decoder, preprocessor: preprocessor, threads: 1)
        }
        var failures = 0
        var best = Double.infinity
        let seconds = time {
            for _ in 0..<max(repeats, 1) {
                failures = 0
                best = min(best, time {
                    var start = 0
                    while start < urls.count {
                        let end = min(start + 64, urls.count)
                        let batch = PreparedBatch.prepare(Array(urls[start..<end]), decoder: decoder,
                                                          preprocessor: preprocessor, threads: workers)
                        failures += batch.urls.count - batch.okCount
                        start = end
                    }
                })
            }
        }
        return Result(name: "decode+preprocess (\(threads == 0 ? "all" : String(threads)) threads\(failures > 0 ? ", \(failures) failed" : ""))",
                      items: (urls.count - failures) * max(repeats, 1), seconds: seconds,
                      fastest: (urls.count - failures, best))
    }

    /// Image encoder alone: `batches` inferences of `batchSize` preprocessed images.
    public static func imageEncoder(_ model: CLIPModel, batchSize: Int = 32, batches: Int = 3) throws -> Result {
        let n = model.preprocessor.tensorCount
        let pixels = (0..<(batchSize * n)).map { Float(($0 * 31) % 255) / 128 - 1 }
        _ = try model.encode(pixels: pixels, count: batchSize)
        var best = Double.infinity
        let seconds = try time {
            for _ in 0..<batches { best = min(best, try time { _ = try model.encode(pixels: pixels, count: batchSize) }) }
        }
        return Result(name: "image encoder (batch \(batchSize))", items: batchSize * batches, seconds: seconds,
                      fastest: (batchSize, best))
    }

    /// Text encoder alone: `batches` inferences of `batchSize` texts (tokenizing included).
    public static func textEncoder(_ model: CLIPModel, texts: [String], batchSize: Int = 32, batches: Int = 3) throws -> Result {
        guard !texts.isEmpty else { throw VisionError.invalidArgument("no texts to benchmark") }
        let batch = (0..<batchSize).map { texts[$0 % texts.count] }
        _ = try model.encode(texts: batch, batchSize: batchSize)
        var best = Double.infinity
        let seconds = try time {
            for _ in 0..<batches { best = min(best, try time { _ = try model.encode(texts: batch, batchSize: batchSize) }) }
        }
        return Result(name: "text encoder (batch \(batchSize))", items: batchSize * batches, seconds: seconds,
                      fastest: (batchSize, best))
    }

    /// The full image pipeline (decode + preprocess overlapped with inference) over `urls`.
    public static func imagePipeline(_ model: CLIPModel, urls: [URL], batchSize: Int = 32,
                                     decoder: ImageDecoder = ImageDecoder()) throws -> Result {
        var done = 0
        var best = Double.infinity
        var last = DispatchTime.now().uptimeNanoseconds
        let seconds = try time {
            try model.encodeImages(at: urls, batchSize: batchSize, decoder: decoder) { batch in
                done += batch.count
                let now = DispatchTime.now().uptimeNanoseconds
                // Time between consecutive batches (the first includes start-up and is skipped).
                if done > batch.count, batch.count == batchSize { best = min(best, Double(now - last) / 1e9) }
                last = now
            }
        }
        return Result(name: "image pipeline (batch \(batchSize))", items: done, seconds: seconds,
                      fastest: best.isFinite ? (batchSize, best) : nil)
    }
}
