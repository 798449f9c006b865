@testable import DescryStore
import XCTest

/// `ClassName.normalizedKey` and `ClassMatcher`, without a store. Class names here are our
/// own, written in the styles other projects publish.
final class ClassMatcherTests: XCTestCase {
    static func classes(_ names: [String]) -> [ClassRecord] {
        names.enumerated().map { ClassRecord(id: Int64(100 + $0.offset), index: $0.offset, name: $0.element) }
    }

    /// The land-cover names used below, in the style of a remote-sensing class list.
    static let land = classes(["annual crop land", "forest", "brushland or shrubland", "highway or road",
                               "industrial buildings or commercial buildings", "pasture land", "permanent crop land",
                               "residential buildings or homes or apartments", "river", "lake or sea"])

    func testNormaliserTable() {
        let table: [(String, String)] = [
            ("Black-footed Albatross", "black footed albatross"),
            ("black_footed_albatross", "black footed albatross"),
            ("Cooper's Hawk", "coopers hawk"),
            ("Cooper\u{2019}s Hawk", "coopers hawk"),
            ("St. Bernard", "st bernard"),
            ("SeaLake", "sea lake"),
            ("AnnualCrop", "annual crop"),
            ("HerbaceousVegetation", "herbaceous vegetation"),
            ("Herbaceous Vegetation", "herbaceous vegetation"),
            ("  lake   or\tsea ", "lake or sea"),
            ("a bad photo", "bad photo"),
            ("The Great Wall", "great wall"),
            ("an apple", "apple"),
            ("Sea or the Lake", "sea or lake"),
            ("a", "a"),
            ("kite (bird of prey)", "kite bird of prey"),
            ("salt/pepper shaker", "salt pepper shaker"),
            ("Rock, Paper", "rock paper"),
            ("Crème Brûlée", "creme brulee"),
            ("fish & chips", "fish and chips"),
            ("Boeing 737-200", "boeing 737 200"),
            ("apartment_building-outdoor", "apartment building outdoor"),
        ]
        for (name, key) in table {
            XCTAssertEqual(ClassName.normalizedKey(name), key, name)
        }
        // The exact key is unchanged: only case, underscores and spaces.
        XCTAssertEqual(ClassName.matchKey("Black-footed_Albatross"), "black-footed albatross")
    }

    func testLookupOrderExactNormalizedMapAliasFuzzy() {
        let classes = Self.classes(["Black-footed Albatross", "Cooper's Hawk", "lake or sea", "eft", "maillot"])
        let map = [ClassMapEntry(key: "newt", target: "eft", location: InputLocation(file: "m.tsv", line: 1)),
                   ClassMapEntry(key: "tights", target: "maillot", location: InputLocation(file: "m.tsv", line: 2))]
        let m = ClassMatcher(classes: classes, aliases: [(alias: "tights", classID: 100), (alias: "Sea or Lake", classID: 102)], map: map)
        func method(_ key: String) -> (ClassMatchMethod, String)? {
            if case .matched(let x) = m.match(key) { return (x.method, x.classRecord.name) }
            return nil
        }
        XCTAssertEqual(method("black-footed albatross")?.0, .exact)
        XCTAssertEqual(method("black footed albatross")?.0, .normalized)
        XCTAssertEqual(method("coopers hawk")?.1, "Cooper's Hawk")
        XCTAssertEqual(method("Newt")?.0, .map)
        // The map is this import's word: it wins over the stored alias of the same key.
        XCTAssertEqual(method("tights")?.0, .map)
        XCTAssertEqual(method("tights")?.1, "maillot")
        XCTAssertEqual(method("sea-or-lake")?.0, .alias)
        XCTAssertEqual(method("sea-or-lake")?.1, "lake or sea")
        // Normalized mode takes no guesses.
        XCTAssertNil(method("Lake or the Sea Shore"))
    }

