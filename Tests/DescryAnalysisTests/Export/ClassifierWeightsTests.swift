import DescryStore
import Foundation
import XCTest
@testable import DescryAnalysis

/// The `.npy` bytes NumPy expects, and classifier columns as open_clip computes them, on a
/// library and vectors made here.
final class ClassifierWeightsTests: XCTestCase {
    /// Vectors keyed by text, unit length or not (open_clip normalises each prompt first).
    struct FixedVectors: TextVectorSource {
        let table: [String: [Float]]
        func vectors(for texts: [String]) throws -> [[Float]] {
            try texts.map { t in
                guard let v = table[t] else { throw AnalysisError.invalidArgument("no vector for '\(t)'") }
                return v
            }
        }
    }

    func testNPYHeaderIsVersion1PaddedTo64BytesAndDataIsLittleEndianCOrder() throws {
        let bytes = NPYFile.float32(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(Array(bytes.prefix(8)), [0x93] + Array("NUMPY".utf8) + [1, 0])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        XCTAssertEqual((10 + headerLength) % 64, 0)
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        XCTAssertTrue(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), header)
        XCTAssertTrue(header.hasSuffix(" \n"))
        XCTAssertEqual(bytes.count, 10 + headerLength + 6 * 4)
        let data = Array(bytes[(10 + headerLength)...])
        XCTAssertEqual(Array(data[4..<8]), [0, 0, 0, 0x40], "second value 2.0 little-endian")
        XCTAssertTrue(String(decoding: NPYFile.float32(shape: [4], values: [0, 0, 0, 0])[10..<70], as: UTF8.self).contains("'shape': (4,)"))
    }

    func testColumnsAreRenormalisedMeansOfNormalisedPromptsAndFuDDUsesEveryPair() throws {
        let classes = [ClassRecord(id: 1, index: 0, name: "red_kite"), ClassRecord(id: 2, index: 1, name: "blue kite"), ClassRecord(id: 3, index: 2, name: "box")]
        var library = PromptLibrary(dataset: "t", classes: classes, classDescriptions: [["a red bird", "forked tail"], [], ["square"]])
        library.differential[PairKey(0, 1)] = PairPrompts(lo: ["red, not blue"], hi: ["blue, not red"])
        let table: [String: [Float]] = [
            "a red bird": [3, 4], "forked tail": [0, 2], "square": [1, 1], "red, not blue": [1, 0], "blue, not red": [0, 1],
            "a photo of a red kite.": [1, 1], "a photo of a blue kite.": [-1, 1], "a photo of a box.": [1, -1],
        ]
        let source = FixedVectors(table: table)
        let d = try ClassifierWeights(library: library, source: source, method: .descriptions)
        XCTAssertEqual(d.classes, ["red kite", "blue kite", "box"])
        XCTAssertEqual(d.prompts[1], ["a photo of a blue kite."], "a class without descriptions uses the template")
        // (0.6, 0.8) and (0, 1): mean (0.3, 0.9), renormalised.
        let n = (0.3 * 0.3 + 0.9 * 0.9 as Float).squareRoot()
        XCTAssertEqual(d.columns.row(0)[0], 0.3 / n, accuracy: 1e-6)
        XCTAssertEqual(d.columns.row(0)[1], 0.9 / n, accuracy: 1e-6)
        // The classifiers take unit vectors (as the cache holds them).
        let unit = FixedVectors(table: table.mapValues(Matrix.normalized))
        let f = try ClassifierWeights(library: library, source: unit, method: .fudd)
        // red kite: its side of pair 0-1, then the template for pair 0-2 (no sentences).
        XCTAssertEqual(f.prompts[0], ["red, not blue", "a photo of a red kite."])
        XCTAssertEqual(f.prompts[2], ["a photo of a box."], "deduplicated like the classifier")
        let head = try FuDDClassifier(library: library, source: unit).allPairsHead()
        for c in 0..<3 { for (a, b) in zip(f.columns.row(c), head.matrix.row(c)) { XCTAssertEqual(a, b, accuracy: 1e-6) } }
        let npy = f.npy()
        let hl = Int(npy[8]) | Int(npy[9]) << 8
        // Column-major per class in a (dim, classes) C array: element (i, c) at i * 3 + c.
        let values = stride(from: 10 + hl, to: npy.count, by: 4).map { o in
            Float(bitPattern: UInt32(npy[o]) | UInt32(npy[o + 1]) << 8 | UInt32(npy[o + 2]) << 16 | UInt32(npy[o + 3]) << 24)
        }
        XCTAssertEqual(values.count, 6)
        for c in 0..<3 { for i in 0..<2 { XCTAssertEqual(values[i * 3 + c], f.columns.row(c)[i]) } }
    }
}
