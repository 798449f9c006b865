import XCTest
@testable import DescryQuery

final class LexerTests: XCTestCase {
    func kinds(_ s: String) throws -> [TokenKind] { try Lexer(s).tokenize().map(\.kind) }

    func testTokensAndSpans() throws {
        let tokens = try Lexer("descriptions | where lift >= -0.5e1 # comment\n| top 3").tokenize()
        XCTAssertEqual(tokens.map(\.kind), [.identifier("descriptions"), .symbol("|"), .identifier("where"), .identifier("lift"),
                                            .symbol(">="), .symbol("-"), .real(5), .symbol("|"), .identifier("top"), .integer(3), .end])
        XCTAssertEqual(tokens[3].span, SourceSpan(start: 21, end: 25))
        XCTAssertEqual(tokens[6].span, SourceSpan(start: 30, end: 35))
        XCTAssertEqual(tokens.last!.span.start, 53)
    }

    func testStringEscapesAndQuotes() throws {
        XCTAssertEqual(try kinds(#""a\"b\\c\n\t\u{e9}" 'it'"#), [.string("a\"b\\c\n\té"), .string("it"), .end])
        XCTAssertEqual(try kinds(#"'say "hi"'"#), [.string("say \"hi\""), .end])
        XCTAssertEqual(try kinds("\"日本 ✓\""), [.string("日本 ✓"), .end])
    }

    func testNumbers() throws {
        XCTAssertEqual(try kinds("42 1_000 0.25 3e2 7"), [.integer(42), .integer(1000), .real(0.25), .real(300), .integer(7), .end])
        XCTAssertEqual(try kinds("<> != <= >"), [.symbol("!="), .symbol("!="), .symbol("<="), .symbol(">"), .end])
    }

    func testLexicalErrorsArePositioned() {
        func fails(_ s: String, at start: Int, _ fragment: String) {
            XCTAssertThrowsError(try Lexer(s).tokenize(), s) { e in
                let q = e as! QueryError
                XCTAssertEqual(q.phase, .lexical)
                XCTAssertEqual(q.span?.start, start, s)
                XCTAssertTrue(q.message.contains(fragment), "\(q.message) lacks \(fragment)")
            }
        }
        fails("classes | where name = \"abc", at: 23, "unterminated")
        fails("classes | where name = `x`", at: 23, "unexpected character '`'")
        fails("classes | where x = \"a\\qb\"", at: 22, "unknown escape")
        fails("classes | top 99999999999999999999", at: 14, "out of range")
        fails("classes | top 3x", at: 14, "cannot run into a name")
        fails("classes | where a = \"\\u{110000}\"", at: 21, "bad escape")
        fails("classes | where a = \"line\nbreak\"", at: 20, "unterminated")
    }
}
