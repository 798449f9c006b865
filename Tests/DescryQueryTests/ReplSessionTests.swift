import XCTest
@testable import DescryQuery

final class ReplSessionTests: XCTestCase {
    func feed(_ session: inout ReplSession, _ lines: [String]) -> [ReplOutput] {
        lines.flatMap { session.feed($0) }
    }

    func testMultiLineQueriesRunAtBlankLineOrSemicolon() throws {
        var s = ReplSession(engine: try QueryEngine(store: try TestStore.fixture()))
        XCTAssertEqual(s.prompt, "dql> ")
        XCTAssertEqual(s.feed("datasets"), [])
        XCTAssertEqual(s.prompt, " ..> ")
        XCTAssertEqual(s.feed("| show dataset"), [])
        let out = s.feed("")
        XCTAssertEqual(out, [.result("dataset\n───────\nmini\n(1 row)")])
        XCTAssertEqual(feed(&s, ["vlms | show vlm", "| top 1;"]), [.result("vlm\n────────\nclip-b32\n(1 row)")])
        XCTAssertEqual(s.history, ["datasets\n| show dataset", "vlms | show vlm\n| top 1;"])
        guard case .result(let h) = s.feed(":history")[0] else { return XCTFail() }
        XCTAssertTrue(h.hasPrefix("1  datasets\n   | show dataset\n2  vlms"), h)
        XCTAssertEqual(s.feed(":run 2"), [.result("vlm\n────────\nclip-b32\n(1 row)")])
        XCTAssertEqual(s.history.count, 3)
    }

    func testCommands() throws {
        var s = ReplSession(engine: try QueryEngine(store: try TestStore.fixture()))
        guard case .result(let help) = s.feed(":help")[0] else { return XCTFail() }
        XCTAssertTrue(help.contains(":fields SOURCE"))
        guard case .result(let sources) = s.feed(":sources")[0] else { return XCTFail() }
        XCTAssertTrue(sources.contains("descriptions") && sources.contains("audits"))
        guard case .result(let fields) = s.feed(":fields descriptions")[0] else { return XCTFail() }
        XCTAssertTrue(fields.contains("attribute") && fields.contains("alignment") && fields.contains("real"), fields)
        XCTAssertEqual(s.feed(":fields descriptons"), [.message("unknown source 'descriptons' (did you mean 'descriptions'?)")])
        XCTAssertEqual(s.feed(":sql"), [.message("no query yet; type one, or :sql QUERY")])
        _ = s.feed("runs | top 1;")
        guard case .result(let sql) = s.feed(":sql")[0] else { return XCTFail() }
        XCTAssertTrue(sql.contains("FROM runs r") && sql.contains("?1 = 1"), sql)
        XCTAssertEqual(s.feed(":format csv"), [])
        XCTAssertEqual(s.feed("datasets | show dataset;"), [.result("dataset\r\nmini\r\n")])
        XCTAssertEqual(s.feed(":hepl"), [.message("unknown command :hepl (did you mean :help?); :help lists them")])
        XCTAssertFalse(s.isFinished)
        _ = s.feed(":quit")
        XCTAssertTrue(s.isFinished)
    }

    func testErrorsAreRenderedAndTheSessionGoesOn() throws {
        var s = ReplSession(engine: try QueryEngine(store: try TestStore.fixture()))
        let out = feed(&s, ["descriptions", "| where atribute = 1", ""])
        guard case .message(let m) = out[0] else { return XCTFail("\(out)") }
        XCTAssertTrue(m.contains("line 2, column 9") && m.contains("did you mean 'attribute'?"), m)
        XCTAssertEqual(feed(&s, ["datasets | show dataset"]), [])
        XCTAssertEqual(s.finish(), [.result("dataset\n───────\nmini\n(1 row)")], "end of input runs what is pending")
    }
}
