import CAnalysisKernel
import Foundation

/// The similarity kernel: C = A·Bᵀ for row-major A (n×d) and B (m×d), the cosine matrix of
/// unit vectors. `multiply` runs the C kernel (B packed in column tiles, register-blocked,
/// AVX-512 or AVX2+FMA chosen at run time, rows of A split between threads);
/// `multiplyPortable` is a plain blocking in Swift SIMD, kept as the reference the tests
/// compare against. Callers block over rows to bound memory.
public enum SimilarityKernel {
    /// The code path of `multiply` on this CPU: "avx512", "avx2" or "portable".
    public static var path: String { String(cString: descry_similarity_path()) }

    /// For benchmarks and tests: makes every later product use `path` ("avx512", "avx2",
    /// "portable", or "auto" for the best this CPU has); false when the CPU lacks it. Heads and
    /// packed matrices made before the change must not be used after it.
    @discardableResult
    public static func force(path: String) -> Bool { descry_force_similarity_path(path) != 0 }

    /// The threads a product uses unless the caller says otherwise: the active cores.
    public static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Writes A·Bᵀ into `c` (n×m, row-major, leading dimension `ldc`) on up to `threads`
    /// threads (small products stay on one); the result does not depend on `threads`.
    public static func multiply(_ a: UnsafePointer<Float>, rows n: Int, _ b: UnsafePointer<Float>, rows m: Int, dim d: Int,
                                into c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int = defaultThreads) {
        descry_similarity_threads(a, n, b, m, d, c, ldc, Int32(clamping: threads))
    }

    /// Writes A·Bᵀ into `c` with Swift's 4-wide SIMD (4 rows of A × 2 rows of B per step).
    public static func multiplyPortable(_ a: UnsafePointer<Float>, rows n: Int, _ b: UnsafePointer<Float>, rows m: Int, dim d: Int,
                                into c: UnsafeMutablePointer<Float>, ldc: Int) {
        let d4 = d & ~3
        var i = 0
        while i + 4 <= n {
            let a0 = a + i * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d
            var j = 0
            while j + 2 <= m {
                let b0 = b + j * d, b1 = b0 + d
                var s00 = SIMD4<Float>(), s01 = SIMD4<Float>(), s10 = SIMD4<Float>(), s11 = SIMD4<Float>()
                var s20 = SIMD4<Float>(), s21 = SIMD4<Float>(), s30 = SIMD4<Float>(), s31 = SIMD4<Float>()
                var k = 0
                while k < d4 {
                    let y0 = load(b0 + k), y1 = load(b1 + k)
                    let x0 = load(a0 + k), x1 = load(a1 + k), x2 = load(a2 + k), x3 = load(a3 + k)
                    s00 += x0 * y0; s01 += x0 * y1
                    s10 += x1 * y0; s11 += x1 * y1
                    s20 += x2 * y0; s21 += x2 * y1
                    s30 += x3 * y0; s31 += x3 * y1
                    k += 4
                }
                var r = [s00.sum(), s01.sum(), s10.sum(), s11.sum(), s20.sum(), s21.sum(), s30.sum(), s31.sum()]
                while k < d {
                    r[0] += a0[k] * b0[k]; r[1] += a0[k] * b1[k]
                    r[2] += a1[k] * b0[k]; r[3] += a1[k] * b1[k]
                    r[4] += a2[k] * b0[k]; r[5] += a2[k] * b1[k]
                    r[6] += a3[k] * b0[k]; r[7] += a3[k] * b1[k]
                    k += 1
                }
                for q in 0..<4 {
                    c[(i + q) * ldc + j] = r[2 * q]
                    c[(i + q) * ldc + j + 1] = r[2 * q + 1]
                }
                j += 2
            }
            if j < m {
                let bj = b + j * d
                c[i * ldc + j] = dot(a0, bj, count: d)
                c[(i + 1) * ldc + j] = dot(a1, bj, count: d)
                c[(i + 2) * ldc + j] = dot(a2, bj, count: d)
                c[(i + 3) * ldc + j] = dot(a3, bj, count: d)
            }
            i += 4
        }
        while i < n {
            for j in 0..<m { c[i * ldc + j] = dot(a + i * d, b + j * d, count: d) }
            i += 1
        }
    }

    /// A·Bᵀ of two matrices as a new matrix, on up to `threads` threads.
    public static func multiply(_ a: Matrix, _ b: Matrix, threads: Int = defaultThreads) -> Matrix {
        precondition(a.columns == b.columns, "dimension mismatch")
        guard a.rows > 0, b.rows > 0 else { return Matrix(rows: a.rows, columns: b.rows) }
        var out = [Float](repeating: 0, count: a.rows * b.rows)
        a.values.withUnsafeBufferPointer { pa in b.values.withUnsafeBufferPointer { pb in out.withUnsafeMutableBufferPointer { pc in
            multiply(pa.baseAddress!, rows: a.rows, pb.baseAddress!, rows: b.rows, dim: a.columns, into: pc.baseAddress!, ldc: b.rows, threads: threads)
        } } }
        return Matrix(rows: a.rows, columns: b.rows, values: out)
    }

    /// The dot product of two vectors of `count` floats.
    @inline(__always)
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count d: Int) -> Float {
        var s0 = SIMD4<Float>(), s1 = SIMD4<Float>()
        var k = 0
        while k + 8 <= d {
            s0 += load(x + k) * load(y + k)
            s1 += load(x + k + 4) * load(y + k + 4)
            k += 8
        }
        var s = (s0 + s1).sum()
        while k < d { s += x[k] * y[k]; k += 1 }
        return s
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
    }
}
