import CAnalysisKernel

/// The exact top k of A·Bᵀ per image through an int16 prefilter with a proven error bound
/// (`descry_topk` in CAnalysisKernel): classes that provably cannot be among an image's top k
/// are skipped, the survivors rescored with the kernel's own fp32 arithmetic, so the result
/// equals `PackedMatrix.multiply` followed by `Ranking.top`, classes and scores bit for bit.
public final class ExactTopK: @unchecked Sendable {
    // Immutable after init; descry_topk only reads it, from any number of threads.
    private let index: OpaquePointer
    /// The class matrix, for the exact rescoring (shared storage with the head's, not a copy).
    private let classes: Matrix
    /// Rows of B (the classes).
    public let rows: Int
    /// Columns of B (the vector dimension).
    public let columns: Int

    /// Quantises `matrix`; nil when out of memory.
    public init?(_ matrix: Matrix) {
        guard let ix = matrix.values.withUnsafeBufferPointer({ pb in
            descry_topk_prepare(pb.baseAddress ?? UnsafePointer(bitPattern: 16)!, matrix.rows, matrix.columns)
        }) else { return nil }
        index = ix
        classes = matrix
        rows = matrix.rows
        columns = matrix.columns
    }

    deinit { descry_topk_free(index) }

    /// The prefilter's integer kernel: "avx2-int16", "portable-int16" or "exact".
    public var path: String { String(cString: descry_topk_path(index)) }

    /// The best `count` classes of each of the `n` images at `images` (n × `columns`), on up to
    /// `threads` threads, and the number of (image, class) pairs scored exactly.
    public func top(_ images: UnsafePointer<Float>, rows n: Int, count: Int,
                    threads: Int = SimilarityKernel.defaultThreads) -> (rankings: [Ranking], survivors: Int) {
        let k = min(count, rows)
        guard n > 0, k > 0 else { return ([Ranking](repeating: Ranking(classes: [], scores: []), count: max(0, n)), 0) }
        var classes = [Int32](repeating: 0, count: n * k)
        var scores = [Float](repeating: 0, count: n * k)
        let survivors = self.classes.values.withUnsafeBufferPointer { pb in
            classes.withUnsafeMutableBufferPointer { pc in scores.withUnsafeMutableBufferPointer { ps in
                descry_topk(index, pb.baseAddress ?? UnsafePointer(bitPattern: 16)!, images, n, k, pc.baseAddress!, ps.baseAddress!, Int32(clamping: threads))
            } }
        }
        var out: [Ranking] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            out.append(Ranking(classes: classes[(i * k)..<((i + 1) * k)].map { Int($0) }, scores: Array(scores[(i * k)..<((i + 1) * k)])))
        }
        return (out, Int(survivors))
    }
}
