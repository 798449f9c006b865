import DescryStore
import XCTest
@testable import DescryQuery

/// SQL injection attempts in strings and names are rejected or treated as plain values, and
/// the store is untouched.
final class InjectionTests: XCTestCase {
    let attempts = [
        "descriptions | where text = \"\\\"; DROP TABLE descriptions; --\"",
        "descriptions | where text = \"'; DROP TABLE descriptions; --\"",
        "descriptions | where dataset = 'x\\' OR 1=1 --'",
        "descriptions | where class = \"]\" or class = \"[\" or class = \"`\"",
        "descriptions | search \"x'); DROP TABLE descriptions; --\"",
        "descriptions | search \"\\\"; DELETE FROM scores; --\\\"\"",
        "descriptions | where text like \"*'; UPDATE descriptions SET text = 'x'; --*\"",
        "descriptions | show \"a\\\" AS x FROM descriptions; DROP TABLE descriptions; --\" ",
        "descriptions | show x = \"; DROP TABLE vlms\"",
        "descriptions; DROP TABLE descriptions",
        "descriptions | where `text` = 1",
        "descriptions | where text] = 1",
        "descriptions | where [text] = \"a\"",
        "descriptions | where \"text\" = text",
        "descriptions | group by attribute | aggregate \"n; DROP TABLE x\" = count()",
        "descriptions | pivot attribute by text value count()",
        "descriptions\"; DROP TABLE descriptions; --",
        "sqlite_master | show sql",
        "descriptions | where sqlite_version() = \"3\"",
        "descriptions | where load_extension(\"x\") = 1",
        "descriptions | sort (SELECT 1)",
        "descriptions | top 1; DROP TABLE descriptions",
    ]

    func testInjectionAttemptsLeaveTheStoreUntouched() throws {
        let store = try TestStore.fixture()
        let engine = try QueryEngine(store: store)
        let before = try TestStore.snapshot(store)
        var ran = 0
        for text in attempts {
            do {
                let compiled = try? engine.compile(text)
                if let compiled {
                    for word in ["DROP", "DELETE", "UPDATE", "OR 1=1", "sqlite_master", "load_extension"] {
                        XCTAssertFalse(compiled.sql.contains(word), "compiled SQL contains \(word) for \(text)")
                    }
                }
                let r = try engine.run(text)
                ran += 1
                // Run as values: they match nothing in the store, or they are just shown.
                if text.contains("show x =") { XCTAssertEqual(r.rows.first?.first, .text("; DROP TABLE vlms")) }
            } catch let e as QueryError {
                XCTAssertNotNil(e.span, text)
                XCTAssertNotEqual(e.phase, .execution, "\(text): \(e.message)")
            }
        }
        XCTAssertGreaterThan(ran, 5)
        XCTAssertEqual(try TestStore.snapshot(store), before)
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM descriptions").int, 15)
    }

    func testValuesAreBoundNeverSpliced() throws {
        let compiled = Compiler().compile(try Checker().check(try Parser.parse(
            "descriptions | where dataset = \"it's\" and id > 3 and lift < 0.5 and kind in [\"a\", \"b\"] | search \"ears\" | top 7")))
        XCTAssertFalse(compiled.sql.contains("it's"))
        XCTAssertFalse(compiled.sql.contains("ears"))
        XCTAssertEqual(compiled.bindings, [.text("ears"), .text("it's"), .integer(3), .real(0.5), .text("a"), .text("b"), .integer(7)])
        XCTAssertEqual(compiled.sql.filter { $0 == "?" }.count, compiled.bindings.count)
    }

    func testQueriesRunReadOnlyAndRestoreTheConnection() throws {
        let store = try TestStore.fixture()
        let engine = try QueryEngine(store: store)
        _ = try engine.run("descriptions | top 1")
        XCTAssertEqual(try store.database.scalar("PRAGMA query_only").int, 0, "the store stays writable for other users of the connection")
        try store.database.execute("INSERT INTO llms(name) VALUES ('still-writable')")
    }
}
