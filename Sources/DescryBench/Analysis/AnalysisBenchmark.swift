import DescryAnalysis
import DescryFakes
import DescryStore
import Foundation

/// The analysis benchmark: FuDD throughput on random embeddings (k = 10 over 1,000 classes by
/// default) and the similarity kernel on matrices it also writes to disk, so that numpy can
/// multiply the very same numbers (`Tests/Benchmarks/similarity_baseline.py`).
public struct AnalysisBenchmark {
    /// Number of classes.
    public var classes: Int
    /// Images re-ranked by FuDD.
    public var images: Int
    /// FuDD's k.
    public var k: Int
    /// Embedding dimension.
    public var dim: Int
    /// Rows of the image matrix of the kernel benchmark.
    public var kernelRows: Int
    /// Images of the large blocked evaluation (first step, top 5, over `classes`).
    public var evaluationImages: Int
    /// Where the matrices for the numpy baseline are written.
    public var outDirectory: String
    /// Threads of every measured part (the kernel, the blocked ranking, FuDD's re-ranking).
    public var threads: Int

    /// A benchmark configuration.
    public init(classes: Int = 1000, images: Int = 2000, k: Int = 10, dim: Int = 512, kernelRows: Int = 4096,
                evaluationImages: Int = 50_000, outDirectory: String, threads: Int = SimilarityKernel.defaultThreads) {
        self.threads = threads
        self.evaluationImages = evaluationImages
        self.classes = classes
        self.images = images
        self.k = k
        self.dim = dim
        self.kernelRows = kernelRows
        self.outDirectory = outDirectory
    }

    /// Deterministic random unit vectors per text.
    struct RandomSource: TextVectorSource {
        let dim: Int
        func vectors(for texts: [String]) throws -> [[Float]] {
            texts.map { t in
                var g = SplitMix64(state: t.utf8.reduce(0xcbf29ce484222325) { ($0 ^ UInt64($1)) &* 0x100000001b3 })
                return Matrix.normalized((0..<dim).map { _ in g.nextFloat() - 0.5 })
            }
        }
    }

