import DescryFakes
import DescryStore
import XCTest
@testable import DescryAnalysis

/// The exact top-k prefilter against the full fp32 product followed by `Ranking.top`: the same
/// classes and the same scores bit for bit, on every kernel path this CPU has, for random and
/// adversarial inputs (ties, near-ties, large and small norms, awkward dimensions, k up to the
/// number of classes, non-finite images) and across thread counts.
final class ExactTopKTests: XCTestCase {
    override func tearDown() { SimilarityKernel.force(path: "auto") }

    /// Every path of this CPU, best first.
    var paths: [String] { ["avx512", "avx2", "portable"].filter { SimilarityKernel.force(path: $0) } }

    /// The reference: the packed fp32 product of the head's path and `Ranking.top`.
    func reference(_ images: Matrix, _ classes: Matrix, k: Int) -> [Ranking] {
        let packed = PackedMatrix(classes)
        var c = [Float](repeating: 0, count: images.rows * classes.rows)
        images.values.withUnsafeBufferPointer { pa in c.withUnsafeMutableBufferPointer { pc in
            packed.multiply(pa.baseAddress!, rows: images.rows, into: pc.baseAddress!, ldc: classes.rows, threads: 1)
        } }
        return (0..<images.rows).map { i in c.withUnsafeBufferPointer { Ranking.top(UnsafeBufferPointer(rebasing: $0[(i * classes.rows)..<((i + 1) * classes.rows)]), count: k) } }
    }

