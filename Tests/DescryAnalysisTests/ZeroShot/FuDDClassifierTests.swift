import DescryStore
import XCTest
@testable import DescryAnalysis

final class FuDDClassifierTests: XCTestCase {
    /// A library of `n` classes where some pairs have sentences (some shared between pairs,
    /// as in the real corpora) and others have none.
    func randomLibrary(classes n: Int, seed: UInt64) -> PromptLibrary {
        var rng = SplitMix(state: seed)
        let classes = (0..<n).map { ClassRecord(id: Int64($0 + 1), index: $0, name: "class \($0)") }
        var diff: [PairKey: PairPrompts] = [:]
        for a in 0..<n { for b in (a + 1)..<n where rng.next() % 4 != 0 {
            let count = 1 + Int(rng.next() % 4)
            var p = PairPrompts()
            for q in 0..<count {
                // Every third sentence is shared by all pairs of its class (dedup must happen).
                p.lo.append(q % 3 == 2 ? "class \(a) shared trait" : "class \(a) vs \(b) trait \(q)")
                p.hi.append(q % 3 == 2 ? "class \(b) shared trait" : "class \(b) vs \(a) trait \(q)")
            }
            diff[PairKey(a, b)] = p
        } }
        return PromptLibrary(dataset: "random", classes: classes, differential: diff)
    }

