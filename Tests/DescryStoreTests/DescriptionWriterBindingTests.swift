import CSQLite
@testable import DescryStore
import Foundation
import XCTest

/// The writer's insert statement keeps its bindings between rows (`resetKeepingBindings`), and
/// SQLite's memory statistics are off (`Database.configureSQLite`): what each must not change.
final class DescriptionWriterBindingTests: XCTestCase {
    /// A row without attribute, confidence or reason after rows with them must store NULLs, not
    /// the previous row's values; repeats inside the write are still found by content hash.
    func testRowsAfterRowsWithOptionalValuesStoreTheirOwnNulls() throws {
        for bulk in [false, true] {
            let store = try TestSupport.newStore()
            let (ds, _) = try store.ensureDataset(named: "birds")
            try store.write { _ = try store.setClasses(datasetID: ds, names: ["red kite", "grey heron"], file: "test") }
            let classes = try store.classes(ofDataset: ds).map(\.id)
            let rows = [
                NewDescription(datasetID: ds, classID: classes[0], text: "a forked tail", kind: .class, attributeRaw: "shape"),
                NewDescription(datasetID: nil, classID: nil, text: "a photo of a {}.", kind: .template, attributeRaw: nil),
                NewDescription(datasetID: ds, classID: classes[1], text: "long grey legs", kind: .differential, attributeRaw: "color"),
                NewDescription(datasetID: ds, classID: classes[1], text: "stands in marshes", kind: .class, attributeRaw: nil),
                NewDescription(datasetID: ds, classID: classes[0], text: "a forked tail", kind: .class, attributeRaw: "shape"),
            ]
            let results: [(id: Int64, inserted: Bool)] = try store.write {
                let src = try store.addSource(SourceInfo(format: "test", label: "t", contentHash: "t"))
                let w = try DescriptionWriter(store: store, sourceID: src.id, bulk: bulk, indexOnSecondThread: bulk)
                let r = try rows.map { try w.add($0) }
                try w.finish()
                return r
            }
            XCTAssertEqual(results.map(\.inserted), [true, true, true, true, false], "bulk: \(bulk)")
            XCTAssertEqual(results[4].id, results[0].id, "bulk: \(bulk)")
            let stored = try store.database.rows("""
                SELECT dataset_id IS NULL AS no_dataset, class_id IS NULL AS no_class, kind, attribute_raw IS NULL AS no_raw,
                       attribute_confidence IS NULL AS no_confidence, attribute_reason IS NULL AS no_reason
                FROM descriptions ORDER BY id
                """)
            XCTAssertEqual(stored.count, 4)
            func flags(_ i: Int) throws -> [Int] {
                try ["no_dataset", "no_class", "no_raw", "no_confidence", "no_reason"].map { try stored[i].decode(Int.self, $0) }
            }
            XCTAssertEqual(try flags(0), [0, 0, 0, 0, 0], "bulk: \(bulk)")
            // The template: no dataset, class, raw type; no confidence or reason (no typer here).
            XCTAssertEqual(try flags(1), [1, 1, 1, 1, 1], "bulk: \(bulk)")
            XCTAssertEqual(try flags(2), [0, 0, 0, 0, 0], "bulk: \(bulk)")
            XCTAssertEqual(try flags(3)[2], 1, "bulk: \(bulk)")
            XCTAssertEqual(try store.search("forked", limit: 10).count, 1, "bulk: \(bulk)")
        }
    }

    /// With memory statistics off SQLite does not count allocations, so the process-wide
    /// mutex it takes per malloc and free for the count is gone too.
    func testSQLiteMemoryStatisticsAreOff() throws {
        let store = try TestSupport.newStore()
        let (ds, _) = try store.ensureDataset(named: "birds")
        try store.write { _ = try store.setClasses(datasetID: ds, names: ["red kite"], file: "test") }
        XCTAssertEqual(sqlite3_memory_used(), 0)
        XCTAssertEqual(sqlite3_memory_highwater(0), 0)
    }
}
