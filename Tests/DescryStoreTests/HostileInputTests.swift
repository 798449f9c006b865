@testable import DescryStore
import Foundation
import XCTest

/// Regression tests for the hostile inputs of the reliability issue (items 1 and 9): each
/// crashed or silently changed data before its fix.
final class HostileInputTests: XCTestCase {
    func lines(_ text: String) throws -> (lines: [DescriptionLine], errors: [StoreError]) {
        try DescriptionLine.read(InputFile(path: "x.jsonl", bytes: Array(text.utf8)), skipInvalid: true)
    }

    /// `1e400` and numbers ≥ 9.3e18 trapped the Double → Int conversion (SIGILL), even with
    /// --skip-invalid. Each is now a positioned error and the good lines still come through.
    func testHugeNumbersArePositionedErrorsNotTraps() throws {
        let bad = [
            (#"{"dataset":"eurosat","kind":"class","class":1e400,"text":"x"}"#, "class"),
            (#"{"dataset":"eurosat","kind":"class","class":9.3e18,"text":"x"}"#, "class"),
            (#"{"dataset":"eurosat","kind":"class","class":-1,"text":"x"}"#, "class"),
            (#"{"dataset":"e","pair":[0,1e300],"side":0,"text":"x","twin":"y"}"#, "pair[1]"),
            (#"{"dataset":"e","pair":[0,1],"side":1e19,"text":"x","twin":"y"}"#, "side"),
            (#"{"dataset":"e","pair":[0,1],"side":0,"text":"x","twin":"y","position":1e400}"#, "position"),
            (#"{"dataset":"e","pair":[0,1],"side":0,"text":"x","twin":"y","position":2.5}"#, "position"),
        ]
        let good = #"{"dataset":"eurosat","kind":"class","class":2,"text":"fields in rows"}"#
        let r = try lines(([good] + bad.map(\.0)).joined(separator: "\n"))
        XCTAssertEqual(r.lines.map(\.text), ["fields in rows"])
        XCTAssertEqual(r.errors.count, bad.count)
        for (i, (e, want)) in zip(r.errors, bad.map(\.1)).enumerated() {
            guard case .invalidInput(let loc, let message) = e else { XCTFail("\(e)"); continue }
            XCTAssertEqual(loc.line, i + 2, message)
            XCTAssertEqual(loc.path, want, message)
        }
        XCTAssertThrowsError(try DescriptionLine.read(InputFile(path: "x.jsonl", bytes: Array(bad[0].0.utf8)))) {
            XCTAssertTrue("\($0)".contains("x.jsonl:1"), "\($0)")
        }
        // The largest accepted index still converts.
        XCTAssertEqual(DescriptionLine.index(Double(DescriptionLine.maximumIndex)), DescriptionLine.maximumIndex)
        XCTAssertNil(DescriptionLine.index(.infinity))
        XCTAssertNil(DescriptionLine.index(.nan))
    }

    /// A CRLF class list was one class named "alpha\r\nbeta".
    func testCRLFClassListSplitsIntoLines() throws {
        let names = try ClassListReader.read(InputFile(path: "c.txt", bytes: Array("alpha\r\nbeta\r\n\r\n# note\r\ngamma".utf8)))
        XCTAssertEqual(names, ["alpha", "beta", "gamma"])
        let mixed = try ClassListReader.read(InputFile(path: "c.txt", bytes: Array("one\ntwo\r\nthree\n".utf8)))
        XCTAssertEqual(mixed, ["one", "two", "three"])
    }

    /// A UTF-8 BOM before a JSON array made one class named after the whole array text.
    func testByteOrderMarkIsDroppedForJSONAndText() throws {
        let json = InputFile(path: "c.json", bytes: [0xEF, 0xBB, 0xBF] + Array(#"["alpha", "beta"]"#.utf8))
        XCTAssertEqual(try ClassListReader.read(json), ["alpha", "beta"])
        XCTAssertTrue(json.hadByteOrderMark)
        // Provenance hashes the file as it is on disk, BOM included.
        XCTAssertEqual(json.contentHash, Hashing.sha256Hex([0xEF, 0xBB, 0xBF] + Array(#"["alpha", "beta"]"#.utf8)))
        let text = InputFile(path: "c.txt", bytes: [0xEF, 0xBB, 0xBF] + Array("alpha\r\nbeta\r\n".utf8))
        XCTAssertEqual(try ClassListReader.read(text), ["alpha", "beta"])
    }

    /// A NUL inside a name was cut there by SQLite; control characters in names are errors now.
    func testControlCharactersInClassNamesAreErrors() throws {
        XCTAssertThrowsError(try ClassListReader.read(InputFile(path: "c.json", bytes: Array(#"["ok", "al\u0000pha"]"#.utf8)))) {
            let m = "\($0)"
            XCTAssertTrue(m.contains("c.json") && m.contains("[1]") && m.contains("U+0000"), m)
        }
        XCTAssertThrowsError(try ClassListReader.read(InputFile(path: "c.txt", bytes: Array("ok\nbe\u{7}ll\n".utf8)))) {
            let m = "\($0)"
            XCTAssertTrue(m.hasPrefix("c.txt:2:") && m.contains("U+0007"), m)
        }
    }

    /// Text with a NUL is bound whole (SQLite's -1 length stopped at the NUL), and an empty
    /// string binds as '' rather than NULL.
    func testTextBindingKeepsEmbeddedNULAndEmptyStrings() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t (v TEXT)")
        try db.execute("INSERT INTO t VALUES (?)", ["a\u{0}b"])
        try db.execute("INSERT INTO t VALUES (?)", [""])
        XCTAssertEqual(try db.rows("SELECT length(CAST(v AS BLOB)) AS n FROM t ORDER BY rowid").map { try $0.int("n") }, [3, 0])
        XCTAssertEqual(try db.scalar(Int.self, "SELECT count(*) FROM t WHERE v IS NULL"), 0)
    }

    // MARK: - Output files (item 10)

    func scratch() throws -> String { TestSupport.tempDirectory() }

    /// Export wrote a temporary file and renamed it over the path, so a symlink became a
    /// regular file. Now the link is written through and stays a link.
    func testOutputFileWritesThroughSymlinks() throws {
        let dir = try scratch()
        try "old".write(toFile: dir + "/real.jsonl", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.jsonl", withDestinationPath: "real.jsonl")
        try OutputFile.write("new\n", to: dir + "/link.jsonl")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.jsonl"), "real.jsonl")
        XCTAssertEqual(try String(contentsOfFile: dir + "/real.jsonl", encoding: .utf8), "new\n")
        // A dangling link creates its target.
        try FileManager.default.createSymbolicLink(atPath: dir + "/dangling", withDestinationPath: dir + "/made.jsonl")
        try OutputFile.write("x", to: dir + "/dangling")
        XCTAssertEqual(try String(contentsOfFile: dir + "/made.jsonl", encoding: .utf8), "x")
        // No temporary file is left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".tmp") }, [])
    }

    /// A FIFO, a device node and a folder are refused and left as they were.
    func testOutputFileRefusesNonRegularTargets() throws {
        let dir = try scratch()
        XCTAssertEqual(mkfifo(dir + "/fifo", 0o644), 0)
        XCTAssertThrowsError(try OutputFile.write("x", to: dir + "/fifo")) { XCTAssertTrue("\($0)".contains("not a regular file"), "\($0)") }
        var st = stat()
        XCTAssertEqual(lstat(dir + "/fifo", &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFIFO)
        if FileManager.default.fileExists(atPath: "/dev/full") {
            XCTAssertThrowsError(try OutputFile.write("x", to: "/dev/full")) { XCTAssertTrue("\($0)".contains("/dev/full"), "\($0)") }
            XCTAssertEqual(lstat("/dev/full", &st), 0)
            XCTAssertEqual(st.st_mode & S_IFMT, S_IFCHR, "/dev/full must stay a device node")
        }
        XCTAssertThrowsError(try OutputFile.write("x", to: dir)) { XCTAssertTrue("\($0)".contains("folder"), "\($0)") }
    }

    /// A folder that cannot be written is an error naming the path, and an existing file keeps
    /// its old content and permissions on success.
    func testOutputFileReportsWriteErrorsAndKeepsMode() throws {
        let dir = try scratch()
        let f = dir + "/out.json"
        try "old".write(toFile: f, atomically: false, encoding: .utf8)
        XCTAssertEqual(chmod(f, 0o600), 0)
        try OutputFile.write("new", to: f)
        var st = stat()
        XCTAssertEqual(stat(f, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        XCTAssertThrowsError(try OutputFile.write("x", to: "/proc/descry-cannot-write/out.json")) {
            XCTAssertTrue("\($0)".hasPrefix("/proc/descry-cannot-write/out.json:"), "\($0)")
        }
    }

    // MARK: - Manifest paths (item 11) and CSV quoting

    func manifest(_ text: String, in dir: String, allowOutside: Bool = false) throws -> ImageList {
        try "".write(toFile: dir + "/m.csv", atomically: false, encoding: .utf8)
        return try ImageList.manifest(InputFile(path: dir + "/m.csv", bytes: Array(text.utf8)), allowOutside: allowOutside)
    }

    func testManifestPathsStayInsideTheManifestFolder() throws {
        let dir = try scratch()
        try FileManager.default.createDirectory(atPath: dir + "/imgs", withIntermediateDirectories: true)
        let ok = try manifest("path,label\nimgs/a.jpg,beagle\n./imgs/../imgs/b.jpg,pug\n", in: dir)
        XCTAssertEqual(ok.entries.map(\.path), [dir + "/imgs/a.jpg", dir + "/imgs/b.jpg"])
        for (row, why) in [("/etc/shadow,x", "absolute path"), ("../../x.jpg,x", "outside"), ("imgs/../../y.jpg,y", "outside")] {
            XCTAssertThrowsError(try manifest("path,label\n" + row + "\n", in: dir)) {
                let m = "\($0)"
                XCTAssertTrue(m.contains("m.csv:2:") && m.contains(why) && m.contains("--allow-outside"), m)
            }
        }
        // A symbolic link inside the folder that points out of it is outside too.
        try FileManager.default.createSymbolicLink(atPath: dir + "/escape", withDestinationPath: "/etc")
        XCTAssertThrowsError(try manifest("escape/shadow,x\n", in: dir)) { XCTAssertTrue("\($0)".contains("outside"), "\($0)") }
        // --allow-outside accepts both.
        let outside = try manifest("/etc/hostname,x\n../z.jpg,z\n", in: dir, allowOutside: true)
        XCTAssertEqual(outside.entries.map(\.path), ["/etc/hostname", (dir as NSString).deletingLastPathComponent + "/z.jpg"])
    }

    func testManifestCSVQuotingAndEmptyLabels() throws {
        let dir = try scratch()
        let list = try manifest(#"""
        path,label
        "imgs/a, b.jpg","great ""dane"""
        imgs/c.jpg
          imgs/d.jpg , pug
        """#, in: dir)
        XCTAssertEqual(list.entries.map(\.label), ["great \"dane\"", nil, "pug"])
        XCTAssertEqual(list.entries.first?.path, dir + "/imgs/a, b.jpg")
        XCTAssertThrowsError(try manifest("imgs/e.jpg,\n", in: dir)) { XCTAssertTrue("\($0)".contains("m.csv:1: empty label"), "\($0)") }
        XCTAssertThrowsError(try manifest("\"imgs/f.jpg,x\n", in: dir)) { XCTAssertTrue("\($0)".contains("unterminated quote"), "\($0)") }
        XCTAssertThrowsError(try manifest("a.jpg,b,c\n", in: dir)) { XCTAssertTrue("\($0)".contains("3 columns"), "\($0)") }
    }
}

/// One empty string aborted a whole import (WaffleCLIP's Stanford Cars, ProAPO's AWT set):
/// the error names it and says how to skip; `skipInvalid` imports the rest and lists it.
final class SkipInvalidTests: XCTestCase {
    func testEmptyTextsAndWrongTypesAreSkippedAndReported() throws {
        let store = try TestSupport.newStore()
        let dir = TestSupport.tempDirectory()
        let classes = TestSupport.write("[\"beagle\", \"pug\"]", to: "c.json", in: dir)
        _ = try Importer(store: store).importClassList(path: classes, dataset: "dogs")
        let file = TestSupport.write(#"{"beagle": ["long ears", "", "  "], "pug": [3, "a flat face"]}"#, to: "d.json", in: dir)
        XCTAssertThrowsError(try Importer(store: store).importClassDescriptions(path: file, dataset: "dogs")) {
            let m = "\($0)"
            XCTAssertTrue(m.contains("d.json:1:") && m.contains("\"beagle\"[1]") && m.contains("--skip-invalid"), m)
        }
        XCTAssertEqual(try store.stats().datasets.first?.byKind["class"] ?? 0, 0, "nothing landed")
        let r = try Importer(store: store).importClassDescriptions(path: file, dataset: "dogs", skipInvalid: true)
        XCTAssertEqual(r.descriptionsAdded, 2)
        XCTAssertEqual(r.warnings.filter { $0.hasPrefix("skipped:") }.count, 3)
        XCTAssertTrue(r.warnings.contains { $0.contains("\"pug\"[0]") && $0.contains("expected a string") }, "\(r.warnings)")
    }

    func testTemplatesWithoutPlaceholderAreSkippedOnRequest() throws {
        let store = try TestSupport.newStore()
        let dir = TestSupport.tempDirectory()
        let file = TestSupport.write(#"["a photo of a {}.", "no placeholder", null]"#, to: "t.json", in: dir)
        XCTAssertThrowsError(try Importer(store: store).importTemplates(path: file))
        let r = try Importer(store: store).importTemplates(path: file, skipInvalid: true)
        XCTAssertEqual(r.descriptionsAdded, 1)
        XCTAssertEqual(r.warnings.count, 2)
    }
}
