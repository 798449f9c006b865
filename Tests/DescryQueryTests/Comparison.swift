import DescryStore
import XCTest

/// Compares result rows with a hand-written query's rows; reals within a small tolerance,
/// since SQLite and Swift may sum in different orders.
func assertSameRows(_ actual: [[DatabaseValue]], _ expected: [[DatabaseValue]], _ message: String = "",
                    file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "row count \(message)", file: file, line: line)
    for (i, (a, e)) in zip(actual, expected).enumerated() {
        XCTAssertEqual(a.count, e.count, "column count in row \(i) \(message)", file: file, line: line)
        for (j, (x, y)) in zip(a, e).enumerated() {
            if let dx = x.double, let dy = y.double, case .real = x {
                XCTAssertEqual(dx, dy, accuracy: 1e-9 * max(1, abs(dy)), "row \(i) column \(j) \(message)", file: file, line: line)
            } else if let dx = x.double, let dy = y.double, case .real = y {
                XCTAssertEqual(dx, dy, accuracy: 1e-9 * max(1, abs(dy)), "row \(i) column \(j) \(message)", file: file, line: line)
            } else {
                XCTAssertEqual(x, y, "row \(i) column \(j) \(message)", file: file, line: line)
            }
        }
    }
}
