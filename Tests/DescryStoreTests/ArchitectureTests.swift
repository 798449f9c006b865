import Foundation
import XCTest

/// Checks of the source tree's shape that the compiler cannot make: the store owns its tables,
/// so SQL text lives only in `DescryStore` and the DQL compiler; database values are never
/// force-unwrapped; library products hold no benchmark, fuzzer or test-server code.
final class ArchitectureTests: XCTestCase {
    static let sources: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Sources")
    }()

    /// Folders (under `Sources/`) where SQL text belongs, and the two documented exceptions:
    /// the benchmarks' hand-written baselines (the plain SQL that DQL and the store are timed
    /// against, like the Python baselines beside them) with their throwaway bench-store setup,
    /// and the DQL fuzzer, whose SQL words sit inside DQL strings as injection attempts.
    static let sqlOwners = ["DescryStore/", "DescryQuery/Compiler/", "DescryQuery/Catalog/",
                            "DescryBench/BenchSQL.swift", "DescryBench/Query/QueryFuzzer.swift"]

    /// SQL statements as they start in a string literal: uppercase keywords, as every statement
    /// in this code base is written.
    static let sqlPattern = try! NSRegularExpression(
        pattern: #"\b(SELECT\s+[\w*(]|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|VIRTUAL|TRIGGER|UNIQUE)|DROP\s+(TABLE|INDEX|TRIGGER)|PRAGMA\s+\w+|ALTER\s+TABLE|BEGIN\s+(IMMEDIATE|DEFERRED|EXCLUSIVE)|SAVEPOINT\s)"#)

    /// A database value force-unwrapped (`.int!`) or read by position (`row[0].int`, `$0[1].string`).
    static let unwrapPattern = try! NSRegularExpression(
        pattern: #"(\.(int|int64|double|string|blob)!)|(\[\d+\]\.(int|int64|double|string|blob|isNull)\b)"#)

    func swiftFiles() throws -> [(path: String, lines: [String])] {
        let fm = FileManager.default
        guard let walker = fm.enumerator(at: Self.sources, includingPropertiesForKeys: nil) else {
            XCTFail("cannot list \(Self.sources.path)")
            return []
        }
        var out: [(String, [String])] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            let rel = String(url.path.dropFirst(Self.sources.path.count + 1))
            let text = try String(contentsOf: url, encoding: .utf8)
            out.append((rel, text.components(separatedBy: "\n")))
        }
        XCTAssertGreaterThan(out.count, 100, "the walk found too few sources to be meaningful")
        return out
    }

    /// Lines outside comments that match `pattern`, as "path:line: text".
    func offenders(_ pattern: NSRegularExpression, in files: [(path: String, lines: [String])],
                   skipping owners: [String] = []) -> [String] {
        var found: [String] = []
        for f in files where !owners.contains(where: { f.path.hasPrefix($0) }) {
            for (i, line) in f.lines.enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") { continue }
                let range = NSRange(code.startIndex..., in: code)
                if pattern.firstMatch(in: code, range: range) != nil { found.append("\(f.path):\(i + 1): \(code)") }
            }
        }
        return found
    }

    func testPatternsMatchWhatTheyShouldCatch() {
        let sql = [#"try db.rows("SELECT id FROM audits")"#, #""INSERT OR REPLACE INTO audits(x) VALUES (?)""#,
                   "    DELETE FROM audits WHERE method = ?", #""PRAGMA query_only = 1""#]
        for s in sql {
            XCTAssertNotNil(Self.sqlPattern.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)), s)
        }
        let prose = ["/// Select the best description", "let selected = items.first", #"throw Failure("select a VLM")"#]
        for s in prose {
            XCTAssertNil(Self.sqlPattern.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)), s)
        }
        for s in ["let n = rows[0][0].int!", "$0[2].string ?? \"\"", "row.double!"] {
            XCTAssertNotNil(Self.unwrapPattern.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)), s)
        }
        XCTAssertNil(Self.unwrapPattern.firstMatch(in: #"try row.int("count")"#, range: NSRange(location: 0, length: 20)))
    }

    func testNoSQLOutsideTheStoreAndTheDQLCompiler() throws {
        let found = offenders(Self.sqlPattern, in: try swiftFiles(), skipping: Self.sqlOwners)
        XCTAssert(found.isEmpty, "SQL outside \(Self.sqlOwners):\n" + found.joined(separator: "\n"))
    }

    func testNoForceUnwrappedOrPositionalDatabaseValues() throws {
        let found = offenders(Self.unwrapPattern, in: try swiftFiles())
        XCTAssert(found.isEmpty, "database values read by position or force-unwrapped:\n" + found.joined(separator: "\n"))
    }

    func testLibraryTargetsHoldNoBenchmarkFuzzerOrTestServer() throws {
        let libraries = ["DescryStore", "DescryQuery", "DescryVision", "DescryLLM", "DescryAnalysis"]
        let banned = ["Benchmark", "Fuzzer", "LoopbackChatServer", "ScriptedReply", "SplitMix64"]
        var found: [String] = []
        for f in try swiftFiles() where libraries.contains(where: { f.path.hasPrefix($0 + "/") }) {
            if banned.contains(where: { f.path.contains($0) }) { found.append(f.path) }
            for (i, line) in f.lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                for b in banned where line.contains("struct \(b)") || line.contains("class \(b)") || line.contains("enum \(b)") {
                    found.append("\(f.path):\(i + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        XCTAssert(found.isEmpty, "test or benchmark code in a library target:\n" + found.joined(separator: "\n"))
    }
}
