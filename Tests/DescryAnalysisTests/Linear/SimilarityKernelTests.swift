import XCTest
@testable import DescryAnalysis

final class SimilarityKernelTests: XCTestCase {
    func testBlockedProductEqualsNaiveProductForAwkwardShapes() {
        var rng = SplitMix(state: 42)
        for (n, m, d) in [(1, 1, 1), (5, 3, 7), (9, 11, 33), (4, 2, 8), (13, 5, 64), (70, 69, 35), (8, 8, 16)] {
            let a = Matrix(rows: n, columns: d, values: (0..<(n * d)).map { _ in rng.nextFloat() - 0.5 })
            let b = Matrix(rows: m, columns: d, values: (0..<(m * d)).map { _ in rng.nextFloat() - 0.5 })
            let c = SimilarityKernel.multiply(a, b)
            var portable = [Float](repeating: 0, count: n * m)
            a.values.withUnsafeBufferPointer { pa in b.values.withUnsafeBufferPointer { pb in portable.withUnsafeMutableBufferPointer { pc in
                SimilarityKernel.multiplyPortable(pa.baseAddress!, rows: n, pb.baseAddress!, rows: m, dim: d, into: pc.baseAddress!, ldc: m)
            } } }
            for i in 0..<n { for j in 0..<m {
                let want = (0..<d).map { a.values[i * d + $0] * b.values[j * d + $0] }.reduce(0, +)
                XCTAssertEqual(c.values[i * m + j], want, accuracy: 1e-5, "\(SimilarityKernel.path) \(n)x\(m)x\(d) at \(i),\(j)")
                XCTAssertEqual(portable[i * m + j], want, accuracy: 1e-5, "portable \(n)x\(m)x\(d) at \(i),\(j)")
            } }
        }
    }

    func testRankingKeepsTheBestInOrderWithTiesByPosition() {
        let r = Ranking.top([0.1, 0.9, 0.5, 0.9, -1], count: 3)
        XCTAssertEqual(r.classes, [1, 3, 2])
        XCTAssertEqual(Ranking.top([0.3], count: 5).classes, [0])
    }
}
