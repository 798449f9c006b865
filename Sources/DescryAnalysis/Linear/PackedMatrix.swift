import CAnalysisKernel

/// A matrix B (m×d) packed once into the similarity kernel's tile layout for this CPU, so that
/// many products A·Bᵀ against it (blocks of images against a head's class vectors) skip the
/// packing pass. Every row of a product is computed the same way whatever the block size and
/// the thread count, so blocked and threaded results equal a single product bit for bit.
public struct PackedMatrix: Sendable {
    /// Rows of B.
    public let rows: Int
    /// Columns of B (the vector dimension).
    public let columns: Int
    /// The packed floats (from their first 64-byte boundary on; see `descry_pack`).
    let packed: [Float]

    /// Packs `matrix` on up to `threads` threads.
    public init(_ matrix: Matrix, threads: Int = SimilarityKernel.defaultThreads) {
        rows = matrix.rows
        columns = matrix.columns
        var out = [Float](repeating: 0, count: descry_packed_size(matrix.rows, matrix.columns))
        matrix.values.withUnsafeBufferPointer { pb in out.withUnsafeMutableBufferPointer { po in
            if let b = pb.baseAddress { descry_pack(b, matrix.rows, matrix.columns, po.baseAddress!, Int32(clamping: threads)) }
        } }
        packed = out
    }

    /// Writes A·Bᵀ into `c` (n × `rows`, leading dimension `ldc`) for A (n × `columns`) on up to
    /// `threads` threads.
    public func multiply(_ a: UnsafePointer<Float>, rows n: Int, into c: UnsafeMutablePointer<Float>, ldc: Int,
                         threads: Int = SimilarityKernel.defaultThreads) {
        packed.withUnsafeBufferPointer { pp in
            descry_similarity_packed(a, n, pp.baseAddress!, rows, columns, c, ldc, Int32(clamping: threads))
        }
    }
}
