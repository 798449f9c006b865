import DescryVision
import Foundation
import XCTest

final class CLIPModelTests: XCTestCase {
    struct Reference: Decodable {
        let texts: [String]
        let text_embeds: [[Float]]
        let images: [String]
        let image_embeds: [[Float]]
    }

    func load() throws -> (CLIPModel, Reference) {
        let rt = try ONNXSessionTests.runtime()
        _ = try TestSupport.openCLIPVocabulary()
        let model = try CLIPModel(directory: TestSupport.fixture("models/tiny-clip"),
                                  options: ONNXSessionOptions(intraOpThreads: 1), runtime: rt)
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: TestSupport.fixture("models/reference.json")))
        return (model, reference)
    }

    func assertClose(_ a: [[Float]], _ b: [[Float]], line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, line: line)
        for (x, y) in zip(a, b) {
            XCTAssertEqual(x.count, y.count, line: line)
            for (u, v) in zip(x, y) { XCTAssertEqual(u, v, accuracy: 1e-5, line: line) }
            XCTAssertEqual(x.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-5, line: line)
        }
    }

    func testTextEmbeddingsMatchOnnxRuntimePython() throws {
        let (model, reference) = try load()
        XCTAssertEqual(model.dimension, 8)
        assertClose(try model.encode(texts: reference.texts), reference.text_embeds)
        assertClose(try model.encode(texts: reference.texts, batchSize: 3), reference.text_embeds)
        XCTAssertEqual(try model.encode(texts: []).count, 0)
    }

    func testImageEmbeddingsMatchOnnxRuntimePython() throws {
        let (model, reference) = try load()
        let images = try reference.images.map { try ImageDecoder().decode(contentsOf: TestSupport.fixture("images/" + $0)) }
        assertClose(try model.encode(images: images), reference.image_embeds)
        assertClose(try model.encode(images: images, batchSize: 2), reference.image_embeds)
    }

    func testPipelineKeepsOrderAndIsolatesBadFiles() throws {
        let (model, reference) = try load()
        let good = reference.images.map { TestSupport.fixture("images/" + $0) }
        let bad = [TestSupport.fixture("images/truncated.jpg"), TestSupport.fixture("images/missing.png")]
        let urls = [good[0], bad[0], good[1], good[2], bad[1], good[0], good[1]]
        var seen: [CLIPModel.ImageResult] = []
        var batches = 0
        try model.encodeImages(at: urls, batchSize: 2, prefetch: 1) { batch in
            XCTAssertLessThanOrEqual(batch.count, 2)
            batches += 1
            seen += batch
        }
        XCTAssertEqual(batches, 4)
        XCTAssertEqual(seen.map(\.url), urls)
        XCTAssertEqual(seen.map(\.index), Array(urls.indices), "each result names its input's position")
        let expected: [[Float]?] = [reference.image_embeds[0], nil, reference.image_embeds[1], reference.image_embeds[2],
                                    nil, reference.image_embeds[0], reference.image_embeds[1]]
        for (item, want) in zip(seen, expected) {
            switch (item.result, want) {
            case (.success(let v), .some(let w)): assertClose([v], [w])
            case (.failure(let error), nil): XCTAssertTrue("\(error)".contains(item.url.lastPathComponent), "\(error)")
            default: XCTFail("unexpected result for \(item.url.lastPathComponent): \(item.result)")
            }
        }
    }

    func testPipelineStopsWhenTheConsumerThrows() throws {
        let (model, reference) = try load()
        let urls = Array(repeating: TestSupport.fixture("images/" + reference.images[0]), count: 20)
        struct Stop: Error {}
        var calls = 0
        XCTAssertThrowsError(try model.encodeImages(at: urls, batchSize: 2, prefetch: 1) { _ in
            calls += 1
            if calls == 2 { throw Stop() }
        }) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(calls, 2)
    }
}

extension CLIPModelTests {
    /// Graphs exported with a fixed batch size (3 texts, 2 images, same weights) give the same
    /// embeddings: batches are split and the last one padded.
    func testFixedBatchGraphs() throws {
        let (_, reference) = try load()
        let model = try CLIPModel(directory: TestSupport.fixture("models/fixed-batch"),
                                  options: ONNXSessionOptions(intraOpThreads: 1), runtime: ONNXSessionTests.runtime())
        assertClose(try model.encode(texts: reference.texts), reference.text_embeds)          // 4 texts: 3 + 1 padded
        assertClose(try model.encode(texts: Array(reference.texts.prefix(2))), Array(reference.text_embeds.prefix(2)))
        let images = try reference.images.map { try ImageDecoder().decode(contentsOf: TestSupport.fixture("images/" + $0)) }
        assertClose(try model.encode(images: images), reference.image_embeds)                // 3 images: 2 + 1 padded
        XCTAssertEqual(try ModelManifest.detect(directory: TestSupport.fixture("models/fixed-batch"),
                                                runtime: ONNXSessionTests.runtime()).embeddingDim, 8)
    }
}

extension CLIPModelTests {
    func testSimilarityIsTheDotProductOfNormalizedEmbeddings() throws {
        let (model, reference) = try load()
        let url = TestSupport.fixture("images/" + reference.images[0])
        let sims = try model.similarity(imageAt: url, texts: Array(reference.texts.prefix(2)))
        for (i, s) in sims.enumerated() {
            let expected = zip(reference.image_embeds[0], reference.text_embeds[i]).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            XCTAssertEqual(s, expected, accuracy: 1e-5)
        }
        let p = model.probabilities(fromSimilarities: [0.30, 0.28, 0.10])
        XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-5)
        XCTAssertEqual(p[0] / p[1], Float(exp(2.0)), accuracy: 1e-3)   // scale 100 × 0.02
        XCTAssertThrowsError(try model.similarity(imageAt: TestSupport.fixture("images/truncated.jpg"), texts: ["x"]))
    }
}
