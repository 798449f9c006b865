import Foundation
import XCTest
@testable import DescryAnalysis

final class SoftmaxTests: XCTestCase {
    func testProbabilitiesOfScaledCosines() {
        let p = Softmax.probabilities([1, 0], logitScale: 1)
        let e = Float(M_E)
        XCTAssertEqual(p[0], e / (e + 1), accuracy: 1e-6)
        XCTAssertEqual(p[1], 1 / (e + 1), accuracy: 1e-6)
        // CLIP's scale of 100 sharpens a small cosine gap.
        let q = Softmax.probabilities([0.30, 0.29, 0.10], logitScale: 100)
        XCTAssertEqual(q.reduce(0, +), 1, accuracy: 1e-6)
        XCTAssertEqual(q[0] / q[1], Float(exp(1.0)), accuracy: 1e-3)
        XCTAssertLessThan(q[2], 1e-8)
        XCTAssertEqual(q, q.sorted(by: >), "the order of the scores is kept")
    }

    func testNoOverflowAndEdgeCases() {
        let big = Softmax.probabilities([0.9, 0.1], logitScale: 1e4)
        XCTAssertTrue(big.allSatisfy(\.isFinite), "\(big)")
        XCTAssertEqual(big, [1, 0])
        XCTAssertEqual(Softmax.probabilities([0.2, 0.2, 0.2, 0.2], logitScale: 100), [0.25, 0.25, 0.25, 0.25])
        XCTAssertEqual(Softmax.probabilities([-0.5], logitScale: 100), [1])
        XCTAssertEqual(Softmax.probabilities([], logitScale: 100), [])
    }
}
