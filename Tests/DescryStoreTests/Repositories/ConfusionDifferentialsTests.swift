import DescryStore
import XCTest

/// `store.confusions.top` and `missingDifferentials`: the FuDD loop's hand-off from the
/// analysis (`confusions`) to the LLM, on a store where some confused pairs have differential
/// descriptions for the VLM and some do not.
final class ConfusionDifferentialsTests: XCTestCase {
    /// Confusions of clip, most first:
    ///   (5, 5) ×20  a class with itself: never a pair
    ///   (0, 1) ×9   2 attributes of differentials keyed to clip → covered
    ///   (2, 3) ×7   no differentials → missing
    ///   (4, 5) ×6   differentials keyed to siglip only → missing for clip
    ///   (1, 2) ×5   no differentials → missing (ties with (2, 0): lower class_a id first)
    ///   (2, 0) ×5   recorded in reverse; generic differentials (no VLM) for (0, 2) → covered
    ///   (3, 4) ×4   differentials keyed to clip, but flagged by the analysis → missing
    ///   (1, 0) ×3   the reverse of (0, 1): the same pair, listed once
    /// and of siglip: (0, 1) ×8 (clip's differentials do not count) and (4, 5) ×2 (its own).
    func makeFixture() throws -> GenerationStoreFixture {
        let f = try GenerationStoreFixture()
        try f.differentials(0, 1, vlmID: f.clip, slots: 2)
        try f.differentials(4, 5, vlmID: f.siglip, slots: 1)
        try f.differentials(0, 2, vlmID: nil, slots: 1)
        try f.differentials(3, 4, vlmID: f.clip, slots: 1)
        for (a, b, n, flagged) in [(5, 5, 20, false), (0, 1, 9, false), (2, 3, 7, false), (4, 5, 6, false), (1, 2, 5, false),
                                   (2, 0, 5, false), (3, 4, 4, true), (1, 0, 3, false)] {
            try f.confusion(a, b, vlmID: f.clip, count: n, flaggedMissing: flagged)
        }
        try f.confusion(0, 1, vlmID: f.siglip, count: 8)
        try f.confusion(4, 5, vlmID: f.siglip, count: 2)
        return f
    }

    /// (class a index, class b index, count, linked sentences, lacks differentials)
    func summary(_ pairs: [ConfusedClassPair]) -> [[Int]] {
        pairs.map { [$0.a.index, $0.b.index, $0.count, $0.linkedDifferentials, $0.lacksDifferentials ? 1 : 0] }
    }

    func testTopListsEachPairOnceMostConfusedFirstWithItsCoverage() throws {
        let f = try makeFixture()
        let top = try f.store.confusions.top(vlmID: f.clip, datasetID: f.datasetID)
        XCTAssertEqual(summary(top), [
            [0, 1, 9, 4, 0],
            [2, 3, 7, 0, 1],
            [4, 5, 6, 0, 1],
            [1, 2, 5, 0, 1],
            [2, 0, 5, 2, 0],
            [3, 4, 4, 2, 1],
        ])
        XCTAssertEqual(top.map(\.flaggedMissing), [false, false, false, false, false, true])
        XCTAssertEqual(top[0].a, f.classes[0])
        XCTAssertEqual(top[0].b.name, "basset_hound")
    }

    func testTheLimitCountsDistinctPairs() throws {
        let f = try makeFixture()
        XCTAssertEqual(summary(try f.store.confusions.top(vlmID: f.clip, datasetID: f.datasetID, limit: 3)).map { Array($0.prefix(2)) },
                       [[0, 1], [2, 3], [4, 5]], "the self-confusion ahead of them takes no place")
        XCTAssertEqual(try f.store.confusions.top(vlmID: f.clip, datasetID: f.datasetID, limit: 6).count, 6)
        XCTAssertEqual(try f.store.confusions.top(vlmID: f.clip, datasetID: f.datasetID, limit: 100).count, 6,
                       "(1, 0) is (0, 1) again")
        XCTAssertEqual(try f.store.confusions.top(vlmID: f.clip, datasetID: f.datasetID, limit: 0), [])
    }

    func testMissingDifferentialsFiltersTheTopPairs() throws {
        let f = try makeFixture()
        let all = try f.store.confusions.missingDifferentials(vlmID: f.clip, datasetID: f.datasetID)
        XCTAssertEqual(all.map { [$0.a.index, $0.b.index] }, [[2, 3], [4, 5], [1, 2], [3, 4]])
        XCTAssertTrue(all.allSatisfy(\.lacksDifferentials))
        // The limit picks the most confused pairs first, then keeps those lacking sentences.
        XCTAssertEqual(try f.store.confusions.missingDifferentials(vlmID: f.clip, datasetID: f.datasetID, limit: 3).map { [$0.a.index, $0.b.index] },
                       [[2, 3], [4, 5]])
        XCTAssertEqual(try f.store.confusions.missingDifferentials(vlmID: f.clip, datasetID: f.datasetID, limit: 1), [])
    }

    func testCoverageIsPerVLM() throws {
        let f = try makeFixture()
        XCTAssertEqual(summary(try f.store.confusions.top(vlmID: f.siglip, datasetID: f.datasetID)), [
            [0, 1, 8, 0, 1],
            [4, 5, 2, 2, 0],
        ])
        let other = try f.store.write { try f.store.vlms.ensure(named: "never-evaluated") }
        XCTAssertEqual(try f.store.confusions.top(vlmID: other, datasetID: f.datasetID), [])
    }

    func testLacksDifferentials() {
        let a = ClassRecord(id: 1, index: 0, name: "a"), b = ClassRecord(id: 2, index: 1, name: "b")
        XCTAssertFalse(ConfusedClassPair(a: a, b: b, count: 3, flaggedMissing: false, linkedDifferentials: 2).lacksDifferentials)
        XCTAssertTrue(ConfusedClassPair(a: a, b: b, count: 3, flaggedMissing: true, linkedDifferentials: 2).lacksDifferentials)
        XCTAssertTrue(ConfusedClassPair(a: a, b: b, count: 3, flaggedMissing: false, linkedDifferentials: 0).lacksDifferentials)
    }
}
