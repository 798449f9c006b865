import Foundation
import XCTest
@testable import DescryStore

/// Schema 2's score rollup: a v1 store migrates, the rollup starts stale, and a refresh
/// gives the same numbers as aggregating the scores directly.
final class ScoreRollupTests: XCTestCase {
    func testMigrationFromVersion1AndRefresh() throws {
        let dir = TestSupport.tempDirectory()
        let path = dir + "/v1.db"
        do {
            let db = try Database(path: path)
            try db.execute(Schema.migrations[0].sql)
            try db.execute("PRAGMA user_version = 1")
            try db.execute("INSERT INTO datasets(id, name) VALUES (1, 'd')")
            try db.execute("INSERT INTO sources(id, format, label, content_hash) VALUES (1, 'x', 'x', 'h')")
            try db.execute("INSERT INTO vlms(id, name) VALUES (1, 'v')")
            for (i, (attr, a)) in [("colour", 0.2), ("colour", 0.4), ("shape", 0.3), (nil, 0.5)].enumerated() {
                try db.execute("INSERT INTO descriptions(id, dataset_id, text, kind, source_id, attribute, content_hash) VALUES (?, 1, ?, 'class', 1, ?, ?)",
                               [i + 1, "text \(i)", attr, [UInt8(i)]])
                try db.execute("INSERT INTO scores(vlm_id, description_id, alignment) VALUES (1, ?, ?)", [i + 1, a])
            }
        }
        let store = try Store(path: path, taxonomy: TestSupport.taxonomy)
        XCTAssertEqual(try store.schemaVersion(), Schema.latestVersion)
        XCTAssertFalse(try store.scores.isRollupFresh())
        XCTAssertTrue(try store.scores.refreshRollup())
        XCTAssertFalse(try store.scores.refreshRollup(), "nothing changed since")
        let rows = try store.database.rows("SELECT attribute, n, n_alignment, sum_alignment, sumsq_alignment, min_alignment, max_alignment FROM score_rollup ORDER BY attribute")
        XCTAssertEqual(rows.map { $0.values[0].string }, ["", "colour", "shape"], "a NULL attribute is kept under ''")
        XCTAssertEqual(rows[1].values[1].int, 2)
        XCTAssertEqual(rows[1].values[3].double!, 0.6, accuracy: 1e-12)
        XCTAssertEqual(rows[1].values[4].double!, 0.2, accuracy: 1e-12)
        XCTAssertEqual(rows[1].values[5].double, 0.2)
        XCTAssertEqual(rows[1].values[6].double, 0.4)
        try store.database.execute("DELETE FROM scores WHERE description_id = 1")
        XCTAssertFalse(try store.scores.isRollupFresh())
    }
}
