import DescryStore
import XCTest
@testable import DescryAnalysis

/// The threaded and packed paths against the plain ones: the same numbers bit for bit (every
/// row of a product is computed the same way however rows are split), the kernel against a
/// naive double-precision product, and FuDD's batched re-ranking against the plain one (the
/// same rankings, scores within 1e-5; bit for bit whatever the threads).
final class ThreadedPathsTests: XCTestCase {
    func randomMatrix(_ rows: Int, _ cols: Int, _ rng: inout SplitMix) -> Matrix {
        Matrix(rows: rows, columns: cols, values: (0..<(rows * cols)).map { _ in rng.nextFloat() - 0.5 })
    }

    func testThreadedAndPackedProductsEqualTheSingleThreadOneBitForBit() {
        var rng = SplitMix(state: 5)
        // Odd sizes: partial column tiles, rows not a multiple of the micro-kernel's height,
        // dimensions not a multiple of the vector width; some large enough to use threads.
        for (n, m, d) in [(1, 1, 1), (7, 17, 9), (16, 15, 33), (61, 70, 35), (200, 129, 64), (385, 1000, 100), (1031, 33, 512)] {
            let a = randomMatrix(n, d, &rng), b = randomMatrix(m, d, &rng)
            let one = SimilarityKernel.multiply(a, b, threads: 1)
            for t in [2, 3, 8] {
                XCTAssertEqual(SimilarityKernel.multiply(a, b, threads: t).values, one.values, "\(n)x\(m)x\(d), \(t) threads")
            }
            let packed = PackedMatrix(b, threads: 3)
            var blocked = [Float](repeating: .nan, count: n * m)
            a.values.withUnsafeBufferPointer { pa in blocked.withUnsafeMutableBufferPointer { pc in
                // Blocks of 5 rows and 2 threads: every row as in one product of all rows.
                var start = 0
                while start < n {
                    let rows = min(5, n - start)
                    packed.multiply(pa.baseAddress! + start * d, rows: rows, into: pc.baseAddress! + start * m, ldc: m, threads: 2)
                    start += rows
                }
            } }
            var whole = [Float](repeating: .nan, count: n * m)
            a.values.withUnsafeBufferPointer { pa in whole.withUnsafeMutableBufferPointer { pc in
                packed.multiply(pa.baseAddress!, rows: n, into: pc.baseAddress!, ldc: m, threads: 1)
            } }
            XCTAssertEqual(blocked, whole, "\(n)x\(m)x\(d) blocked")
            if n >= 16 { XCTAssertEqual(whole, one.values, "\(n)x\(m)x\(d) packed once vs packed per product") }
            var worst: Double = 0
            for i in 0..<n { for j in 0..<m {
                var want: Double = 0
                for k in 0..<d { want += Double(a.values[i * d + k]) * Double(b.values[j * d + k]) }
                worst = max(worst, abs(want - Double(whole[i * m + j])))
            } }
            XCTAssertLessThan(worst, 1e-4, "\(SimilarityKernel.path) \(n)x\(m)x\(d)")
        }
    }

    func testThreadedRankingEqualsTheSingleThreadOneWithTies() throws {
        var rng = SplitMix(state: 11)
        let dim = 24, classes = 37
        // Classes 3, 10 and 20 share one vector, so their scores tie exactly.
        var vectors = (0..<classes).map { _ in rng.unitVector(dim) }
        vectors[10] = vectors[3]; vectors[20] = vectors[3]
        for agg in Aggregation.allCases {
            let perClass = vectors.enumerated().map { c, v in c % 4 == 0 ? [v, rng.unitVector(dim)] : [v] }
            let head = try PromptHead(classVectors: perClass, dim: dim, aggregation: agg)
            let records = (0..<classes).map { ClassRecord(id: Int64($0 + 1), index: $0, name: "c\($0)") }
            let n = 1237
            let images = Matrix(rows: n, columns: dim, values: (0..<n).flatMap { _ in rng.unitVector(dim) })
            var ev = Evaluator(library: PromptLibrary(dataset: "t", classes: records),
                               images: LabelledImages(matrix: images, labels: (0..<n).map { $0 % classes }),
                               source: RandomTextVectors(dim: dim), blockSize: 100)
            let plain = images.values.withUnsafeBufferPointer { pi in
                (0..<n).map { i in Ranking.top(head.scores(pi.baseAddress! + i * dim, count: 1, threads: 1), count: 5) }
            }
            XCTAssertTrue(plain.contains { r in r.classes.contains(3) && r.classes.contains(10) }, "the data has ties in a top 5")
            for threads in [1, 2, 5] {
                XCTAssertEqual(ev.rank(head, count: 5, threads: threads), plain, "\(agg), \(threads) threads")
            }
            ev.blockSize = 4096
            XCTAssertEqual(ev.rank(head, count: 5, threads: 2), plain, "\(agg), one block")
        }
    }

