@testable import DescryStore
import Foundation
import XCTest

/// The FTS5 index a bulk write builds on a second thread (`FTSSideIndex`) against the plain
/// path, where `finish()` indexes the new rows itself: same rows, same shadow tables byte for
/// byte, same search results with bit-identical bm25 ranks.
final class FTSSideIndexTests: XCTestCase {
    /// Our own word list; enough rows that FTS5 flushes its pending terms several times (about
    /// 1 MB each) and merges segments, with repeats so dedupe by content hash is exercised.
    static let words = ["kite", "kites", "red", "blue", "tail", "forked", "straight", "wing", "wings", "feather", "striped",
                        "spotted", "beak", "hooked", "long", "short", "café", "naïve", "élan", "soars", "perches", "over",
                        "beaches", "cliffs", "marsh", "grey", "brown", "white", "crest", "small", "large", "eyes"]

    struct Fixture {
        let store: Store
        let datasetID: Int64
        let classIDs: [Int64]
    }

    func makeStore() throws -> Fixture {
        let store = try TestSupport.newStore()
        let (ds, _) = try store.ensureDataset(named: "birds")
        try store.write { _ = try store.setClasses(datasetID: ds, names: ["red kite", "blue kite", "grey heron"], file: "test") }
        return Fixture(store: store, datasetID: ds, classIDs: try store.classes(ofDataset: ds).map(\.id))
    }

