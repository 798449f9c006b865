import DescryBench
import DescryVision
import Foundation
import XCTest

/// The benchmark functions do the work they report (no timing assertions).
final class VisionBenchmarkTests: XCTestCase {
    func testCountsWhatItProcessed() throws {
        let tokenizer = try CLIPTokenizer.shared(openCLIPVocabulary: TestSupport.openCLIPVocabulary())
        let t = VisionBenchmark.tokenizer(tokenizer, texts: ["a photo of a dog.", "a cat"], threads: 1, repeats: 3)
        XCTAssertEqual(t.items, 6)
        XCTAssertEqual(t.fastest?.items, 2)
        XCTAssertGreaterThan(t.seconds, 0)

        let urls = ["photo.jpg", "rgb.png", "truncated.jpg"].map { TestSupport.fixture("images/" + $0) }
        let d = VisionBenchmark.decodeAndPreprocess(urls, preprocessor: CLIPPreprocessor(size: 32), threads: 2, repeats: 1)
        XCTAssertEqual(d.items, 2)
        XCTAssertTrue(d.name.contains("1 failed"), d.name)

        let model = try CLIPModel(directory: TestSupport.fixture("models/tiny-clip"),
                                  options: ONNXSessionOptions(intraOpThreads: 1), runtime: ONNXSessionTests.runtime())
        XCTAssertEqual(try VisionBenchmark.imageEncoder(model, batchSize: 4, batches: 2).items, 8)
        XCTAssertEqual(try VisionBenchmark.textEncoder(model, texts: ["x"], batchSize: 3, batches: 2).items, 6)
        XCTAssertEqual(try VisionBenchmark.imagePipeline(model, urls: urls, batchSize: 2).items, 3)
    }

    func testSharedTokenizerIsParsedOnceAndKeepsContextLength() throws {
        let url = try TestSupport.openCLIPVocabulary()
        let a = try CLIPTokenizer.shared(openCLIPVocabulary: url)
        let b = try CLIPTokenizer.shared(openCLIPVocabulary: url, contextLength: 10)
        XCTAssertEqual(a.contextLength, 77)
        XCTAssertEqual(b.contextLength, 10)
        XCTAssertEqual(Array(a.tokenize("a dog").prefix(10)), b.tokenize("a dog"))
    }
}