    func testNamesAlsoMeetWithoutSpaces() {
        // A camelCase split inside a name ("McDonnell") must not stop the lowercase spelling.
        let m = ClassMatcher(classes: Self.classes(["McDonnell Tower-9", "T-shirt", "sea lake", "sealake"]))
        for (key, want) in [("mcdonnell tower 9", 0), ("TShirt", 1), ("tshirt", 1), ("Sea Lake", 2)] {
            guard case .matched(let x) = m.match(key) else { XCTFail(key); continue }
            XCTAssertEqual(x.classRecord.index, want, key)
            XCTAssertEqual(x.method, key == "Sea Lake" ? .exact : .normalized, key)
        }
        // "sea lake" and "sealake" meet without spaces: that form is listed and matches neither.
        XCTAssertEqual(m.collisions.map(\.key), ["sealake"])
        guard case .unmatched = m.match("Se-Alake"), case .matched(let y) = m.match("Sealake") else { return XCTFail() }
        XCTAssertEqual(y.classRecord.index, 3)
    }

    func testExactModeComparesExactKeysOnly() {
        let m = ClassMatcher(classes: Self.classes(["Black-footed Albatross"]), mode: .exact)
        if case .matched = m.match("black footed albatross") { XCTFail("exact mode matched a hyphen variant") }
        guard case .matched(let x) = m.match("BLACK-FOOTED_ALBATROSS") else { return XCTFail("case and underscores are exact") }
        XCTAssertEqual(x.method, .exact)
    }

    func testCollidingNormalisedNamesFallBackToExact() {
        // Two classes that differ only by a hyphen: the normaliser would merge them.
        let m = ClassMatcher(classes: Self.classes(["wire-haired", "wire haired", "collie"]))
        XCTAssertEqual(m.collisions, [ClassMatcher.Collision(key: "wire haired", classes: Array(m.classes.prefix(2)))])
        guard case .matched(let a) = m.match("wire-haired"), case .matched(let b) = m.match("Wire Haired") else { return XCTFail() }
        XCTAssertEqual(a.classRecord.index, 0)
        XCTAssertEqual(b.classRecord.index, 1)
        XCTAssertEqual(a.method, .exact)
        guard case .unmatched(let near, _) = m.match("wire_haired-") else { return XCTFail("a colliding normalised key must not match") }
        XCTAssertEqual(Set(near.prefix(2).map(\.index)), [0, 1])
    }

    func testFuzzyAcceptsOnlyAUniqueCloseClass() {
        let m = ClassMatcher(classes: Self.land, mode: .fuzzy)
        func fuzzy(_ key: String) -> (String, String?)? {
            if case .matched(let x) = m.match(key), x.method == .fuzzy { return (x.classRecord.name, x.rule) }
            return nil
        }
        XCTAssertEqual(fuzzy("Sea or Lake")?.0, "lake or sea")
        XCTAssertEqual(fuzzy("Sea or Lake")?.1, "same words")
        XCTAssertEqual(fuzzy("SeaLake")?.0, "lake or sea")
        XCTAssertEqual(fuzzy("Industrial Buildings")?.0, "industrial buildings or commercial buildings")
        XCTAssertEqual(fuzzy("Industrial Buildings")?.1, "words of the class name")
        XCTAssertEqual(fuzzy("Residential Buildings")?.0, "residential buildings or homes or apartments")
        XCTAssertEqual(fuzzy("Annual Crop")?.0, "annual crop land")
        XCTAssertEqual(fuzzy("Pasture")?.0, "pasture land")
        XCTAssertEqual(fuzzy("Highway")?.0, "highway or road")
        XCTAssertEqual(fuzzy("Forrest")?.0, "forest", "one edit in seven characters")
        XCTAssertEqual(fuzzy("Forrest")?.1, "1 edit away")
        // No close class: another project's word for it.
        XCTAssertNil(fuzzy("Herbaceous Vegetation Land"))
        // Several close classes: refused, and the note names them.
        guard case .unmatched(_, let note) = m.match("Crop Land") else { return XCTFail("two classes have those words") }
        XCTAssertTrue(note?.contains("'annual crop land'") == true && note?.contains("'permanent crop land'") == true, note ?? "no note")
        guard case .unmatched(_, let note2) = m.match("Buildings") else { return XCTFail() }
        XCTAssertTrue(note2?.contains("fits 2 classes") == true, note2 ?? "no note")
        // Short words get no edit-distance guess ("rive" is one edit from "river", in five characters).
        XCTAssertNil(fuzzy("rive"))
    }

