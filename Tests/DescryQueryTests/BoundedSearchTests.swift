import DescryStore
import XCTest
@testable import DescryQuery

/// The bounded one-word top-k search returns exactly the rows of FTS5's
/// `ORDER BY rank, rowid LIMIT k`, while ranking only a fraction of the matches.
final class BoundedSearchTests: XCTestCase {
    /// 2,000 descriptions of random words from a small vocabulary, statistics stale.
    private func generatedStore() throws -> (Store, Int64, Int64) {
        let store = try TestStore.empty()
        let (ds, _) = try store.ensureDataset(named: "gen")
        _ = try store.setClasses(datasetID: ds, names: ["a", "b"], file: "generated")
        let classID = try store.classes(ofDataset: ds)[0].id
        var state: UInt64 = 7
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let words = ["red", "red", "red", "blue", "blue", "green", "striped", "spotted", "large", "small", "round", "pointed",
                     "fur", "tail", "ears", "coat", "dark", "light", "long", "short"]
        try store.write {
            let src = try store.addSource(SourceInfo(format: "test", label: "gen", contentHash: "gen"))
            let w = try DescriptionWriter(store: store, sourceID: src.id)
            for i in 0..<2000 {
                let n = 3 + next(18)
                let text = "item \(i) " + (0..<n).map { _ in words[next(words.count)] }.joined(separator: " ")
                _ = try w.add(NewDescription(datasetID: ds, classID: classID, text: text, kind: .class))
            }
            try w.finish()
        }
        return (store, ds, classID)
    }

    func testBoundedTopKEqualsFullRanking() throws {
        let (store, ds, classID) = try generatedStore()
        XCTAssertNil(try store.searchStatistics(), "stale after the import")
        XCTAssertTrue(try store.refreshSearchStatistics())
        let stats = try XCTUnwrap(try store.searchStatistics())
        XCTAssertEqual(stats.rows, 2000)
        XCTAssertEqual(stats.minTokens, 5, "'item', the number and three words")
        let engine = try QueryEngine(store: store)
        engine.boundedSearchMinimumMatches = 100
        let plain = try QueryEngine(store: store)
        plain.useBoundedSearch = false
        var usedBound = 0
        for word in ["red", "blue", "coat"] {
            for k in [1, 5, 20, 100] {
                let q = "descriptions | search \"\(word)\" | top \(k) | show id, text, rank"
                let plan = try engine.executablePlan(q)
                if let rows = plan.searchCandidates {
                    usedBound += 1
                    XCTAssertEqual(rows.count, k)
                }
                // Same rows and bit-identical ranks as FTS5's own ranking.
                let expected = try TestStore.sql(store, "SELECT rowid, NULL, rank FROM descriptions_fts WHERE descriptions_fts MATCH ? ORDER BY rank, rowid LIMIT ?", [word, k])
                let a = try engine.run(q)
                XCTAssertEqual(a.rows.map { [$0[0], $0[2]] }, expected.map { [$0[0], $0[2]] }, "\(word) top \(k)")
                XCTAssertEqual(a.rows, try plain.run(q).rows, "\(word) top \(k)")
            }
        }
        XCTAssertGreaterThan(usedBound, 6, "common words take the bounded path")
        // With filters: ranked until the k-th row that passes them is safe.
        for (filter, k) in [("id % 3 = 0", 5), ("class = \"a\" and text like \"*blue*\"", 20), ("id < 40", 10), ("id > 100000", 3)] {
            let q = "descriptions | where \(filter) | search \"red\" | show id, text | top \(k)"
            let plan = try engine.executablePlan(q)
            XCTAssertNotNil(plan.searchTop, q)
            XCTAssertNotNil(plan.searchCandidates, q)
            XCTAssertEqual(try engine.run(q).rows, try plain.run(q).rows, q)
        }
        XCTAssertNil(try engine.executablePlan("descriptions | where vlm = \"x\" | search \"red\" | top 3").searchTop, "the scores join repeats rows")
        XCTAssertNil(try engine.executablePlan("descriptions | search \"red\" | sort id | top 3").searchTop)
        // New text makes the statistics stale, and then the plain path runs.
        try store.write {
            let src = try store.addSource(SourceInfo(format: "test", label: "more", contentHash: "more"))
            let w = try DescriptionWriter(store: store, sourceID: src.id)
            _ = try w.add(NewDescription(datasetID: ds, classID: classID, text: "red", kind: .class))
            try w.finish()
        }
        XCTAssertNil(try store.searchStatistics())
        XCTAssertNil(try engine.executablePlan("descriptions | search \"red\" | top 5").searchCandidates)
        XCTAssertEqual(BoundedSearch.singleTerm(" Red "), "red")
        XCTAssertNil(BoundedSearch.singleTerm("red OR blue"))
        XCTAssertNil(BoundedSearch.singleTerm("OR"))
        XCTAssertNil(BoundedSearch.singleTerm("réd"))
    }

    /// Several words, all required or joined by OR: the same rows and bit-identical ranks as
    /// FTS5's own ranking; OR queries take the bounded path, words that must all match do not.
    func testBoundedTopKOfSeveralWordsEqualsFullRanking() throws {
        let (store, _, _) = try generatedStore()
        XCTAssertTrue(try store.refreshSearchStatistics())
        let engine = try QueryEngine(store: store)
        engine.boundedSearchMinimumMatches = 100
        let plain = try QueryEngine(store: store)
        plain.useBoundedSearch = false
        var usedBound: Set<String> = []
        for words in ["red blue", "blue red", "red coat", "red blue fur", "red OR blue", "ears OR coat OR fur", "striped OR red", "pointed ears"] {
            for k in [1, 5, 20, 100] {
                let q = "descriptions | search \"\(words)\" | top \(k) | show id, text, rank"
                let plan = try engine.executablePlan(q)
                if let rows = plan.searchCandidates {
                    usedBound.insert(words)
                    XCTAssertEqual(rows.count, k, q)
                }
                let expected = try TestStore.sql(store, "SELECT rowid, NULL, rank FROM descriptions_fts WHERE descriptions_fts MATCH ? ORDER BY rank, rowid LIMIT ?", [words, k])
                XCTAssertEqual(expected.count, k, "the fixture has enough matches for \(words)")
                let a = try engine.run(q)
                XCTAssertEqual(a.rows.map { [$0[0], $0[2]] }, expected.map { [$0[0], $0[2]] }, q)
                XCTAssertEqual(a.rows, try plain.run(q).rows, q)
            }
            // With a filter, too.
            let f = "descriptions | where id % 4 = 1 | search \"\(words)\" | show id, text | top 7"
            XCTAssertEqual(try engine.run(f).rows, try plain.run(f).rows, f)
        }
        XCTAssertEqual(usedBound, ["red OR blue", "ears OR coat OR fur", "striped OR red"])
        XCTAssertEqual(BoundedSearch.terms("Red  blue"), .init(terms: ["red", "blue"], all: true))
        XCTAssertEqual(BoundedSearch.terms("ear OR ears"), .init(terms: ["ear", "ears"], all: false))
        XCTAssertEqual(BoundedSearch.terms("a or b"), .init(terms: ["a", "or", "b"], all: true), "lower-case or is a word")
        for q in ["red OR", "OR red", "red OR blue fur", "red red", "red NOT blue", "\"red blue\"", "red*", "NEAR(red blue)", "text:red", "(red)", "red AND blue", ""] {
            XCTAssertNil(BoundedSearch.terms(q), q)
        }
    }
}
