import DescryVision
import Foundation
import XCTest

final class CLIPTokenizerTests: XCTestCase {
    private struct Reference: Decodable {
        let texts: [String]
        let ids: [[Int32]]
    }

    /// Loaded once for the whole class (reading the vocabulary takes a while).
    private static let shared: Result<CLIPTokenizer, Error> = Result {
        try CLIPTokenizer(openCLIPVocabulary: TestSupport.openCLIPVocabulary())
    }

    private func tokenizer() throws -> CLIPTokenizer { try Self.shared.get() }

    private func assertParity(_ reference: Reference, _ tokenizer: CLIPTokenizer,
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(reference.texts.count, reference.ids.count)
        var mismatches = 0
        let batch = tokenizer.tokenize(reference.texts)
        for (i, text) in reference.texts.enumerated() {
            let ids = tokenizer.encode(text)
            if ids != reference.ids[i] {
                mismatches += 1
                if mismatches <= 10 {
                    XCTFail("text \(i) \(text.debugDescription): got \(ids), open_clip \(reference.ids[i])",
                            file: file, line: line)
                }
            }
            // Framing as open_clip's __call__: start, ids, end, truncated keeping the end, zeros.
            var expected = [tokenizer.startTokenID] + reference.ids[i] + [tokenizer.endTokenID]
            if expected.count > tokenizer.contextLength {
                expected = Array(expected.prefix(tokenizer.contextLength))
                expected[expected.count - 1] = tokenizer.endTokenID
            }
            let padded = expected + [Int32](repeating: 0, count: tokenizer.contextLength - expected.count)
            if Array(batch.row(i)) != padded {
                mismatches += 1
                XCTFail("row \(i) framing differs", file: file, line: line)
            }
            XCTAssertEqual(batch.lengths[i], expected.count, file: file, line: line)
        }
        XCTAssertEqual(mismatches, 0, "\(mismatches) of \(reference.texts.count) texts differ", file: file, line: line)
    }

    func testSpecialTokensAndSize() throws {
        let t = try tokenizer()
        XCTAssertEqual(t.startTokenID, 49406)
        XCTAssertEqual(t.endTokenID, 49407)
        XCTAssertEqual(t.vocabularySize, 49408)
        XCTAssertEqual(t.contextLength, 77)
        XCTAssertEqual(Array(t.tokenize("").prefix(3)), [49406, 49407, 0])
    }

    func testHardStringsMatchOpenCLIP() throws {
        let data = try Data(contentsOf: TestSupport.fixture("tokenizer_hard_strings.json"))
        let reference = try JSONDecoder().decode(Reference.self, from: data)
        XCTAssertGreaterThan(reference.texts.count, 30)
        assertParity(reference, try tokenizer())
    }

    func testTruncationKeepsEndToken() throws {
        let t = try tokenizer()
        let row = t.tokenize(String(repeating: "dog ", count: 200))
        XCTAssertEqual(row.count, 77)
        XCTAssertEqual(row.first, 49406)
        XCTAssertEqual(row.last, 49407)
        XCTAssertFalse(row.contains(0))
        let short = try t.withContextLength(5).tokenize(["a b c d e f"])
        XCTAssertEqual(short.lengths, [5])
        XCTAssertEqual(Array(short.row(0)).last, 49407)
    }

    func testBatchIsIndependentOfThreadCount() throws {
        let t = try tokenizer()
        let texts = (0..<1000).map { "a photo of item \($0), it's a kind of thing number \($0 % 7)" }
        let one = t.tokenize(texts, threads: 1)
        let four = t.tokenize(texts, threads: 4)
        XCTAssertEqual(one, four)
        XCTAssertEqual(one.attentionMask().reduce(0, +), Int64(one.lengths.reduce(0, +)))
    }

