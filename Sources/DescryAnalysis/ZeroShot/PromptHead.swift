/// A classifier head over per-class prompt embeddings: with similarity of mean, one
/// normalised mean vector per class; with mean of similarities, every prompt vector and the
/// class it belongs to. Scores are raw cosines (or mean cosines).
public struct PromptHead: Sendable {
    /// The vectors scored against images: one per class, or one per prompt.
    public let matrix: Matrix
    /// For each row of `matrix`, its class position.
    public let owner: [Int]
    /// Number of classes.
    public let classCount: Int
    /// The aggregation.
    public let aggregation: Aggregation
    /// `matrix` packed for the similarity kernel, once for every block of images.
    public let packed: PackedMatrix
    /// With one vector per class, the exact top-k prefilter over `matrix` (nil otherwise, or
    /// when out of memory); `Evaluator.rank` uses it for rankings shorter than a quarter of the
    /// classes.
    public let topK: ExactTopK?

    /// A head from each class's prompt vectors (unit vectors, all of dimension `dim`).
    public init(classVectors: [[[Float]]], dim: Int, aggregation: Aggregation) throws {
        self.aggregation = aggregation
        self.classCount = classVectors.count
        var rows: [[Float]] = [], owner: [Int] = []
        for (c, vs) in classVectors.enumerated() {
            for v in vs where v.count != dim { throw AnalysisError.dimensionMismatch(expected: dim, found: v.count, what: "a text embedding") }
            switch aggregation {
            case .similarityOfMean:
                rows.append(Matrix.normalizedMean(vs, dim: dim)); owner.append(c)
            case .meanOfSimilarities:
                for v in vs { rows.append(v); owner.append(c) }
            }
        }
        self.matrix = try Matrix(rows: rows, columns: dim, what: "a text embedding")
        self.owner = owner
        self.packed = PackedMatrix(matrix)
        self.topK = aggregation == .similarityOfMean && matrix.rows == classVectors.count ? ExactTopK(matrix) : nil
    }

    /// The prefilter to use for a ranking of `count` classes: worth it while most classes can
    /// be skipped.
    func prefilter(for count: Int) -> ExactTopK? {
        guard let t = topK, count > 0, count * 4 <= classCount else { return nil }
        return t
    }

    /// Class scores (n×classCount, row-major) for `n` image vectors starting at `images`, the
    /// product on up to `threads` threads.
    public func scores(_ images: UnsafePointer<Float>, count n: Int, threads: Int = SimilarityKernel.defaultThreads) -> [Float] {
        var out = [Float](repeating: 0, count: n * classCount)
        var raw: [Float] = []
        out.withUnsafeMutableBufferPointer { po in
            scores(images, count: n, into: po.baseAddress!, scratch: &raw, threads: threads)
        }
        return out
    }

    /// Class scores for `n` images written into `out` (n × classCount); `scratch` holds the
    /// per-prompt products of mean of similarities between calls (reused, grown as needed).
    public func scores(_ images: UnsafePointer<Float>, count n: Int, into out: UnsafeMutablePointer<Float>,
                       scratch: inout [Float], threads: Int = SimilarityKernel.defaultThreads) {
        let m = matrix.rows
        guard n > 0, classCount > 0 else { return }
        if aggregation == .similarityOfMean && m == classCount {
            packed.multiply(images, rows: n, into: out, ldc: m, threads: threads)
            return
        }
        if scratch.count < n * m { scratch = [Float](repeating: 0, count: n * m) }
        scratch.withUnsafeMutableBufferPointer { pr in
            let raw = pr.baseAddress!
            if m > 0 { packed.multiply(images, rows: n, into: raw, ldc: m, threads: threads) }
            var counts = [Float](repeating: 0, count: classCount)
            for o in owner { counts[o] += 1 }
            out.update(repeating: 0, count: n * classCount)
            for i in 0..<n {
                for r in 0..<m { out[i * classCount + owner[r]] += raw[i * m + r] }
                for c in 0..<classCount where counts[c] > 0 { out[i * classCount + c] /= counts[c] }
            }
        }
    }
}