    func testBatchedFuDDEqualsThePlainReRanking() throws {
        var rng = SplitMix(state: 3)
        let n = 40
        let classes = (0..<n).map { ClassRecord(id: Int64($0 + 1), index: $0, name: "class \($0)") }
        var diff: [PairKey: PairPrompts] = [:]
        for a in 0..<n { for b in (a + 1)..<n where rng.next() % 3 != 0 {
            // A small pool per class: sentences shared between pairs, so deduplication matters;
            // some pairs have one side only, some sides many sentences (the 4-row passes).
            let lo = (0..<Int(rng.next() % 3)).map { "class \(a) trait \(($0 + b) % 5)" }
            let hi = (0..<(1 + Int(rng.next() % 7))).map { "class \(b) trait \(($0 + a) % 9)" }
            diff[PairKey(a, b)] = PairPrompts(lo: lo, hi: hi)
        } }
        let lib = PromptLibrary(dataset: "t", classes: classes, differential: diff)
        // Dimensions: below one vector, with tails after the 8- and 32-float chunks, CLIP's.
        for (dim, count) in [(5, 120), (20, 301), (37, 200), (512, 150)] {
            let source = RandomTextVectors(dim: dim)
            let images = Matrix(rows: count, columns: dim, values: (0..<count).flatMap { _ in rng.unitVector(dim) })
            for agg in Aggregation.allCases {
                for dedup in [true, false] {
                    let fudd = try FuDDClassifier(library: lib, source: source, options: PromptOptions(deduplicate: dedup), aggregation: agg)
                    let candidates = images.values.withUnsafeBufferPointer { pi in
                        (0..<images.rows).map { i in Ranking.top(fudd.firstStep.scores(pi.baseAddress! + i * dim, count: 1), count: [1, 2, 7, 10, n][i % 5]).classes }
                    }
                    let plain = (0..<images.rows).map { i in plainRerank(fudd, images.row(i), candidates[i]) }
                    let single = (0..<images.rows).map { i in fudd.rerank(images.row(i), candidates: candidates[i]) }
                    XCTAssertEqual(single, plain, "\(agg), dedup \(dedup), dim \(dim)")
                    let one = images.values.withUnsafeBufferPointer { fudd.rerank($0.baseAddress!, candidates: candidates, threads: 1) }
                    assertClose(one, plain, "\(agg), dedup \(dedup), dim \(dim)")
                    for threads in [2, 4] {
                        let batch = images.values.withUnsafeBufferPointer { fudd.rerank($0.baseAddress!, candidates: candidates, threads: threads) }
                        XCTAssertEqual(batch, one, "\(agg), dedup \(dedup), dim \(dim), \(threads) threads")
                    }
                }
            }
        }
    }

    /// The batched re-ranking against the plain one: every class's score within 1e-5, and
    /// the same order except where two plain scores are themselves within 1e-5 (a tie that
    /// rounding may break either way).
    func assertClose(_ fast: [Ranking], _ plain: [Ranking], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(fast.count, plain.count, what, file: file, line: line)
        var differences = 0
        for (f, p) in zip(fast, plain) {
            XCTAssertEqual(Set(f.classes), Set(p.classes), what, file: file, line: line)
            XCTAssertEqual(f.classes.count, p.classes.count, what, file: file, line: line)
            let plainScore = Dictionary(zip(p.classes, p.scores), uniquingKeysWith: { a, _ in a })
            for (c, s) in zip(f.classes, f.scores) {
                XCTAssertEqual(s, plainScore[c] ?? .nan, accuracy: 1e-5, "\(what), class \(c)", file: file, line: line)
            }
            for q in p.classes.indices where f.classes[q] != p.classes[q] {
                differences += 1
                XCTAssertEqual(plainScore[f.classes[q]] ?? .nan, p.scores[q], accuracy: 1e-5, "\(what): order differs beyond a tie", file: file, line: line)
            }
        }
        // Ties are rare on random vectors: nearly every ranking is the same.
        XCTAssertLessThanOrEqual(differences, 2, what, file: file, line: line)
    }

    /// FuDD's re-ranking written plainly from `sentenceRows`, with the same arithmetic.
    func plainRerank(_ fudd: FuDDClassifier, _ image: [Float], _ candidates: [Int]) -> Ranking {
        guard candidates.count > 1 else { return Ranking(classes: candidates, scores: candidates.map { _ in 0 }) }
        let d = fudd.vectors.columns
        let scores: [Float] = candidates.map { c in
            let rows = fudd.sentenceRows(of: c, among: candidates)
            return image.withUnsafeBufferPointer { pi in fudd.vectors.values.withUnsafeBufferPointer { pv in
                let img = pi.baseAddress!, base = pv.baseAddress!
                switch fudd.aggregation {
                case .meanOfSimilarities:
                    var s: Float = 0
                    for r in rows { s += SimilarityKernel.dot(img, base + r * d, count: d) }
                    return s / Float(rows.count)
                case .similarityOfMean:
                    var sum = [Float](repeating: 0, count: d)
                    return sum.withUnsafeMutableBufferPointer { ps in
                        let p = ps.baseAddress!
                        for r in rows { FuDDClassifier.accumulate(base + r * d, into: p, count: d) }
                        let norm = SimilarityKernel.dot(p, p, count: d).squareRoot()
                        return norm > 0 ? SimilarityKernel.dot(img, p, count: d) / norm : 0
                    }
                }
            } }
        }
        let order = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        return Ranking(classes: order.map { candidates[$0] }, scores: order.map { scores[$0] })
    }
}
