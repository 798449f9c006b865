import XCTest
@testable import DescryStore

/// The aggregates DescryQuery needs and SQLite lacks.
final class StatisticsFunctionsTests: XCTestCase {
    func testStddevAndMedianMatchTheirDefinitions() throws {
        let db = try Database(path: ":memory:")
        try db.registerStatisticsFunctions()
        try db.execute("CREATE TABLE t (g TEXT, x REAL)")
        for (g, x) in [("a", 1.0), ("a", 2.0), ("a", 4.0), ("b", 5.0), ("b", 7.0), ("c", 3.0)] {
            try db.execute("INSERT INTO t VALUES (?, ?)", [g, x])
        }
        try db.execute("INSERT INTO t VALUES ('a', NULL)")
        let rows = try db.rows("SELECT g, descry_stddev(x), descry_median(x) FROM t GROUP BY g ORDER BY g")
        XCTAssertEqual(rows.count, 3)
        // a: values 1, 2, 4 (NULL skipped): mean 7/3, sample variance ((4/3)² + (1/3)² + (5/3)²)/2 = 7/3.
        XCTAssertEqual(rows[0].values[1].double!, (7.0 / 3.0).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(rows[0].values[2].double, 2.0)
        XCTAssertEqual(rows[1].values[1].double!, 2.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(rows[1].values[2].double, 6.0)
        XCTAssertEqual(rows[2].values[1], .null, "one value has no sample standard deviation")
        XCTAssertEqual(rows[2].values[2].double, 3.0)
        XCTAssertEqual(try db.scalar("SELECT descry_median(x) FROM t WHERE 0"), .null)
    }
}
