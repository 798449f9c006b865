import DescryStore
import XCTest
@testable import DescryAnalysis

/// `ZeroShotClassifier` on hand-made vectors: three classes in four dimensions, an image the
/// single template calls a dog and richer prompts call a cat.
final class ZeroShotClassifierTests: XCTestCase {
    let classes = [ClassRecord(id: 11, index: 0, name: "cat"), ClassRecord(id: 12, index: 1, name: "dog"), ClassRecord(id: 13, index: 2, name: "red_fox")]

    let table: [String: [Float]] = [
        "cat": [1, 0, 0, 0], "dog": [0, 1, 0, 0], "red fox": [0, 0, 1, 0],
        "cat.": [0, 0, 0, 1], "dog.": [0, 1, 0, 0], "red fox.": [0, 0, 1, 0],
        "a photo of a cat.": [1, 0, 0, 0], "a photo of a dog.": [0, 1, 0, 0], "a photo of a red fox.": [0, 0, 1, 0],
        "a sketch of a cat.": [0, 0, 0, 1], "a sketch of a dog.": [0, 1, 0, 0], "a sketch of a red fox.": [0, 0, 1, 0],
        "a cat has whiskers.": [0, 0, 0, 1],
        "a red fox is orange.": [0, 0, 1, 0], "a red fox has a bushy tail.": [0, 0.6, 0.8, 0],
        "a cat, which has whiskers.": [0, 0, 0, 1], "a dog, which has floppy ears.": [0, 1, 0, 0],
    ]

    /// Cosines 0.5, 0.6, 0 and 0.62 (before normalising) with the four axes.
    let image = Matrix.normalized([0.5, 0.6, 0, 0.62])
    var norm: Float { Float((0.25 + 0.36 + 0.62 * 0.62).squareRoot()) }

    func library() -> PromptLibrary {
        PromptLibrary(dataset: "pets", classes: classes, templates: ["a photo of a {}.", "a sketch of a {c}."],
                      classDescriptions: [["a cat has whiskers."], [], ["a red fox is orange.", "a red fox has a bushy tail."]],
                      differential: [PairKey(0, 1): PairPrompts(lo: ["a cat, which has whiskers."], hi: ["a dog, which has floppy ears."])])
    }

    func classifier(_ method: ZeroShotMethod, k: Int = 10, aggregation: Aggregation = .similarityOfMean,
                    options: PromptOptions = PromptOptions()) throws -> ZeroShotClassifier {
        try ZeroShotClassifier(library: library(), source: FixedTextVectors(table: table), method: method, k: k, aggregation: aggregation, options: options)
    }

