import Foundation
import XCTest

/// The reliability issue's items as a user meets them through the binary: exit codes and the
/// one-line messages, and that the files and the store are left as they were.
final class HostileInputCLITests: XCTestCase {
    var cli: CLIHarness!
    var dir: String { cli.directory }
    let root = CLIHarness.packageRoot

    override func setUpWithError() throws { cli = try CLIHarness(name: "hostile") }

    @discardableResult
    func descry(_ args: String...) throws -> CLIHarness.Outcome { try cli.run(args) }

    /// Item 2: `--timeout inf` crashed inside FoundationNetworking; every numeric option is
    /// range-checked with a usage error before anything is sent.
    func testNonFiniteAndOutOfRangeNumbersAreUsageErrors() throws {
        XCTAssertEqual(try descry("init").status, 0)
        for (option, value) in [("--timeout", "inf"), ("--timeout", "1e308"), ("--timeout", "nan"), ("--timeout", "0"),
                                ("--attempts", "0"), ("--attempts", "1000000"), ("--max-response-bytes", "10")] {
            let r = try descry("judge", "--dataset", "d", "--model", "m", "--dry-run", option, value)
            XCTAssertEqual(r.status, 2, "\(option) \(value): \(r.err)")
            XCTAssertTrue(r.err.contains(option), r.err)
        }
    }

    /// Item 6: a huge template was repeated in full on stderr.
    func testMessagesQuoteAShortExcerptOfHugeInput() throws {
        XCTAssertEqual(try descry("init").status, 0)
        let huge = String(repeating: "a photo of a thing ", count: 60_000)  // ~1.1 MB, no {}
        let file = dir + "/templates.json"
        try "[\"\(huge)\"]".write(toFile: file, atomically: false, encoding: .utf8)
        let r = try descry("import", "templates", file)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("has no {} placeholder"), String(r.err.prefix(300)))
        XCTAssertTrue(r.err.contains("(\(huge.count) characters)"), String(r.err.prefix(300)))
        XCTAssertLessThan(r.err.utf8.count, 1000, "the message quotes an excerpt, not the input")
    }

    /// Smaller ones: a 0-byte file is not turned into a store by a reading command; a FIFO
    /// and a foreign SQLite database get their own messages.
    func testStoreFilesThatAreNotStores() throws {
        let empty = dir + "/empty.db"
        FileManager.default.createFile(atPath: empty, contents: Data())
        let r = try descry("--store", empty, "stats")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("the file is empty, not a Descry store yet"), r.err)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: empty)[.size] as? Int, 0, "stats left the file alone")

        XCTAssertEqual(mkfifo(dir + "/fifo.db", 0o644), 0)
        let f = try descry("--store", dir + "/fifo.db", "stats")
        XCTAssertEqual(f.status, 1)
        XCTAssertTrue(f.err.contains("not a regular file"), f.err)
    }

    /// Item 10: `export jsonl /dev/full` replaced the device node and exited 0; a symlink
    /// became a regular file.
    func testExportRefusesDevicesAndWritesThroughSymlinks() throws {
        XCTAssertEqual(try descry("init").status, 0)
        XCTAssertEqual(try descry("import", "fudd", root + "/Data/demo", "--dataset", "demo").status, 0)
        if FileManager.default.fileExists(atPath: "/dev/full") {
            let r = try descry("export", "jsonl", "/dev/full", "--dataset", "demo")
            XCTAssertEqual(r.status, 1, r.err)
            XCTAssertTrue(r.err.contains("/dev/full") && r.err.contains("not a regular file"), r.err)
            var st = stat()
            XCTAssertEqual(lstat("/dev/full", &st), 0)
            XCTAssertEqual(st.st_mode & S_IFMT, S_IFCHR)
        }
        try "".write(toFile: dir + "/target.jsonl", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.jsonl", withDestinationPath: dir + "/target.jsonl")
        let ok = try descry("export", "jsonl", dir + "/link.jsonl", "--dataset", "demo")
        XCTAssertEqual(ok.status, 0, ok.err)
        XCTAssertNotNil(try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.jsonl"), "the link is still a link")
        XCTAssertGreaterThan(try String(contentsOfFile: dir + "/target.jsonl", encoding: .utf8).count, 100)
    }

    /// Item 11: manifest rows outside the manifest's folder need --allow-outside.
    func testManifestPathsOutsideTheFolderNeedAllowOutside() throws {
        XCTAssertEqual(try descry("init").status, 0)
        XCTAssertEqual(try descry("import", "fudd", root + "/Data/demo", "--dataset", "demo").status, 0)
        let manifest = dir + "/m.csv"
        try "path,label\n/etc/hostname,crimson sailfin\n".write(toFile: manifest, atomically: false, encoding: .utf8)
        let r = try descry("images", "add", "demo", "--manifest", manifest)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("m.csv:2:") && r.err.contains("--allow-outside"), r.err)
        let stats = try descry("--json", "stats")
        XCTAssertTrue(stats.out.contains("\"images\" : 0"), stats.out)
    }

    /// Item 12, through the CLI: a bad DESCRY_LOCK_TIMEOUT is a usage error.
    func testLockTimeoutMustBeANumber() throws {
        XCTAssertEqual(try descry("init").status, 0)
        let p = cli.process(["import", "classes", root + "/Data/demo/demo_class_names.json", "--dataset", "x"])
        p.environment = ProcessInfo.processInfo.environment.merging(["DESCRY_LOCK_TIMEOUT": "forever"]) { $1 }
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 2)
        XCTAssertTrue(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("DESCRY_LOCK_TIMEOUT"))

    }
}
