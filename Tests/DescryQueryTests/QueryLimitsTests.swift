import DescryStore
import XCTest
@testable import DescryQuery

/// The engine's row and time limits: a query over them fails with an execution error that
/// says which limit and what to do, and the store is left as it was.
final class QueryLimitsTests: XCTestCase {
    func testRowLimit() throws {
        let store = try TestStore.fixture()
        let engine = try QueryEngine(store: store)
        XCTAssertEqual(try engine.run("descriptions").rows.count, 15)
        engine.maxRows = 5
        XCTAssertThrowsError(try engine.run("descriptions")) { error in
            guard let e = error as? QueryError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.phase, .execution)
            XCTAssertEqual(e.message, "the query returns more than 5 rows")
            XCTAssertEqual(e.hint, "keep the first rows with '| top 5', or filter with 'where'")
        }
        XCTAssertEqual(try engine.run("descriptions | top 5").rows.count, 5)
        XCTAssertEqual(try engine.run("descriptions | aggregate n = count()").rows, [[.integer(15)]], "the limit counts result rows")
        XCTAssertEqual(try store.database.scalar(Int.self, "PRAGMA query_only"), 0)
    }

    func testTimeLimit() throws {
        // Enough rows that the scan takes many thousand SQLite steps (the limit is checked every 1000).
        let store = try TestStore.empty()
        let (ds, _) = try store.ensureDataset(named: "gen")
        _ = try store.setClasses(datasetID: ds, names: ["a"], file: "generated")
        let classID = try store.classes(ofDataset: ds)[0].id
        try store.write {
            let src = try store.addSource(SourceInfo(format: "test", label: "gen", contentHash: "gen"))
            let w = try DescriptionWriter(store: store, sourceID: src.id)
            for i in 0..<3000 { try w.add(NewDescription(datasetID: ds, classID: classID, text: "item \(i) with a striped tail", kind: .class)) }
            try w.finish()
        }
        let engine = try QueryEngine(store: store)
        let query = #"descriptions | where text like "*zebra*" | aggregate n = count()"#
        XCTAssertEqual(try engine.run(query).rows, [[.integer(0)]])
        engine.timeLimit = .zero
        XCTAssertThrowsError(try engine.run(query)) { error in
            guard let e = error as? QueryError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.phase, .execution)
            XCTAssertTrue(e.message.hasPrefix("the query ran longer than its time limit"), e.message)
            XCTAssertNil(e.span, "the limit, not a place in the query, is the cause")
        }
        engine.timeLimit = .seconds(60)
        XCTAssertEqual(try engine.run(query).rows, [[.integer(0)]], "the interrupted run left the connection usable")
        XCTAssertEqual(try store.database.scalar(Int.self, "PRAGMA query_only"), 0)
    }
}
