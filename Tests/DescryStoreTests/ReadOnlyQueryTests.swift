import CSQLite
import XCTest
@testable import DescryStore

/// The DQL engine's door to the connection (`Store.readOnlyQuery`): nothing run through it
/// writes, values are bound, limits stop a run, and the connection is left as it was.
final class ReadOnlyQueryTests: XCTestCase {
    var store: Store!

    override func setUpWithError() throws {
        store = try TestSupport.newStore()
        let dir = TestSupport.tempDirectory()
        let (names, pairs) = TestSupport.writeTinyFudd(in: dir)
        _ = try Importer(store: store).importFudd(classNamesPath: names, promptPairsPath: pairs, dataset: "tiny")
    }

    func queryOnly() throws -> Int { try store.database.scalar(Int.self, "PRAGMA query_only") }

    func testWritesThroughTheDoorFailAndTheConnectionStaysWritable() throws {
        let before = try TestSupport.snapshot(store)
        for sql in ["DELETE FROM descriptions", "INSERT INTO llms(name) VALUES ('sneaky')", "UPDATE classes SET name = 'x'",
                    "DROP TABLE pairs", "CREATE TABLE extra(x)"] {
            XCTAssertThrowsError(try store.readOnlyQuery { try $0.rows(sql) }, sql) { error in
                guard let e = error as? DatabaseError else { return XCTFail("\(sql): \(error) is not a DatabaseError") }
                XCTAssertEqual(e.code, SQLITE_READONLY, "\(sql): \(e.message)")
            }
            XCTAssertEqual(try queryOnly(), 0, "query_only is switched off again after \(sql)")
        }
        XCTAssertThrowsError(try store.readOnlyQuery { q in try q.forEachRow("DELETE FROM descriptions") { _ in } })
        XCTAssertEqual(try TestSupport.snapshot(store), before)
        // Outside the door the store writes as before.
        try store.database.execute("INSERT INTO llms(name) VALUES ('after')")
        XCTAssertEqual(try TestSupport.count(store, "llms"), 1)
    }

    func testANestedRunKeepsQueryOnlyOnUntilTheOuterOneEnds() throws {
        try store.readOnlyQuery { outer in
            try store.readOnlyQuery { _ in XCTAssertEqual(try queryOnly(), 1) }
            XCTAssertEqual(try queryOnly(), 1, "the inner run does not switch it off under the outer one")
            XCTAssertThrowsError(try outer.rows("DELETE FROM pairs"))
        }
        XCTAssertEqual(try queryOnly(), 0)
    }

    func testValuesAreBoundAndRowsDecodeByName() throws {
        let dataset = try store.datasetID(named: "tiny")
        let rows = try store.readOnlyQuery {
            try $0.rows("SELECT name, idx AS position FROM classes WHERE dataset_id = ? AND name IN (?, ?) ORDER BY idx",
                        [.integer(dataset), .text("blue box"), .text("red kite")])
        }
        XCTAssertEqual(try rows.map { try $0.string("name") }, ["red kite", "blue box"])
        XCTAssertEqual(try rows.map { try $0.int("position") }, [0, 3])
        // A value that looks like SQL is only a value.
        let none = try store.readOnlyQuery { try $0.rows("SELECT count(*) AS n FROM classes WHERE name = ?", [.text("x' OR '1'='1")]) }
        XCTAssertEqual(try none.first?.int("n"), 0)
        XCTAssertThrowsError(try store.readOnlyQuery { try $0.rows("SELECT ? AS a, ? AS b", [.integer(1)]) }) { error in
            XCTAssertEqual((error as? DatabaseError)?.code, SQLITE_RANGE, "\(error)")
        }
        XCTAssertThrowsError(try store.readOnlyQuery { try $0.rows("SELECT nope FROM classes") }) { error in
            XCTAssertEqual((error as? DatabaseError)?.code, SQLITE_ERROR, "\(error)")
        }
    }