    func assertScores(_ r: ImageClassification, _ expected: [(Int, Float)], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.ranking.classes, expected.map(\.0), file: file, line: line)
        XCTAssertEqual(r.ranking.scores.count, expected.count, file: file, line: line)
        for (got, want) in zip(r.ranking.scores, expected.map(\.1)) { XCTAssertEqual(got, want, accuracy: 1e-5, file: file, line: line) }
    }

    func testTemplateRanksByTheSingleTemplate() throws {
        let r = try classifier(.template).classify(image, top: 3)
        assertScores(r, [(1, 0.6 / norm), (0, 0.5 / norm), (2, 0)])
        XCTAssertTrue(r.evidence.isEmpty)
        XCTAssertNil(r.k)
        XCTAssertEqual(try classifier(.template).classify(image, top: 1).ranking.classes, [1], "top cuts the ranking")
    }

    func testClassNameWithAndWithoutPeriod() throws {
        assertScores(try classifier(.classname).classify(image, top: 2), [(1, 0.6 / norm), (0, 0.5 / norm)])
        // "cat." points along the fourth axis: the period changes the answer here.
        let period = try classifier(.classname, options: PromptOptions(classNamePeriod: true)).classify(image, top: 2)
        assertScores(period, [(0, 0.62 / norm), (1, 0.6 / norm)])
    }

    func testEnsembleDependsOnTheAggregation() throws {
        // Similarity of mean: cat's two prompts average to (1, 0, 0, 1)/√2.
        let som = try classifier(.ensemble).classify(image, top: 3)
        assertScores(som, [(0, (0.5 + 0.62) / Float(2).squareRoot() / norm), (1, 0.6 / norm), (2, 0)])
        // Mean of similarities: (0.5 + 0.62) / 2 = 0.56 stays below the dog's 0.6.
        let mos = try classifier(.ensemble, aggregation: .meanOfSimilarities).classify(image, top: 3)
        assertScores(mos, [(1, 0.6 / norm), (0, 0.56 / norm), (2, 0)])
    }

    func testDescriptionsFallBackToTheTemplateAndShowTheirEvidence() throws {
        let r = try classifier(.descriptions).classify(image, top: 3)
        // The fox's mean description (0, 0.3, 0.9, 0)/‖·‖ scores 0.6 · 0.3 / √0.9.
        assertScores(r, [(0, 0.62 / norm), (1, 0.6 / norm), (2, 0.18 / Float(0.9).squareRoot() / norm)])
        XCTAssertEqual(r.evidence.map(\.classPosition), [0, 1], "the two leading classes")
        XCTAssertEqual(r.evidence[0].sentences.map(\.text), ["a cat has whiskers."])
        XCTAssertEqual(r.evidence[1].sentences.map(\.text), ["a photo of a dog."], "a class without descriptions uses its template")
        XCTAssertEqual(r.evidence[0].sentences[0].cosine, 0.62 / norm, accuracy: 1e-5)
    }

    func testFuDDReRanksTheFirstStepsTopK() throws {
        let c = try classifier(.fudd, k: 2)
        XCTAssertEqual(c.k, 2)
        let r = try c.classify(image, top: 3)
        // First step: dog, cat, fox. The pair's sentences turn the top two around; the fox keeps
        // its first-step score behind them.
        assertScores(r, [(0, 0.62 / norm), (1, 0.6 / norm), (2, 0)])
        XCTAssertEqual(r.k, 2)
        XCTAssertEqual(r.evidence.map(\.classPosition), [0, 1])
        XCTAssertEqual(r.evidence[0].sentences.map(\.text), ["a cat, which has whiskers."])
        XCTAssertEqual(r.evidence[1].sentences.map(\.text), ["a dog, which has floppy ears."])
        // k = 1 leaves nothing to re-rank: the single template's answer.
        XCTAssertEqual(try classifier(.fudd, k: 1).classify(image, top: 3).ranking.classes, [1, 0, 2])
    }

    func testFuDDClampsKToTheClassesWithANote() throws {
        let c = try classifier(.fudd, k: 10)
        XCTAssertEqual(c.k, 3)
        XCTAssertEqual(c.notes.count, 1, "\(c.notes)")
        // With every class a candidate, the cat's sentences are its pair sentence and (for the
        // pair with the fox, which has none) its template: (1, 0, 0, 1)/√2.
        let r = try c.classify(image, top: 3)
        assertScores(r, [(0, (0.5 + 0.62) / Float(2).squareRoot() / norm), (1, 0.6 / norm), (2, 0)])
        XCTAssertEqual(Set(r.evidence[0].sentences.map(\.text)), ["a cat, which has whiskers.", "a photo of a cat."])
    }

    func testBadInput() throws {
        XCTAssertThrowsError(try classifier(.template).classify([1, 0, 0], top: 1)) { e in
            guard case AnalysisError.dimensionMismatch(expected: 4, found: 3, what: _) = e else { return XCTFail("\(e)") }
        }
        XCTAssertThrowsError(try classifier(.fudd, k: 0)) { e in
            guard case AnalysisError.invalidArgument = e else { return XCTFail("\(e)") }
        }
        XCTAssertThrowsError(try ZeroShotClassifier(library: PromptLibrary(dataset: "none", classes: []), source: FixedTextVectors(table: table), method: .template)) { e in
            guard case AnalysisError.noClasses(dataset: "none") = e else { return XCTFail("\(e)") }
        }
        XCTAssertThrowsError(try ZeroShotClassifier(library: library(), source: FixedTextVectors(table: [:]), method: .template), "a missing text vector is an error")
    }
}
