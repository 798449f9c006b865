import DescryBench
import DescryStore
import Foundation
import XCTest
@testable import DescryQuery

/// Random token sequences and mutated examples: every case must end in rows or a
/// positioned `QueryError`, never a crash, a hang or another error type.
final class FuzzTests: XCTestCase {
    func testFuzzedQueriesGiveRowsOrPositionedErrors() throws {
        let store = try TestStore.fixture()
        let engine = try QueryEngine(store: store)
        let before = try TestStore.snapshot(store)
        // DESCRY_FUZZ_CASES raises the count (the benchmark mode runs 100,000 through `descry bench query --fuzz`).
        let cases = Int(ProcessInfo.processInfo.environment["DESCRY_FUZZ_CASES"] ?? "") ?? 5000
        var fuzzer = QueryFuzzer(seed: 20_261_129)
        var rows = 0, errors = 0
        for _ in 0..<cases {
            let text = fuzzer.nextCase()
            do {
                _ = try engine.run(text)
                rows += 1
            } catch let e as QueryError {
                errors += 1
                guard let span = e.span else { return XCTFail("error without a position for \(text.debugDescription): \(e.message)") }
                XCTAssertTrue(span.start >= 0 && span.end <= text.unicodeScalars.count, "span \(span) outside \(text.debugDescription)")
                XCTAssertNotEqual(e.phase, .execution, "SQLite rejected compiled SQL for \(text.debugDescription): \(e.message)")
                XCTAssertTrue(e.rendered().contains("^"))
            } catch {
                XCTFail("unexpected error type for \(text.debugDescription): \(error)")
            }
        }
        XCTAssertEqual(rows + errors, cases)
        XCTAssertGreaterThan(rows, cases / 200, "some mutated queries should still be valid")
        XCTAssertGreaterThan(errors, cases / 2)
        XCTAssertEqual(try TestStore.snapshot(store), before, "fuzzing must not change the store")
    }
}