    func testFuzzyEditDistanceNeedsAClearMargin() {
        // "colour chart" is 2 edits from both: no clear winner.
        let m = ClassMatcher(classes: Self.classes(["colour charts", "colour chant", "tartan"]), mode: .fuzzy)
        guard case .failure(let refusal) = m.fuzzy("colour chart x") else { return XCTFail("expected a refusal") }
        XCTAssertNotNil(refusal.note)
        guard case .success(let ok) = ClassMatcher(classes: Self.classes(["colour charts", "tartan plaid"]), mode: .fuzzy).fuzzy("colour chart") else {
            return XCTFail("one edit in 13 characters with a clear margin is accepted")
        }
        XCTAssertEqual(ok.classRecord.name, "colour charts")
    }

    func testMapEntriesNamingNoClassAreListed() {
        let map = [ClassMapEntry(key: "newt", target: "salamander", location: InputLocation(file: "m.json", line: 3))]
        let m = ClassMatcher(classes: Self.classes(["eft"]), map: map)
        XCTAssertEqual(m.unresolvedMapEntries, map)
        // A map target may be written in any spelling that normalises to a class.
        let ok = ClassMatcher(classes: Self.classes(["Cooper's Hawk"]), map: [ClassMapEntry(key: "CH", target: "coopers hawk", location: InputLocation(file: "m"))])
        XCTAssertEqual(ok.unresolvedMapEntries, [])
        guard case .matched(let x) = ok.match("ch") else { return XCTFail() }
        XCTAssertEqual(x.method, .map)
    }

    func testNearestRanksSharedWordsAndSpelling() {
        let m = ClassMatcher(classes: Self.land)
        guard case .unmatched(let near, let note) = m.match("Sea or Lake") else { return XCTFail("normalized mode takes no guesses") }
        XCTAssertNil(note)
        XCTAssertEqual(near.first?.name, "lake or sea")
        XCTAssertEqual(near.count, 3)
        let advice = ClassMatcher.advice(key: "Sea or Lake", dataset: "land", nearest: near, note: nil)
        XCTAssertTrue(advice.hasPrefix("; nearest: 'lake or sea', "), advice)
        XCTAssertTrue(advice.hasSuffix(#"; add an alias with: descry classes alias land "Sea or Lake" "lake or sea""#), advice)
        // A weak nearest class (one word of three in common) is not pasted into the command.
        let weak = ClassMatcher.advice(key: "Herbaceous Vegetation Land", dataset: "land", nearest: m.nearest("Herbaceous Vegetation Land"), note: nil)
        XCTAssertTrue(weak.hasSuffix(#"descry classes alias land "Herbaceous Vegetation Land" CLASS"#), weak)
        XCTAssertEqual(ClassMatcher.shellWord("it's $5"), #"'it'\''s $5'"#)
        XCTAssertEqual(ClassMatcher.shellWord("eurosat"), "eurosat")
        // Nothing in common: no suggestion at all.
        XCTAssertEqual(ClassMatcher(classes: Self.classes(["ab"])).nearest("xyz"), [])
    }

    func testHostileKeysStayBounded() {
        let long = String(repeating: "lake sea forest ", count: 3_000)
        let m = ClassMatcher(classes: Self.land, mode: .fuzzy)
        let start = Date()
        _ = m.match(long)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2, "a 48,000-character key is compared by words only")
    }
}
