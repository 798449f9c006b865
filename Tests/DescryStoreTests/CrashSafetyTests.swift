import CSQLite
@testable import DescryStore
import DescryTestSupport
import Foundation
import XCTest

/// A `descry import` killed with SIGKILL in the middle of its write transaction must leave
/// the store exactly as it was before the import.
final class CrashSafetyTests: XCTestCase {
    func testKillDuringImportLeavesStoreAsBefore() throws {
        try killDuringImport(emptyStore: false)
    }

    /// Into a store without descriptions a bulk write builds the FTS5 index on a second thread
    /// in a private temporary database (`FTSSideIndex`); the kill lands while that thread runs.
    func testKillDuringSecondThreadIndexingLeavesStoreAsBefore() throws {
        try killDuringImport(emptyStore: true)
    }

    func killDuringImport(emptyStore: Bool) throws {
        let binary = try DescryBinary.path()
        let dir = TestSupport.tempDirectory()
        let storePath = dir + "/kill.db"
        let t = TestSupport.writeTinyFudd(in: dir)
        do {
            let store = try Store(path: storePath, taxonomy: TestSupport.taxonomy, create: true)
            if emptyStore {
                let (ds, _) = try store.ensureDataset(named: "tiny")
                try store.write { _ = try store.setClasses(datasetID: ds, names: ["red kite", "blue kite", "red_box", "blue box"], file: "test") }
            } else {
                _ = try Importer(store: store).importFudd(classNamesPath: t.names, promptPairsPath: t.pairs, dataset: "tiny")
            }
        }
        var text = ""
        // More lines than Importer.bulkThreshold, so the kill lands in a bulk write, which drops and
        // rebuilds the secondary indexes inside its transaction.
        for i in 0..<60_000 { text += "{\"dataset\": \"tiny\", \"class\": \(i % 4), \"text\": \"generated sentence \(i) about kites and boxes.\"}\n" }
        let big = TestSupport.write(text, to: "big.jsonl", in: dir)
        let before = try TestSupport.snapshot(try Store(path: storePath, taxonomy: TestSupport.taxonomy))

        let child = Process()
        child.executableURL = URL(fileURLWithPath: binary)
        child.arguments = ["--store", storePath, "--data", TestSupport.dataDirectory, "import", "jsonl", big]
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()

        // Wait until the child holds the write lock (its import transaction is open), then kill it.
        let probe = try Database(path: storePath, busyTimeoutMilliseconds: 0)
        var sawLock = false
        let deadline = Date().addingTimeInterval(120)
        while child.isRunning && Date() < deadline {
            do {
                try probe.execute("BEGIN IMMEDIATE")
                try probe.execute("ROLLBACK")
            } catch let e as DatabaseError where e.code == SQLITE_BUSY {
                sawLock = true
                break
            }
            usleep(2_000)
        }
        if sawLock { usleep(50_000) } // let it write a while inside the transaction
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        XCTAssertTrue(sawLock, "the child never opened its write transaction")
        XCTAssertEqual(child.terminationReason, .uncaughtSignal, "the child finished before it could be killed")

        let store = try Store(path: storePath, taxonomy: TestSupport.taxonomy)
        XCTAssertEqual(try TestSupport.snapshot(store), before)
        XCTAssertEqual(try store.database.scalar("PRAGMA integrity_check"), .text("ok"))
        let indexes = try store.database.rows("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'descriptions_by_%' ORDER BY name").map { try $0.string("name") }
        XCTAssertEqual(indexes, ["descriptions_by_attribute", "descriptions_by_class"], "the dropped indexes came back with the rollback")
        try store.database.execute("INSERT INTO descriptions_fts(descriptions_fts, rank) VALUES ('integrity-check', 1)")
        // And the store is fully usable: the same import now lands whole.
        let r = try Importer(store: store).importJSONLines(path: big)
        XCTAssertEqual(r.descriptionsAdded, 60_000)
        XCTAssertEqual(try store.database.rows("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'descriptions_by_%'").count, 2,
                       "a finished bulk write rebuilds its indexes")
        XCTAssertEqual(try TestSupport.count(store, "descriptions_fts"), try TestSupport.count(store, "descriptions"))
    }
}