    func assertSame(_ got: [Ranking], _ want: [Ranking], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.count, want.count, what, file: file, line: line)
        for (i, (g, w)) in zip(got, want).enumerated() {
            // Bit patterns, so that NaN scores compare too.
            if g.classes != w.classes || g.scores.map(\.bitPattern) != w.scores.map(\.bitPattern) {
                XCTFail("\(what): image \(i): \(g) against \(w)", file: file, line: line)
                return
            }
        }
    }

    func check(_ images: Matrix, _ classes: Matrix, ks: [Int], _ what: String, minimumPruned: Double? = nil,
               file: StaticString = #filePath, line: UInt = #line) {
        for path in paths {
            XCTAssertTrue(SimilarityKernel.force(path: path))
            guard let index = ExactTopK(classes) else { return XCTFail("out of memory") }
            for k in ks {
                let want = reference(images, classes, k: k)
                for threads in [1, 2, 3] {
                    let got = images.values.withUnsafeBufferPointer { index.top($0.baseAddress!, rows: images.rows, count: k, threads: threads) }
                    assertSame(got.rankings, want, "\(what), \(path) (\(index.path)), k \(k), \(threads) threads", file: file, line: line)
                    if let p = minimumPruned, threads == 1 {
                        let pruned = 1 - Double(got.survivors) / Double(images.rows * classes.rows)
                        XCTAssertGreaterThan(pruned, p, "\(what), \(path): the bound should skip most classes", file: file, line: line)
                    }
                }
            }
        }
    }

    func random(_ rows: Int, _ d: Int, _ g: inout SplitMix64, unit: Bool = false, scale: Float = 1) -> Matrix {
        Matrix(rows: rows, columns: d, values: (0..<rows).flatMap { _ -> [Float] in
            let v = (0..<d).map { _ in (g.nextFloat() - 0.5) * scale }
            return unit ? Matrix.normalized(v) : v
        })
    }

    func testRandomShapesEqualTheFullProduct() {
        var g = SplitMix64(state: 11)
        for (n, m, d) in [(1, 1, 1), (7, 2, 3), (13, 17, 31), (40, 33, 33), (25, 100, 512), (9, 2000, 65)] {
            let images = random(n, d, &g), classes = random(m, d, &g, unit: true)
            check(images, classes, ks: Array(Set([1, 5, min(m, 10), m])).sorted(), "\(n)×\(m)×\(d)")
        }
    }

    func testTheBoundSkipsMostClassesOnRandomUnitVectors() {
        var g = SplitMix64(state: 5)
        check(random(64, 512, &g), random(1000, 512, &g, unit: true), ks: [5], "1000 classes", minimumPruned: 0.9)
    }

    func testTiesAndNearTiesKeepTheLowerClassFirst() {
        var g = SplitMix64(state: 3)
        let d = 37
        var rows: [[Float]] = []
        let base = random(6, d, &g, unit: true)
        for c in 0..<60 {
            var v = base.row(c % 6)
            // Exact duplicates, and copies one ulp away in one coordinate.
            if c % 4 == 1 { v[c % d] = v[c % d].nextUp }
            if c % 4 == 2 { v[c % d] = v[c % d].nextDown }
            rows.append(v)
        }
        let classes = try! Matrix(rows: rows)
        var images = random(12, d, &g)
        for i in 0..<6 { images.setRow(i, base.row(i)) }  // images equal to class vectors
        check(images, classes, ks: [1, 3, 7, 60], "ties")
    }

    /// Quantisation reverses the order of two classes whose scores differ by less than a
    /// quantisation step: class 1's true score is higher, its approximate score lower. Only
    /// the error bound keeps class 1 among the survivors.
    func testClassesTheQuantisationMisordersAreStillRankedExactly() {
        for d in [2, 9, 512] {
            let q = (2_147_483_647 / Double((d + 1) & ~1)).squareRoot().rounded(.down)
            var a = [Float](repeating: 0, count: d), b = a, filler = a
            a[0] = 1; a[1] = Float(0.4 / q)            // x·a = 1 + 0.4/Q, quantised to (1, 0)
            b[0] = 1 + Float(0.3 / q)                   // x·b = 1 + 0.3/Q, quantised exactly
            filler[0] = 0.5
            let classes = try! Matrix(rows: [filler, a, b, filler])
            var x = [Float](repeating: 0, count: d); x[0] = 1; x[1] = 1
            let images = try! Matrix(rows: [x, x.map { $0 * 3 }])
            XCTAssertEqual(reference(images, classes, k: 1).first?.classes, [1])
            check(images, classes, ks: [1, 2], "misordered by quantisation, d \(d)")
        }
    }

    func testLargeSmallAndZeroNormsAndNonFiniteImages() {
        var g = SplitMix64(state: 9)
        let d = 20
        var classes = random(50, d, &g, unit: true)
        classes.setRow(3, [Float](repeating: 0, count: d))
        classes.setRow(4, random(1, d, &g, scale: 1e12).row(0))
        classes.setRow(5, random(1, d, &g, scale: 1e-30).row(0))
        var images = random(10, d, &g)
        images.setRow(0, random(1, d, &g, scale: 1e15).row(0))
        images.setRow(1, random(1, d, &g, scale: 1e-35).row(0))
        images.setRow(2, [Float](repeating: 0, count: d))
        var bad = images.row(3); bad[4] = .nan; images.setRow(3, bad)
        bad = images.row(4); bad[0] = .infinity; images.setRow(4, bad)
        check(images, classes, ks: [1, 4, 50], "extreme norms")
        // Classes the bound cannot cover (a huge row): every class rescored, still exact.
        classes.setRow(7, random(1, d, &g, scale: 1e25).row(0))
        check(random(8, d, &g), classes, ks: [2], "unbounded classes")
    }

    func testEvaluatorRankingIsTheSameWithAndWithoutThePrefilter() throws {
        var g = SplitMix64(state: 21)
        let d = 48, m = 300
        let head = try PromptHead(classVectors: (0..<m).map { _ in [Matrix.normalized((0..<d).map { _ in g.nextFloat() - 0.5 })] }, dim: d, aggregation: .similarityOfMean)
        XCTAssertNotNil(head.topK)
        let images = random(2500, d, &g)
        let library = PromptLibrary(dataset: "t", classes: (0..<m).map { ClassRecord(id: Int64($0 + 1), index: $0, name: "c\($0)") })
        let ev = Evaluator(library: library, images: LabelledImages(matrix: images, labels: (0..<2500).map { $0 % m }), source: NoVectors(), blockSize: 700)
        for threads in [1, 2] {
            assertSame(ev.rank(head, count: 5, threads: threads), ev.rank(head, count: 5, threads: threads, prefilter: false), "evaluator, \(threads) threads")
        }
    }

    struct NoVectors: TextVectorSource {
        func vectors(for texts: [String]) throws -> [[Float]] { throw AnalysisError.invalidArgument("not used") }
    }
}
