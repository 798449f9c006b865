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
        /// Items per second.
        public var rate: Double { seconds > 0 ? Double(items) / seconds : 0 }
        /// A readable line: name, items, seconds, rate.
        public var description: String {
            String(format: "%@: %d items in %.3f s = %.1f/s", name, items, seconds, rate)
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
        let seconds = time { for _ in 0..<repeats { _ = tokenizer.tokenize(texts, threads: threads) } }
        return Result(name: "tokenizer (\(threads == 0 ? "all" : String(threads)) threads)",
                      items: texts.count * repeats, seconds: seconds)
    }
}
