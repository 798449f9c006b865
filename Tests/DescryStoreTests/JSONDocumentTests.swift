@testable import DescryStore
import XCTest

final class JSONDocumentTests: XCTestCase {
    func parse(_ s: String) throws -> JSONDocument { try JSONDocument(bytes: Array(s.utf8), file: "t.json") }

    func testMalformedJSONReportsLineAndColumn() {
        XCTAssertThrowsError(try parse("{\n  \"a\": [1, 2,\n  ]\n}")) { error in
            guard case StoreError.malformedJSON(let loc, let message) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(loc.file, "t.json")
            XCTAssertEqual(loc.line, 3)
            XCTAssertEqual(loc.column, 3)
            XCTAssertTrue(message.contains("expected a value"), message)
            XCTAssertTrue("\(error)".hasPrefix("t.json:3:3: malformed JSON"), "\(error)")
        }
    }

    func testUnterminatedStringAndTrailingGarbage() {
        XCTAssertThrowsError(try parse("[\"abc")) { XCTAssertTrue("\($0)".contains("unterminated string"), "\($0)") }
        XCTAssertThrowsError(try parse("[1] x")) { XCTAssertTrue("\($0)".contains("after the end of the document"), "\($0)") }
        XCTAssertThrowsError(try parse("")) { XCTAssertTrue("\($0)".contains("empty"), "\($0)") }
    }

    func testNonUTF8IsReportedWithPosition() {
        var bytes = Array("[\"ok\",\n \"caf".utf8)
        bytes.append(0xE9) // Latin-1 é: not UTF-8
        bytes += Array("\"]".utf8)
        XCTAssertThrowsError(try JSONDocument(bytes: bytes, file: "latin1.json")) { error in
            guard case StoreError.notUTF8(let loc) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(loc.line, 2)
            XCTAssertEqual(loc.column, 6)
        }
    }

    func testEscapesAndSurrogatePairs() throws {
        let doc = try parse(#"["a\"b\\c\n", "\u00e9\ud83d\ude00", "tab\there"]"#)
        guard case .array(let items) = doc.root.value else { return XCTFail() }
        let strings = items.map { node -> String in if case .string(let s) = node.value { return s }; return "" }
        XCTAssertEqual(strings, ["a\"b\\c\n", "é😀", "tab\there"])
        XCTAssertThrowsError(try parse(#"["\ud83d"]"#))
    }

    func testObjectKeysKeepFileOrderAndValuesKnowTheirLine() throws {
        let doc = try parse("{\"z\": 1,\n \"a\": [true, null]}")
        guard case .object(let members) = doc.root.value else { return XCTFail() }
        XCTAssertEqual(members.map(\.key), ["z", "a"])
        XCTAssertEqual(doc.lineColumn(of: members[1].value.offset).line, 2)
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertThrowsError(try parse(deep)) { XCTAssertTrue("\($0)".contains("nesting deeper"), "\($0)") }
    }

    func testWriterRoundTrips() throws {
        let value = JSONValue.obj([("k", .list([.str("q\"uote\u{1}"), .int(3), .number(2.5), .bool(false), .null]))])
        for indent in [0, 2] {
            let text = JSONWriter.string(value, indent: indent)
            let back = try parse(text)
            XCTAssertEqual(JSONWriter.string(back.root.value, indent: indent), text)
        }
    }
}