    func testHuggingFaceFilesGiveTheSameIDs() throws {
        // Hugging Face's vocab.json/merges.txt for CLIP hold the same vocabulary under other
        // special-token names; write them from open_clip's file and compare.
        let vocabURL = try TestSupport.openCLIPVocabulary()
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = """
        import gzip, json, sys
        lines = gzip.open(sys.argv[1]).read().decode('utf-8').split('\\n')[1:49152-256-2+1]
        bs = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
        cs = bs[:]
        n = 0
        for b in range(256):
            if b not in bs:
                bs.append(b); cs.append(256 + n); n += 1
        v = [chr(c) for c in cs]
        v = v + [x + '</w>' for x in v] + [''.join(m.split()) for m in lines] + ['<|startoftext|>', '<|endoftext|>']
        json.dump({t: i for i, t in enumerate(v)}, open(sys.argv[2] + '/vocab.json', 'w'))
        open(sys.argv[2] + '/merges.txt', 'w').write('#version: 0.2\\n' + '\\n'.join(lines) + '\\n')
        """
        let result = try? TestSupport.run("python3", ["-c", script, vocabURL.path, dir.path])
        guard let result, result.status == 0 else { throw XCTSkip("python3 unavailable to write HF-style files") }
        let hf = try CLIPTokenizer(huggingFaceVocabulary: dir.appendingPathComponent("vocab.json"),
                                   merges: dir.appendingPathComponent("merges.txt"))
        let oc = try tokenizer()
        XCTAssertEqual(hf.startTokenID, 49406)
        XCTAssertEqual(hf.endTokenID, 49407)
        let texts = ["a photo of a beagle.", "Ångström's café &amp; 🐶", "<|endoftext|> literal"]
        XCTAssertEqual(hf.tokenize(Array(texts.prefix(2))), oc.tokenize(Array(texts.prefix(2))))
        XCTAssertEqual(hf.encode(texts[2]).first, 49407)
    }

    func testMissingAndMalformedVocabularies() throws {
        XCTAssertThrowsError(try CLIPTokenizer(openCLIPVocabulary: URL(fileURLWithPath: "/nonexistent/bpe.txt.gz"))) {
            XCTAssertTrue("\($0)".contains("/nonexistent/bpe.txt.gz"), "\($0)")
        }
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bogus = dir.appendingPathComponent("bogus.txt.gz")
        try Data("not gzip at all".utf8).write(to: bogus)
        XCTAssertThrowsError(try CLIPTokenizer(openCLIPVocabulary: bogus)) {
            guard case VisionError.badVocabulary(let path, _) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(path, bogus.path)
        }
        XCTAssertThrowsError(try CLIPTokenizer(openCLIPVocabulary: TestSupport.openCLIPVocabulary(), contextLength: 1))
    }

    /// Every description of the shared FuDD corpora, against ids that open_clip computes now.
    func testFuDDCorporaMatchOpenCLIP() throws {
        let corpus = try TestSupport.sharedCorpus("fudd")
        let t = try tokenizer()
        let probe = try? TestSupport.run("python3", ["-c", "import ftfy, regex"])
        guard let probe, probe.status == 0 else {
            throw XCTSkip("python3 with ftfy and regex is needed for reference ids (make vision-test-deps)")
        }
        let wheels = (try? FileManager.default.contentsOfDirectory(atPath: TestSupport.packageRoot.appendingPathComponent(".deps/wheels").path)) ?? []
        guard wheels.contains(where: { $0.hasPrefix("open_clip_torch-") }) else {
            throw XCTSkip("open_clip_torch wheel not in .deps/wheels; run `make deps`")
        }
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("fudd_ids.json")
        let script = TestSupport.fixture("make_tokenizer_fixture.py").path
        let result = try TestSupport.run("python3", [script, "--fudd", corpus.path, "--out", out.path])
        XCTAssertEqual(result.status, 0, result.output)
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: out))
        XCTAssertGreaterThan(reference.texts.count, 5000)
        assertParity(reference, t)
    }
}
