@testable import DescryStore
import Foundation
import XCTest

/// Item 12 of the reliability issue: with three bulk imports at once, one failed every time
/// with "database is locked" after the 5 s busy timeout. A write now waits for the lock up to
/// `writeLockTimeout`, reporting as it waits, and names who holds the store when it gives up.
final class WriteLockTests: XCTestCase {
    final class Waits: @unchecked Sendable {
        // @unchecked: guarded by `lock`; written from the waiting write's callback.
        private let lock = NSLock()
        private var values: [Double] = []
        func add(_ v: Double) { lock.withLock { values.append(v) } }
        var all: [Double] { lock.withLock { values } }
    }

    func open(_ path: String, busy: Double) throws -> Store {
        try Store(path: path, taxonomy: TestSupport.taxonomy, create: true, busyTimeout: busy)
    }

    /// Holds the write lock on `path` from another connection for `seconds`, on another thread.
    func holdLock(_ path: String, for seconds: Double) throws -> XCTestExpectation {
        let held = expectation(description: "lock released")
        let taken = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            // The connection lives on this thread only (Database is not Sendable).
            let other = try? Database(path: path, mode: .readWrite)
            try? other?.execute("BEGIN IMMEDIATE")
            taken.signal()
            Thread.sleep(forTimeInterval: seconds)
            try? other?.execute("COMMIT")
            held.fulfill()
        }
        taken.wait()
        return held
    }

    func testAWriteWaitsForTheLockAndReportsWhileWaiting() throws {
        let path = TestSupport.tempDirectory() + "/locked.db"
        let store = try open(path, busy: 0.2)
        let waits = Waits()
        store.onWriteLockWait = { waits.add($0.waited) }
        let released = try holdLock(path, for: 1.5)
        let start = Date()
        let id = try store.write { try store.ensureDataset(named: "waited").id }
        XCTAssertGreaterThan(id, 0)
        XCTAssertGreaterThan(Date().timeIntervalSince(start), 1.0, "the write must have waited for the other writer")
        XCTAssertGreaterThanOrEqual(waits.all.count, 2, "waits are reported about every busy timeout")
        XCTAssertEqual(waits.all, waits.all.sorted())
        wait(for: [released], timeout: 10)
        XCTAssertEqual(try store.datasetNames(), ["waited"])
    }

    func testAWriteGivesUpAfterItsTimeoutWithAClearError() throws {
        let path = TestSupport.tempDirectory() + "/locked.db"
        let store = try open(path, busy: 0.2)
        store.writeLockTimeout = 0.5
        let released = try holdLock(path, for: 3)
        XCTAssertThrowsError(try store.write { _ = try store.ensureDataset(named: "never") }) { e in
            guard case StoreError.locked(let p, let waited, _) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(p, path)
            XCTAssertEqual(waited, 0.5)
            let m = "\(e)"
            XCTAssertTrue(m.contains("write lock") && m.contains("DESCRY_LOCK_TIMEOUT"), m)
        }
        wait(for: [released], timeout: 10)
        XCTAssertEqual(try store.datasetNames(), [], "nothing of the failed write landed")
    }

    /// Another process holding the store is named by pid and command line.
    func testHoldersAreFoundThroughProc() throws {
        let path = TestSupport.tempDirectory() + "/held.db"
        FileManager.default.createFile(atPath: path, contents: Data())
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "exec 3<\"$0\"; exec sleep 5", path]
        try holder.run()
        defer { holder.terminate() }
        var found: [FileHolder] = []
        // The shell opens the file before it execs `sleep`: until the exec completes, /proc shows
        // the holder with the shell's (or, mid-exec, an empty) command line. Wait for `sleep`.
        for _ in 0..<50 where !(found.first?.command.contains("sleep") ?? false) {
            found = FileHolders.of([path])
            if !(found.first?.command.contains("sleep") ?? false) { Thread.sleep(forTimeInterval: 0.1) }
        }
        XCTAssertEqual(found.map(\.pid), [holder.processIdentifier])
        XCTAssertTrue(found.first?.command.contains("sleep") ?? false, "\(found)")
    }
}
