import DescryBench
import DescryQuery
import DescryStore
import Foundation
import XCTest

/// `descry bench query`'s workload on a small store: the fake scores it adds, and its plain SQL
/// baselines, which must return the same rows as the DQL they are compared with.
final class QueryBenchmarkTests: XCTestCase {
    /// The mini corpus with no scores yet, as a bench store is before its first run.
    func benchStore() throws -> Store {
        let store = try TestStore.empty()
        _ = try Importer(store: store).importFudd(classNamesPath: TestStore.fixtures + "/mini_class_names.json",
                                                  promptPairsPath: TestStore.fixtures + "/mini_prompt_pairs.json", dataset: "mini")
        return store
    }

    func testFakeScoresCoverEveryDescriptionOncePerVLM() throws {
        let store = try benchStore()
        let before = try QueryBenchmark.size(of: store)
        XCTAssertEqual(before.scores, 0)
        XCTAssertGreaterThan(before.descriptions, 0)
        try QueryBenchmark.addFakeScores(store: store, vlms: 2)
        let after = try QueryBenchmark.size(of: store)
        XCTAssertEqual(after.descriptions, before.descriptions)
        XCTAssertEqual(after.scores, 2 * before.descriptions)
        XCTAssertTrue(try store.scores.isRollupFresh(), "the rollup is refreshed after the scores are added")
        let range = try QueryEngine(store: store).run(
            "scores | aggregate n = count(), lo = min(alignment), hi = max(alignment), dlo = min(lift), dhi = max(lift)")
        XCTAssertEqual(range.rows.count, 1)
        let row = try XCTUnwrap(range.rows.first)
        XCTAssertEqual(row[0], .integer(Int64(after.scores)))
        let (lo, hi, dlo, dhi) = (try XCTUnwrap(row[1].double), try XCTUnwrap(row[2].double), try XCTUnwrap(row[3].double), try XCTUnwrap(row[4].double))
        XCTAssertTrue(lo >= 0.10 && hi < 0.35 && lo < hi, "alignment in 0.10…0.35: \(lo)…\(hi)")
        XCTAssertTrue(dlo >= -0.05 && dhi < 0.05 && dlo < dhi, "lift in -0.05…0.05: \(dlo)…\(dhi)")
        try QueryBenchmark.addFakeScores(store: store, vlms: 2)
        XCTAssertEqual(try QueryBenchmark.size(of: store).scores, after.scores, "a store with scores gets no more")
        XCTAssertEqual(try QueryBenchmark.firstDataset(of: store), "mini")
    }

    func testBaselinesReturnTheRowsOfTheirDQL() throws {
        let store = try benchStore()
        try QueryBenchmark.addFakeScores(store: store, vlms: 2)
        let bench = try QueryBenchmark(store: store, runs: 1)
        let cases = QueryBenchmark.exampleCases(dataset: "mini", word: "ears") + QueryBenchmark.slowCases(word: "ears")
        XCTAssertEqual(cases.filter { $0.plain != nil }.count, 5, "the search example and the four slow queries have baselines")
        for c in cases {
            let t = try bench.measure(c, compileIterations: 3)
            XCTAssertEqual(t.name, c.name)
            if c.plain != nil {
                XCTAssertGreaterThan(t.rows, 0, c.name)
                XCTAssertEqual(t.sameRowsAsPlain, true, "\(c.name): the baseline returns other rows than the DQL")
                XCTAssertNotNil(t.plainMilliseconds)
            } else {
                XCTAssertNil(t.sameRowsAsPlain)
            }
        }
    }

    func testRowComparisonToleratesOnlyRoundingOfReals() {
        XCTAssertTrue(QueryBenchmark.same([[.real(0.1 + 0.2), .text("a")]], [[.real(0.3), .text("a")]]))
        XCTAssertFalse(QueryBenchmark.same([[.real(0.3)]], [[.real(0.31)]]))
        XCTAssertFalse(QueryBenchmark.same([[.integer(1)]], [[.integer(2)]]))
        XCTAssertFalse(QueryBenchmark.same([[.text("a")]], [[.text("a")], [.text("b")]]))
    }

    func testFuzzCasesEndInPlansOrPositionedErrors() throws {
        let r = try QueryBenchmark.fuzz(cases: 300, seed: 7)
        XCTAssertEqual(r.valid + r.errors, 300)
        XCTAssertGreaterThan(r.valid, 0)
        XCTAssertGreaterThan(r.errors, 0)
    }
}
