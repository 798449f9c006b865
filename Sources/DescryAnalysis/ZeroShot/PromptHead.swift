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
    }

    /// Class scores (n×classCount, row-major) for `n` image vectors starting at `images`.
    public func scores(_ images: UnsafePointer<Float>, count n: Int) -> [Float] {
        let m = matrix.rows, d = matrix.columns
        var raw = [Float](repeating: 0, count: n * m)
        matrix.values.withUnsafeBufferPointer { pb in raw.withUnsafeMutableBufferPointer { pc in
            SimilarityKernel.multiply(images, rows: n, pb.baseAddress!, rows: m, dim: d, into: pc.baseAddress!, ldc: m)
        } }
        if aggregation == .similarityOfMean && m == classCount { return raw }
        var out = [Float](repeating: 0, count: n * classCount)
        var counts = [Float](repeating: 0, count: classCount)
        for o in owner { counts[o] += 1 }
        for i in 0..<n {
            for r in 0..<m { out[i * classCount + owner[r]] += raw[i * m + r] }
            for c in 0..<classCount where counts[c] > 0 { out[i * classCount + c] /= counts[c] }
        }
        return out
    }
}
