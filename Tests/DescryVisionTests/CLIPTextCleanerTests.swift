import DescryVision
import XCTest

final class CLIPTextCleanerTests: XCTestCase {
    func testLowerCaseAndWhitespace() {
        XCTAssertEqual(CLIPTextCleaner.clean("  A  Photo\tOF\na DOG  "), "a photo of a dog")
    }

    func testHTMLEntitiesAreUnescapedAsPythonDoes() {
        XCTAssertEqual(CLIPTextCleaner.clean("fish &amp; chips"), "fish & chips")
        XCTAssertEqual(CLIPTextCleaner.clean("it&#39;s"), "it's")
        XCTAssertEqual(CLIPTextCleaner.clean("&amp;amp;amp;"), "&")            // ftfy repeats, then twice more
        XCTAssertEqual(CLIPTextCleaner.clean("&amplifier"), "&lifier")          // legacy name as a prefix
        XCTAssertEqual(CLIPTextCleaner.clean("&#128;"), "€")                    // HTML5 windows-1252 rule
        XCTAssertEqual(CLIPTextCleaner.clean("P&EACUTE;REZ"), "pérez")          // ftfy's all-caps names
    }

    func testFtfyCharacterFixes() {
        XCTAssertEqual(CLIPTextCleaner.clean("ﬁsh ＡＢＣ “q” ‘s’"), "fish abc \"q\" 's'")
        XCTAssertEqual(CLIPTextCleaner.clean("cafe\u{301}"), "café")
        XCTAssertEqual(CLIPTextCleaner.clean("red\u{1B}[31mtext\u{1B}[0m\u{7}"), "redtext")
    }

    func testPythonLowerCase() {
        XCTAssertEqual(CLIPTextCleaner.clean("ΟΔΥΣΣΕΥΣ"), "οδυσσευς")
        XCTAssertEqual(CLIPTextCleaner.clean("İ").unicodeScalars.map(\.value), [0x69, 0x307])
    }
}
