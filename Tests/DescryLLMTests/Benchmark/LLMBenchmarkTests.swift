import DescryBench
import DescryLLM
import DescryStore
import XCTest

/// The benchmark runs end to end on a tiny workload (numbers are not asserted).
final class LLMBenchmarkTests: XCTestCase {
    func testTinyRun() async throws {
        var b = LLMBenchmark(workDirectory: try TestSupport.temporaryDirectory(),
                             taxonomy: try AttributeTaxonomy.shipped(dataDirectory: TestSupport.dataDirectory),
                             prompt: try TestSupport.prompt("differential"))
        b.requests = 4
        b.delay = 0.001
        b.levels = [1, 2]
        b.instantRequests = 5
        let r = try await b.run()
        XCTAssertEqual(r.levels.map(\.concurrency), [1, 2])
        XCTAssertEqual(r.levels.map(\.requests), [4, 4])
        XCTAssertEqual(r.overhead.requests, 5)
        XCTAssertEqual(r.overhead.descriptions, 50, "5 answers × 5 attributes × 2 sides, all distinct")
        XCTAssertGreaterThan(r.overhead.msPerDescription, 0)
    }
}