    /// Runs both parts; the metrics are rates and milliseconds.
    public func run() throws -> [String: Double] {
        var metrics: [String: Double] = [:]
        var g = SplitMix64(state: 7)
        // FuDD: the pairs among each image's top k get sentences drawn from a pool of 8 per
        // class, so sentences are shared between pairs as in the real corpora.
        let records = (0..<classes).map { ClassRecord(id: Int64($0 + 1), index: $0, name: "class \($0)") }
        var library = PromptLibrary(dataset: "bench", classes: records)
        let source = RandomSource(dim: dim)
        let imageMatrix = Matrix(rows: images, columns: dim, values: (0..<images).flatMap { _ in Matrix.normalized((0..<dim).map { _ in g.nextFloat() - 0.5 }) })
        let templateHead = try PromptHead(classVectors: try source.vectors(for: records.indices.map { library.templatePrompt($0) }).map { [$0] },
                                          dim: dim, aggregation: .similarityOfMean)
        let evaluator = Evaluator(library: library, images: LabelledImages(matrix: imageMatrix, labels: (0..<images).map { $0 % classes }), source: source)
        let first = evaluator.rank(templateHead, count: k)
        if let p = templateHead.topK {
            let survivors = imageMatrix.values.withUnsafeBufferPointer { p.top($0.baseAddress!, rows: images, count: k, threads: threads).survivors }
            metrics["fudd_first_step_survivors_per_image"] = Double(survivors) / Double(images)
        }
        for r in first {
            for x in 0..<r.classes.count { for y in (x + 1)..<r.classes.count {
                let key = PairKey(r.classes[x], r.classes[y])
                if library.differential[key] != nil { continue }
                let h = UInt64(key.lo &* 7919 &+ key.hi)
                library.differential[key] = PairPrompts(lo: (0..<3).map { "class \(key.lo) trait \((h &+ UInt64($0)) % 8)" },
                                                        hi: (0..<3).map { "class \(key.hi) trait \((h &+ UInt64($0) &+ 3) % 8)" })
            } }
        }
        metrics["fudd_pairs"] = Double(library.differential.count)
        // Setup (distinct sentences embedded, pair table built) is timed apart from the
        // classification itself: first step + re-ranking of every image.
        for aggregation in [Aggregation.similarityOfMean, .meanOfSimilarities] {
            // Metric names: similarity of mean (the default) unprefixed, as before.
            let tag = aggregation == .similarityOfMean ? "fudd" : "fudd_mean_of_similarities"
            let s0 = Date()
            let fudd = try FuDDClassifier(library: library, source: source, aggregation: aggregation)
            metrics[tag + "_setup_seconds"] = Date().timeIntervalSince(s0)
            let t0 = Date()
            let ranked = evaluator.rank(fudd.firstStep, count: k, threads: threads)
            let reranked = imageMatrix.values.withUnsafeBufferPointer { pi in
                fudd.rerank(pi.baseAddress!, candidates: ranked.map(\.classes), threads: threads)
            }
            let correct = reranked.indices.filter { reranked[$0].classes.first == $0 % classes }.count
            let seconds = Date().timeIntervalSince(t0)
            metrics[tag + "_images_per_second"] = Double(images) / seconds
            metrics[tag + "_seconds"] = seconds
            metrics[tag + "_top1"] = Double(correct) / Double(images)
            // The check: the plain re-ranking, image by image, on the same candidates.
            let check = try Self.compare(reranked, plain: imageMatrix.values.withUnsafeBufferPointer { pi in
                ranked.indices.map { fudd.rerank(pi.baseAddress! + $0 * dim, candidates: ranked[$0].classes) }
            })
            metrics[tag + "_check_max_score_difference"] = check.maxScoreDifference
            metrics[tag + "_check_top1_differences"] = Double(check.top1Differences)
        }
        // Kernel: kernelRows × dim against classes × dim, same bytes as numpy reads.
        let a = Matrix(rows: kernelRows, columns: dim, values: (0..<(kernelRows * dim)).map { _ in g.nextFloat() - 0.5 })
        let b = Matrix(rows: classes, columns: dim, values: (0..<(classes * dim)).map { _ in g.nextFloat() - 0.5 })
        try FileManager.default.createDirectory(atPath: outDirectory, withIntermediateDirectories: true)
        try write(a, to: outDirectory + "/a.f32")
        try write(b, to: outDirectory + "/b.f32")
        var best = Double.infinity
        var c = [Float](repeating: 0, count: kernelRows * classes)
        for _ in 0..<5 {
            let s = Date()
            a.values.withUnsafeBufferPointer { pa in b.values.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
                SimilarityKernel.multiply(pa.baseAddress!, rows: kernelRows, pb.baseAddress!, rows: classes, dim: dim, into: pc.baseAddress!, ldc: classes, threads: threads)
            } } }
            best = min(best, Date().timeIntervalSince(s))
        }
        try write(Matrix(rows: kernelRows, columns: classes, values: c), to: outDirectory + "/c.f32")
        metrics["kernel_ms"] = best * 1000
        metrics["kernel_gflops"] = 2 * Double(kernelRows) * Double(classes) * Double(dim) / best / 1e9
        // The large evaluation: blocked product and top 5 over every image, memory bounded by
        // the image matrix plus one block of scores.
        if evaluationImages > 0 {
            let big = Matrix(rows: evaluationImages, columns: dim, values: (0..<(evaluationImages * dim)).map { _ in g.nextFloat() - 0.5 })
            let ev = Evaluator(library: library, images: LabelledImages(matrix: big, labels: (0..<evaluationImages).map { $0 % classes }), source: source)
            let s = Date()
            let ranked = ev.rank(templateHead, count: 5, threads: threads)
            let t = Date().timeIntervalSince(s)
            metrics["evaluation_images"] = Double(ranked.count)
            metrics["evaluation_images_per_second"] = Double(ranked.count) / t
            metrics["evaluation_seconds"] = t
            // The same ranking through the full fp32 product (the path before the prefilter),
            // and the check that both give the same classes and scores, bit for bit.
            let s2 = Date()
            let full = ev.rank(templateHead, count: 5, threads: threads, prefilter: false)
            let t2 = Date().timeIntervalSince(s2)
            metrics["evaluation_fp32_images_per_second"] = Double(full.count) / t2
            metrics["evaluation_check_differing_images"] = Double(zip(ranked, full).filter { $0 != $1 }.count)
            if let p = templateHead.topK {
                let survivors = big.values.withUnsafeBufferPointer { p.top($0.baseAddress!, rows: evaluationImages, count: 5, threads: threads).survivors }
                metrics["evaluation_survivors_per_image"] = Double(survivors) / Double(evaluationImages)
            }
        }
        metrics["peak_rss_mb"] = Self.peakMemoryMB()
        metrics["rows"] = Double(kernelRows)
        metrics["classes"] = Double(classes)
        metrics["dim"] = Double(dim)
        metrics["threads"] = Double(threads)
        return metrics
    }

    /// How far the batched FuDD re-ranking is from the plain one: the largest score difference
    /// of a class and the images whose best class differs. Throws when a score differs by more
    /// than 1e-5 or an order differs where the plain scores are not within 1e-5 (a tie).
    static func compare(_ fast: [Ranking], plain: [Ranking]) throws -> (maxScoreDifference: Double, top1Differences: Int) {
        var worst: Double = 0, top1 = 0
        for (i, (f, p)) in zip(fast, plain).enumerated() {
            let plainScore = Dictionary(zip(p.classes, p.scores), uniquingKeysWith: { a, _ in a })
            guard f.classes.count == p.classes.count, Set(f.classes) == Set(p.classes) else {
                throw AnalysisError.invalidArgument("FuDD check: image \(i) re-ranked other classes than the plain re-ranking")
            }
            for (c, s) in zip(f.classes, f.scores) { worst = max(worst, Double(abs(s - (plainScore[c] ?? .infinity)))) }
            for q in p.classes.indices where f.classes[q] != p.classes[q] {
                if q == 0 { top1 += 1 }
                if abs((plainScore[f.classes[q]] ?? .infinity) - p.scores[q]) > 1e-5 {
                    throw AnalysisError.invalidArgument("FuDD check: image \(i) ranked differently from the plain re-ranking at place \(q + 1)")
                }
            }
        }
        if worst > 1e-5 { throw AnalysisError.invalidArgument("FuDD check: a score differs from the plain re-ranking's by \(worst)") }
        return (worst, top1)
    }

    /// The process's peak resident memory (VmHWM), in MB; 0 where /proc is unavailable.
    static func peakMemoryMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }

    func write(_ m: Matrix, to path: String) throws {
        let data = m.values.withUnsafeBufferPointer { Data(buffer: $0) }
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw AnalysisError.invalidArgument("\(path): cannot write the benchmark matrix; check the --out folder")
        }
    }
}
