import DescryStore
import XCTest
@testable import DescryQuery

/// Every field of every source compiles to SQL the store accepts, with the declared type.
final class CatalogTests: XCTestCase {
    func testEveryFieldOfEverySourceRuns() throws {
        let store = try TestStore.fixture()
        let engine = try QueryEngine(store: store)
        for source in Catalog.standard.sources {
            XCTAssertEqual(Set(source.fields.map(\.name)).count, source.fields.count, "duplicate field in \(source.name)")
            for d in source.defaultFields { XCTAssertNotNil(source.field(d), "\(source.name).\(d)") }
            for j in source.joins { for r in j.requires { XCTAssertTrue(source.joins.contains { $0.alias == r }, "\(source.name): \(j.alias) needs \(r)") } }
            let r = try engine.run("\(source.name) | show " + source.fields.map(\.name).joined(separator: ", "))
            XCTAssertEqual(r.columns.map(\.name), source.fields.map(\.name))
            for row in r.rows {
                for (v, f) in zip(row, source.fields) {
                    switch (v, f.type) {
                    case (.null, _), (.integer, .integer), (.real, .real), (.text, .text), (.integer, .boolean): continue
                    default: XCTFail("\(source.name).\(f.name) is \(f.type) but returned \(v)")
                    }
                }
            }
            XCTAssertNoThrow(try engine.run(source.name), source.name)
        }
        XCTAssertEqual(Catalog.standard.sources.map(\.name),
                       ["descriptions", "pairs", "classes", "images", "scores", "runs", "audits", "confusions", "vlms", "datasets"])
    }
}
