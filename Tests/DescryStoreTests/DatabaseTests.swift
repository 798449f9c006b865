import DescryStore
import XCTest

final class DatabaseTests: XCTestCase {
    func testBindsAndReadsEveryStorageClass() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t(a, b, c, d, e)")
        try db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", [42, 2.5, "héllo", [UInt8]([1, 2, 3]), DatabaseValue.null])
        let row = try db.rows("SELECT a, b, c, d, e FROM t")[0]
        XCTAssertEqual(row.values[0], .integer(42))
        XCTAssertEqual(row.values[1], .real(2.5))
        XCTAssertEqual(row["c"], .text("héllo"))
        XCTAssertEqual(row.values[3], .blob([1, 2, 3]))
        XCTAssertTrue(row.values[4].isNull)
    }

    func testTransactionRollsBackWhenBodyThrows() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t(x INTEGER)")
        struct Boom: Error {}
        XCTAssertThrowsError(try db.transaction {
            try db.execute("INSERT INTO t VALUES (?)", [1])
            throw Boom()
        })
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM t"), .integer(0))
        XCTAssertFalse(db.isInTransaction)
    }

    func testNestedTransactionIsASavepoint() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t(x INTEGER)")
        struct Boom: Error {}
        try db.transaction {
            try db.execute("INSERT INTO t VALUES (?)", [1])
            XCTAssertThrowsError(try db.transaction {
                try db.execute("INSERT INTO t VALUES (?)", [2])
                throw Boom()
            })
            try db.execute("INSERT INTO t VALUES (?)", [3])
        }
        XCTAssertEqual(try db.rows("SELECT x FROM t ORDER BY x").map { $0.values[0] }, [.integer(1), .integer(3)])
    }

    func testErrorCarriesSQLAndSQLiteMessage() throws {
        let db = try Database(path: ":memory:")
        do {
            _ = try db.rows("SELECT nope FROM nowhere")
            XCTFail("expected an error")
        } catch let e as DatabaseError {
            XCTAssertEqual(e.sql, "SELECT nope FROM nowhere")
            XCTAssertTrue(e.message.contains("no such table"), e.message)
            XCTAssertTrue(e.description.contains("SELECT nope FROM nowhere"))
        }
    }

    func testWrongParameterCountIsAnError() throws {
        let db = try Database(path: ":memory:")
        XCTAssertThrowsError(try db.rows("SELECT ?", [1, 2]))
    }
}