    func testRowLimit() throws {
        let sql = "SELECT id FROM classes ORDER BY id"
        XCTAssertEqual(try store.readOnlyQuery(limits: ReadOnlyQueryLimits(maxRows: 4)) { try $0.rows(sql) }.count, 4)
        XCTAssertThrowsError(try store.readOnlyQuery(limits: ReadOnlyQueryLimits(maxRows: 3)) { try $0.rows(sql) }) { error in
            XCTAssertEqual(error as? ReadOnlyQueryLimitError, .rowLimit(3))
        }
        var streamed: [Int64] = []
        XCTAssertThrowsError(try store.readOnlyQuery(limits: ReadOnlyQueryLimits(maxRows: 2)) { q in
            try q.forEachRow(sql) { streamed.append(try $0.int64("id")) }
        }) { error in XCTAssertEqual(error as? ReadOnlyQueryLimitError, .rowLimit(2)) }
        XCTAssertEqual(streamed.count, 2, "rows up to the limit reach the body, then the run stops")
        XCTAssertEqual(try queryOnly(), 0)
    }

    func testTimeLimitInterruptsARunawayStatementAndIsRemovedAfterwards() throws {
        let forever = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) AS n FROM c"
        let start = DispatchTime.now().uptimeNanoseconds
        XCTAssertThrowsError(try store.readOnlyQuery(limits: ReadOnlyQueryLimits(timeLimit: .milliseconds(50))) { try $0.rows(forever) }) { error in
            XCTAssertEqual(error as? ReadOnlyQueryLimitError, .timeLimit(.milliseconds(50)), "\(error)")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        XCTAssertLessThan(seconds, 5, "stopped soon after the limit")
        XCTAssertEqual(try queryOnly(), 0)
        // The handler is gone: a statement of many steps runs to its end without a limit.
        let counted = try store.readOnlyQuery {
            try $0.rows("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) SELECT count(*) AS n FROM c")
        }
        XCTAssertEqual(try counted.first?.int("n"), 200_000)
        // A run within its limit returns normally.
        let quick = try store.readOnlyQuery(limits: ReadOnlyQueryLimits(timeLimit: .seconds(30))) { try $0.rows("SELECT count(*) AS n FROM classes") }
        XCTAssertEqual(try quick.first?.int("n"), 4)
    }

    func testFullTextIndexReads() throws {
        XCTAssertTrue(store.descriptions.prepareTermIndex())
        let texts = Dictionary(uniqueKeysWithValues: try store.database.rows("SELECT id, text FROM descriptions").map {
            (try $0.int64("id"), try $0.string("text"))
        })
        func id(_ text: String) throws -> Int64 { try XCTUnwrap(texts.first { $0.value == text }?.key, text) }
        let redTwice = try id("a photo of a red kite, which is red.")
        try store.readOnlyQuery { q in
            let tf = try q.termFrequencies(of: "red")
            XCTAssertEqual(tf[redTwice], 2)
            XCTAssertEqual(tf[try id("a photo of a red kite, with a forked tail.")], 1)
            XCTAssertNil(tf[try id("a photo of a blue kite, which is blue.")])
            // Every description whose text has the word, and no other.
            XCTAssertEqual(Set(tf.keys), Set(texts.filter { $0.value.contains("red") }.keys))
            XCTAssertTrue(try q.termFrequencies(of: "zebra").isEmpty)

            let totals = try XCTUnwrap(try q.indexTotals())
            XCTAssertEqual(totals.rows, texts.count)
            // unicode61 splits at every non-letter (spaces, commas, hyphens).
            let words = texts.values.map { $0.split(whereSeparator: { !$0.isLetter }).count }
            XCTAssertEqual(totals.tokens, words.reduce(0, +))

            XCTAssertEqual(try q.tokenCounts(ofRows: [redTwice, try id("a photo of a blue box, which sits in attics.")]), [9, 10])
            XCTAssertNil(try q.tokenCounts(ofRows: [redTwice, 999_999]), "a row the index does not have")

            try q.checkFullTextQuery("red OR blue")
            XCTAssertThrowsError(try q.checkFullTextQuery("red AND")) { XCTAssertTrue($0 is DatabaseError, "\($0)") }
        }
    }
}