    static func rows(_ n: Int, seed: UInt64 = 7) -> [(cls: Int, text: String, attr: String)] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var out: [(Int, String, String)] = []
        for i in 0..<n {
            var text = "a photo of a bird,"
            for _ in 0..<(4 + next(10)) { text += " " + words[next(words.count)] }
            out.append((i % 3, text, ["color", "shape", "habitat"][next(3)]))
            // Every 50th row repeats an earlier one: stored once.
            if i % 50 == 49 { out.append(out[next(out.count)]) }
        }
        return out
    }

    /// Imports `rows` in one bulk write; returns whether the writer built the index on a second thread.
    @discardableResult
    func importRows(_ f: Fixture, _ rows: [(cls: Int, text: String, attr: String)], secondThread: Bool, bulk: Bool = true,
                    label: String = "t") throws -> Bool {
        try f.store.write {
            let src = try f.store.addSource(SourceInfo(format: "test", label: label, contentHash: label))
            let w = try DescriptionWriter(store: f.store, sourceID: src.id, bulk: bulk, indexOnSecondThread: secondThread)
            for r in rows {
                try w.add(NewDescription(datasetID: f.datasetID, classID: f.classIDs[r.cls], text: r.text, kind: .class, attributeRaw: r.attr))
            }
            try w.finish()
            return w.indexesOnSecondThread
        }
    }

    func dump(_ store: Store, _ sql: String) throws -> [[DatabaseValue]] {
        try store.database.rows(sql).map { row in row.values }
    }

    func checkIntegrity(_ store: Store, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertNoThrow(try store.database.execute("INSERT INTO descriptions_fts(descriptions_fts, rank) VALUES ('integrity-check', 1)"),
                         file: file, line: line)
        XCTAssertEqual(try TestSupport.count(store, "descriptions_fts_docsize"), try TestSupport.count(store, "descriptions"), file: file, line: line)
    }

    static let queries = ["kite", "red kite", "\"forked tail\"", "wing OR wings", "cafe", "naive", "spot*", "beak NOT hooked", "marsh cliffs"]

    func searches(_ store: Store) throws -> [[(id: Int64, rank: UInt64)]] {
        try Self.queries.map { q in try store.search(q, limit: 50).map { ($0.id, $0.rank.bitPattern) } }
    }

    func testSecondThreadBuildsTheSameIndexAsThePlainPath() throws {
        let rows = Self.rows(30_000)
        let fast = try makeStore(), plain = try makeStore()
        XCTAssertTrue(try importRows(fast, rows, secondThread: true), "an empty store takes the second-thread path")
        XCTAssertFalse(try importRows(plain, rows, secondThread: false))
        let descriptions = "SELECT id, dataset_id, class_id, text, kind, source_id, attribute_raw, attribute, category, content_hash FROM descriptions ORDER BY id"
        XCTAssertEqual(try dump(fast.store, descriptions), try dump(plain.store, descriptions))
        XCTAssertEqual(try TestSupport.count(fast.store, "descriptions"), Set(rows.map { "\($0.cls) \($0.text)" }).count, "repeats stored once")
        XCTAssertLessThan(try TestSupport.count(fast.store, "descriptions"), rows.count, "the fixture has repeats")
        XCTAssertGreaterThan(try TestSupport.count(plain.store, "descriptions_fts_data"), 20, "the fixture is too small to make several segments")
        for (table, key) in [("descriptions_fts_data", "id"), ("descriptions_fts_idx", "segid, term"), ("descriptions_fts_docsize", "id")] {
            let sql = "SELECT * FROM \(table) ORDER BY \(key)"
            XCTAssertEqual(try dump(fast.store, sql), try dump(plain.store, sql), table)
        }
        try checkIntegrity(fast.store)
        try checkIntegrity(plain.store)
        let a = try searches(fast.store), b = try searches(plain.store)
        for (i, q) in Self.queries.enumerated() {
            XCTAssertFalse(b[i].isEmpty, "query \(q) finds nothing: the fixture does not test it")
            XCTAssertEqual(a[i].map(\.id), b[i].map(\.id), q)
            XCTAssertEqual(a[i].map(\.rank), b[i].map(\.rank), "bm25 ranks differ for \(q)")
        }
        // A second connection (nothing cached) reads the same index.
        let reopened = try Store(path: fast.store.path, taxonomy: TestSupport.taxonomy)
        let c = try searches(reopened)
        XCTAssertEqual(c.map { $0.map(\.id) }, b.map { $0.map(\.id) })
    }

    func testWritesAfterTheCopyOnTheSameConnectionSeeTheNewIndex() throws {
        let f = try makeStore()
        // A search before the import makes FTS5 cache the (empty) structure record on this connection.
        XCTAssertEqual(try f.store.search("kite").count, 0)
        XCTAssertTrue(try importRows(f, Self.rows(3_000), secondThread: true))
        XCTAssertEqual(try f.store.search("kite", limit: 5_000).count, try f.store.database.scalar(
            Int.self, "SELECT count(*) AS n FROM descriptions WHERE text LIKE '% kite %' OR text LIKE '% kite'"))
        // More rows, on the plain path: FTS5 must append to the copied index, not to the cached empty one.
        let more = (0..<200).map { (cls: $0 % 3, text: "a photo of a bird, zebraic pattern number \($0)", attr: "pattern") }
        XCTAssertFalse(try importRows(f, more, secondThread: true, bulk: false, label: "more"), "a store with descriptions takes the plain path")
        XCTAssertEqual(try f.store.search("zebraic", limit: 500).count, 200)
        XCTAssertGreaterThan(try f.store.search("kite").count, 0)
        try checkIntegrity(f.store)
        // And a bulk write into the now non-empty store stays on the plain path too.
        let third = (0..<100).map { (cls: $0 % 3, text: "a photo of a bird, quokkaish face \($0)", attr: "shape") }
        XCTAssertFalse(try importRows(f, third, secondThread: true, label: "third"))
        XCTAssertEqual(try f.store.search("quokkaish", limit: 500).count, 100)
        try checkIntegrity(f.store)
    }

    func testAFailedSecondThreadWriteLeavesTheStoreAsBefore() throws {
        let f = try makeStore()
        struct Stop: Error {}
        XCTAssertThrowsError(try f.store.write {
            let src = try f.store.addSource(SourceInfo(format: "test", label: "x", contentHash: "x"))
            let w = try DescriptionWriter(store: f.store, sourceID: src.id, bulk: true)
            XCTAssertTrue(w.indexesOnSecondThread)
            for r in Self.rows(10_000) {
                try w.add(NewDescription(datasetID: f.datasetID, classID: f.classIDs[r.cls], text: r.text, kind: .class, attributeRaw: r.attr))
            }
            throw Stop()
        })
        XCTAssertEqual(try TestSupport.count(f.store, "descriptions"), 0)
        XCTAssertEqual(try TestSupport.count(f.store, "descriptions_fts_docsize"), 0)
        try checkIntegrity(f.store)
        // The same write then lands whole.
        XCTAssertTrue(try importRows(f, Self.rows(10_000), secondThread: true))
        try checkIntegrity(f.store)
        XCTAssertGreaterThan(try f.store.search("kite").count, 0)
    }
}
