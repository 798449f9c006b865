import DescryStore
import XCTest

/// The one edit distance behind every "did you mean" hint (the query language and the CLI).
final class EditDistanceTests: XCTestCase {
    func testDistances() {
        XCTAssertEqual(EditDistance.distance("kitten", "sitting"), 3)
        XCTAssertEqual(EditDistance.distance("flaw", "lawn"), 2)
        XCTAssertEqual(EditDistance.distance("where", "wher"), 1, "a deletion")
        XCTAssertEqual(EditDistance.distance("wher", "where"), 1, "an insertion")
        XCTAssertEqual(EditDistance.distance("confusion", "confusoin"), 2, "a transposition is two edits")
        XCTAssertEqual(EditDistance.distance("same", "same"), 0)
        XCTAssertEqual(EditDistance.distance("abc", "xyz"), 3)
    }

    func testSymmetric() {
        for (a, b) in [("descriptions", "descriptons"), ("--limit", "--limt"), ("", "abc"), ("pets", "pest")] {
            XCTAssertEqual(EditDistance.distance(a, b), EditDistance.distance(b, a), "\(a) / \(b)")
        }
    }

    func testEmptyStrings() {
        XCTAssertEqual(EditDistance.distance("", ""), 0)
        XCTAssertEqual(EditDistance.distance("", "abc"), 3)
        XCTAssertEqual(EditDistance.distance("abcd", ""), 4)
        XCTAssertNil(EditDistance.nearest("", among: ["a", "ab"]), "nothing typed, nothing suggested")
        XCTAssertNil(EditDistance.nearest("attribute", among: []))
    }

    func testLetterCaseIsIgnored() {
        XCTAssertEqual(EditDistance.distance("Attribute", "attribute"), 0)
        XCTAssertEqual(EditDistance.distance("--Dataset", "--dataset"), 0)
        XCTAssertEqual(EditDistance.nearest("WHERE", among: ["where", "sort"]), "where")
    }

    func testUnicodeCountsCharacters() {
        XCTAssertEqual(EditDistance.distance("café", "cafe"), 1)
        // Precomposed and decomposed é are the same character.
        XCTAssertEqual(EditDistance.distance("caf\u{E9}", "cafe\u{301}"), 0)
        // An emoji with a skin tone is one character, not two scalars.
        XCTAssertEqual(EditDistance.distance("👍🏽", "👍"), 1)
        XCTAssertEqual(EditDistance.distance("naïve", "naive"), 1)
        XCTAssertEqual(EditDistance.distance("Ärger", "ärger"), 0, "case folding beyond ASCII")
        XCTAssertEqual(EditDistance.nearest("créme", among: ["crème", "cream"]), "crème")
    }

    func testNearestNameThresholds() {
        XCTAssertEqual(EditDistance.nearest("descriptons", among: ["descriptions", "pairs", "confusions"]), "descriptions")
        XCTAssertEqual(EditDistance.nearest("imprt", among: ["init", "import", "stats"]), "import")
        XCTAssertEqual(EditDistance.nearest("--limt", among: ["--dataset", "--kind", "--limit"]), "--limit")
        // Up to two edits for short words...
        XCTAssertEqual(EditDistance.nearest("lowr", among: ["lower", "upper"]), "lower")
        XCTAssertEqual(EditDistance.nearest("abcdef", among: ["abcdxy"]), "abcdxy")
        XCTAssertNil(EditDistance.nearest("abcdef", among: ["abcxyz"]), "three edits in six letters is no typo")
        // ...a third of the length for long ones.
        XCTAssertEqual(EditDistance.nearest("abcdefghi", among: ["abcdefxyz"]), "abcdefxyz", "3 of 9")
        XCTAssertNil(EditDistance.nearest("abcdefghi", among: ["abcdewxyz"]), "4 of 9")
        // Never as many edits as the word has letters: "x" is no typo of "k".
        XCTAssertNil(EditDistance.nearest("x", among: ["k"]))
        XCTAssertEqual(EditDistance.nearest("nn", among: ["n", "count"]), "n")
        XCTAssertNil(EditDistance.nearest("frobnicate", among: ["init", "import", "stats"]))
    }

    func testNearestPrefersTheClosestThenTheFirst() {
        XCTAssertEqual(EditDistance.nearest("sort", among: ["sorts", "sort"]), "sort", "an exact match wins")
        XCTAssertEqual(EditDistance.nearest("cat", among: ["bat", "hat"]), "bat", "a tie goes to the first candidate")
    }

    func testLongInputsGetNoSuggestion() {
        let long = String(repeating: "a", count: 65)
        XCTAssertNil(EditDistance.nearest(long, among: [long]))
        let limit = String(repeating: "a", count: 64)
        XCTAssertEqual(EditDistance.nearest(limit, among: [limit + "b"]), limit + "b")
    }
}