    /// The paper's procedure written out directly, as the reference code does it.
    func slowFuDD(_ image: [Float], library: PromptLibrary, source: RandomTextVectors, k: Int, dedup: Bool = true) -> [Int] {
        let n = library.classes.count
        let template = (0..<n).map { source.vector(PromptLibrary.fill("a photo of a {}.", library.classes[$0].displayName)) }
        let logits = template.map { zip($0, image).map { $0 * $1 }.reduce(0, +) }
        let top = Array((0..<n).sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }.prefix(k))
        if top.count == 1 { return top }
        var prompts = [[String]](repeating: [], count: top.count)
        for i in 0..<top.count { for j in (i + 1)..<top.count {
            let (a, b) = (top[i], top[j])
            if let p = library.differential[PairKey(a, b)] {
                prompts[i] += a < b ? p.lo : p.hi
                prompts[j] += a < b ? p.hi : p.lo
            } else {
                prompts[i].append(PromptLibrary.fill("a photo of a {}.", library.classes[a].displayName))
                prompts[j].append(PromptLibrary.fill("a photo of a {}.", library.classes[b].displayName))
            }
        } }
        let scores = prompts.map { ps -> Float in
            let unique = dedup ? Array(Set(ps)) : ps
            var mean = [Float](repeating: 0, count: image.count)
            for t in unique { for (q, x) in source.vector(t).enumerated() { mean[q] += x / Float(unique.count) } }
            let norm = mean.map { $0 * $0 }.reduce(0, +).squareRoot()
            return zip(mean, image).map { $0 * $1 }.reduce(0, +) / norm
        }
        return top.indices.sorted { scores[$0] > scores[$1] }.map { top[$0] }
    }

    func testDecisionsMatchADirectImplementationOfThePaper() throws {
        let source = RandomTextVectors(dim: 24)
        for (seed, n) in [(1 as UInt64, 12), (2, 20), (3, 7)] {
            let lib = randomLibrary(classes: n, seed: seed)
            let fudd = try FuDDClassifier(library: lib, source: source)
            var rng = SplitMix(state: seed &* 977)
            var agreed = 0
            for _ in 0..<60 {
                let image = rng.unitVector(24)
                for k in [1, 2, 3, 5, n] {
                    let first = Ranking.top(fudd.firstStep.scores(image, count: 1), count: k)
                    let fast = fudd.rerank(image, candidates: first.classes).classes
                    let slow = slowFuDD(image, library: lib, source: source, k: k)
                    XCTAssertEqual(fast, slow, "seed \(seed), k \(k)")
                    if fast == slow { agreed += 1 }
                }
            }
            XCTAssertEqual(agreed, 300)
            // Without deduplication (the demo model's evaluate.py), every occurrence counts.
            let keep = try FuDDClassifier(library: lib, source: source, options: PromptOptions(deduplicate: false))
            for _ in 0..<30 {
                let image = rng.unitVector(24)
                let first = Ranking.top(keep.firstStep.scores(image, count: 1), count: 5)
                XCTAssertEqual(keep.rerank(image, candidates: first.classes).classes, slowFuDD(image, library: lib, source: source, k: 5, dedup: false))
            }
        }
    }

    func testWithoutFollowUpTheHeadEqualsTheReRanking() throws {
        let lib = randomLibrary(classes: 15, seed: 9)
        for agg in Aggregation.allCases {
            let fudd = try FuDDClassifier(library: lib, source: RandomTextVectors(dim: 24), aggregation: agg)
            let head = try fudd.allPairsHead()
            var rng = SplitMix(state: 31)
            for _ in 0..<40 {
                let image = rng.unitVector(24)
                let viaHead = Ranking.top(head.scores(image, count: 1), count: 15)
                let viaRerank = fudd.rerank(image, candidates: Array(0..<15))
                XCTAssertEqual(viaHead.classes, viaRerank.classes, "\(agg)")
                for (x, y) in zip(viaHead.scores, viaRerank.scores) { XCTAssertEqual(x, y, accuracy: 1e-5) }
            }
        }
    }

    func testPairWithoutSentencesFallsBackToTheTemplate() throws {
        let classes = (0..<3).map { ClassRecord(id: Int64($0 + 1), index: $0, name: "c\($0)") }
        let lib = PromptLibrary(dataset: "t", classes: classes, differential: [PairKey(0, 1): PairPrompts(lo: ["zero is red"], hi: ["one is blue"])])
        let fudd = try FuDDClassifier(library: lib, source: RandomTextVectors(dim: 8))
        XCTAssertEqual(fudd.sentenceRows(of: 0, among: [0, 1, 2]).map { fudd.texts[$0] }, ["zero is red", "a photo of a c0."])
        XCTAssertEqual(fudd.sentenceRows(of: 2, among: [0, 1, 2]).map { fudd.texts[$0] }, ["a photo of a c2."])
        XCTAssertTrue(fudd.hasDescriptions(1, 0))
        XCTAssertFalse(fudd.hasDescriptions(1, 2))
    }

    func testMeanOfSimilaritiesAveragesCosines() throws {
        // Hand-computable: two sentences for class 0 along axes x and y; image along x.
        struct Fixed: TextVectorSource {
            func vectors(for texts: [String]) throws -> [[Float]] {
                texts.map { t in
                    switch t {
                    case "a": return [1, 0, 0]
                    case "b": return [0, 1, 0]
                    case "c": return [0, 0, 1]
                    case "a photo of a c0.": return [0.6, 0.8, 0]
                    default: return [0, 0.6, 0.8]
                    }
                }
            }
        }
        let classes = (0..<2).map { ClassRecord(id: Int64($0 + 1), index: $0, name: "c\($0)") }
        let lib = PromptLibrary(dataset: "t", classes: classes, differential: [PairKey(0, 1): PairPrompts(lo: ["a", "b"], hi: ["c", "c"])])
        let image: [Float] = [1, 0, 0]
        let som = try FuDDClassifier(library: lib, source: Fixed(), aggregation: .similarityOfMean).rerank(image, candidates: [1, 0])
        XCTAssertEqual(som.classes, [0, 1])
        XCTAssertEqual(som.scores[0], 1 / Float(2).squareRoot(), accuracy: 1e-6)
        let mos = try FuDDClassifier(library: lib, source: Fixed(), aggregation: .meanOfSimilarities).rerank(image, candidates: [1, 0])
        XCTAssertEqual(mos.scores[0], 0.5, accuracy: 1e-6)
        XCTAssertEqual(mos.scores[1], 0, accuracy: 1e-6)
    }
}
