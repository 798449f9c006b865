/// A dense row-major float32 matrix: one vector per row.
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public private(set) var rows: Int
    /// Number of columns (the vector dimension).
    public let columns: Int
    /// The values, row after row.
    public private(set) var values: [Float]

    /// A zero matrix.
    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        self.values = [Float](repeating: 0, count: rows * columns)
    }

    /// A matrix over `values` (row after row; `values.count` must be `rows * columns`).
    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "matrix values do not fill rows × columns")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A matrix from rows of equal length; `what` names them in the error.
    public init(rows vectors: [[Float]], columns: Int? = nil, what: String = "a vector") throws {
        let dim = columns ?? vectors.first?.count ?? 0
        self.rows = vectors.count
        self.columns = dim
        var v = [Float]()
        v.reserveCapacity(vectors.count * dim)
        for r in vectors {
            guard r.count == dim else { throw AnalysisError.dimensionMismatch(expected: dim, found: r.count, what: what) }
            v.append(contentsOf: r)
        }
        self.values = v
    }

    /// One row as an array.
    public func row(_ i: Int) -> [Float] { Array(values[(i * columns)..<((i + 1) * columns)]) }

    /// Appends a row.
    public mutating func append(_ vector: [Float]) throws {
        guard vector.count == columns else { throw AnalysisError.dimensionMismatch(expected: columns, found: vector.count, what: "a vector") }
        values.append(contentsOf: vector)
        rows += 1
    }

    /// Replaces row `i`.
    public mutating func setRow(_ i: Int, _ vector: [Float]) {
        values.replaceSubrange((i * columns)..<((i + 1) * columns), with: vector)
    }

    /// The L2-normalised mean of `vectors` (a zero vector stays zero): "similarity of mean".
    public static func normalizedMean(_ vectors: [[Float]], dim: Int) -> [Float] {
        var sum = [Float](repeating: 0, count: dim)
        for v in vectors { for j in 0..<dim { sum[j] += v[j] } }
        return normalized(sum)
    }

    /// `v` scaled to unit length (a zero vector stays zero).
    public static func normalized(_ v: [Float]) -> [Float] {
        var n: Float = 0
        for x in v { n += x * x }
        guard n > 0 else { return v }
        let s = 1 / n.squareRoot()
        return v.map { $0 * s }
    }

    /// The dot product of two equal-length vectors.
    public static func dot(_ a: [Float], _ b: [Float]) -> Float {
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
            SimilarityKernel.dot(pa.baseAddress!, pb.baseAddress!, count: min(a.count, b.count))
        } }
    }
}
