import Foundation
import XCTest

/// `descry classes alias/unalias/list` and the import options `--match`, `--map` and
/// `--save-aliases`, end to end through the binary.
final class ClassesCLITests: XCTestCase {
    var cli: CLIHarness!
    var dir: String { cli.directory }

    override func setUpWithError() throws {
        cli = try CLIHarness(name: "classes")
        XCTAssertEqual(try descry("init").status, 0)
        let list = write("annual crop land\nbrushland or shrubland\nlake or sea\nindustrial buildings or commercial buildings\nriver\n", "land.txt")
        XCTAssertEqual(try descry("import", "classes", list, "--dataset", "land").status, 0)
    }

    @discardableResult
    func descry(_ args: String...) throws -> CLIHarness.Outcome { try cli.run(args) }

    @discardableResult
    func write(_ text: String, _ name: String) -> String {
        let path = dir + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    func json(_ out: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(out.utf8)) }

    func testAliasUnaliasAndList() throws {
        let add = try descry("classes", "alias", "land", "Sea or Lake", "lake or sea")
        XCTAssertEqual(add.status, 0, add.err)
        XCTAssertEqual(add.out, "alias 'Sea or Lake' -> 'lake or sea' added to 'land'\n")
        let again = try descry("classes", "alias", "land", "sea-or-lake", "Lake Or Sea")
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertTrue(again.out.contains("nothing changed"), again.out)
        // Re-pointing needs --replace.
        let conflict = try descry("classes", "alias", "land", "Sea or Lake", "river")
        XCTAssertEqual(conflict.status, 1)
        XCTAssertEqual(conflict.err, "descry: error: alias 'Sea or Lake' of 'land' already names class 2 'lake or sea'; pass --replace to point it at 'river'\n")
        let replaced = try descry("classes", "alias", "land", "Sea or Lake", "river", "--replace", "--json")
        XCTAssertEqual(replaced.status, 0, replaced.err)
        let r = try XCTUnwrap(try json(replaced.out) as? [String: Any])
        XCTAssertEqual(r["change"] as? String, "replaced")
        XCTAssertEqual(r["previous_class"] as? String, "lake or sea")
        XCTAssertEqual(r["class"] as? String, "river")
        // An unknown class names the nearest ones.
        let unknown = try descry("classes", "alias", "land", "Herbaceous Vegetation", "brushland")
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.err.contains("dataset 'land' has no class 'brushland'; nearest: 'brushland or shrubland'"), unknown.err)
        XCTAssertEqual(try descry("classes", "alias", "land", "Herbaceous Vegetation", "brushland or shrubland").status, 0)

        let list = try descry("classes", "list", "land", "--json")
        XCTAssertEqual(list.status, 0, list.err)
        let entries = try XCTUnwrap(try json(list.out) as? [[String: Any]])
        XCTAssertEqual(entries.count, 5)
        XCTAssertEqual(entries[1]["aliases"] as? [String], ["Herbaceous Vegetation"])
        XCTAssertEqual(entries[4]["aliases"] as? [String], ["Sea or Lake"])
        XCTAssertEqual(entries[4]["index"] as? Int, 4)
        let text = try descry("classes", "list", "land")
        XCTAssertTrue(text.out.contains("brushland or shrubland"), text.out)
        XCTAssertTrue(text.out.contains("5 classes, 2 aliases"), text.out)

        let un = try descry("classes", "unalias", "land", "sea or lake")
        XCTAssertEqual(un.status, 0, un.err)
        XCTAssertEqual(un.out, "alias 'Sea or Lake' -> 'river' removed from 'land'\n")
        let gone = try descry("classes", "unalias", "land", "Sea or Lake")
        XCTAssertEqual(gone.status, 1)
        XCTAssertTrue(gone.err.contains("has no alias 'Sea or Lake' (its aliases: 'Herbaceous Vegetation')"), gone.err)
    }

    func testUsageErrors() throws {
        let none = try descry("classes")
        XCTAssertEqual(none.status, 2)
        XCTAssertTrue(none.err.contains("use one of alias, unalias, list"), none.err)
        let typo = try descry("classes", "alais")
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(typo.err.contains("did you mean 'alias'"), typo.err)
        XCTAssertEqual(try descry("classes", "alias", "land", "x").status, 2, "a missing class is a usage error")
        XCTAssertEqual(try descry("classes", "list", "nope").status, 1)
        let badMatch = try descry("import", "descriptions", dir + "/x.json", "--dataset", "land", "--match", "loose")
        XCTAssertEqual(badMatch.status, 2)
        XCTAssertTrue(badMatch.err.contains("exact, normalized or fuzzy"), badMatch.err)
        let wrongFormat = try descry("import", "classes", dir + "/land.txt", "--dataset", "land", "--match", "fuzzy")
        XCTAssertEqual(wrongFormat.status, 2)
        XCTAssertTrue(wrongFormat.err.contains("not classes"), wrongFormat.err)
        let saveAlone = try descry("import", "descriptions", dir + "/x.json", "--dataset", "land", "--save-aliases")
        XCTAssertEqual(saveAlone.status, 2)
        XCTAssertTrue(saveAlone.err.contains("give one of them"), saveAlone.err)
    }

    func testImportWithSuggestionsMapFuzzyAndSaveAliases() throws {
        let f = write("""
        {"Annual Crop Land": ["rows of crops."],
         "Herbaceous Vegetation Land": ["low green plants."],
         "Sea or Lake": ["open water."],
         "Industrial Buildings": ["warehouses and factories."],
         "River": ["a winding band of water."]}
        """, "other.json")
        // The default match: two keys other projects' words, one unmatched with a suggestion.
        let plain = try descry("import", "descriptions", f, "--dataset", "land", "--source", "plain")
        XCTAssertEqual(plain.status, 0, plain.err)
        XCTAssertTrue(plain.err.contains(#"key 'Sea or Lake' matches no class of 'land'; its 1 descriptions were skipped; nearest: 'lake or sea'"#), plain.err)
        XCTAssertTrue(plain.err.contains(#"add an alias with: descry classes alias land "Sea or Lake" "lake or sea""#), plain.err)
        XCTAssertTrue(plain.out.contains("keys matched: 2 exact"), plain.out)

        // A map for the word no rule can guess, fuzzy for the rest, and the keys kept as aliases.
        let map = write("Herbaceous Vegetation Land\tbrushland or shrubland\n", "map.tsv")
        let r = try descry("import", "descriptions", f, "--dataset", "land", "--source", "fuzzy", "--map", map, "--match", "fuzzy", "--save-aliases", "--json")
        XCTAssertEqual(r.status, 0, r.err)
        let report = try XCTUnwrap(try json(r.out) as? [String: Any])
        XCTAssertEqual(report["match_counts"] as? [String: Int], ["exact": 2, "map": 1, "fuzzy": 2])
        XCTAssertEqual(report["aliases_saved"] as? Int, 3)
        let matches = try XCTUnwrap(report["matches"] as? [[String: Any]])
        XCTAssertEqual(matches.count, 5)
        XCTAssertEqual(matches.first { $0["key"] as? String == "Sea or Lake" }?["rule"] as? String, "same words")

        // Text output lists each guess; the saved aliases make the default match enough next time.
        let g = write(#"{"sea or lake": ["still water."], "industrial buildings": ["depots."]}"#, "again.json")
        let next = try descry("import", "descriptions", g, "--dataset", "land")
        XCTAssertEqual(next.status, 0, next.err)
        XCTAssertEqual(next.err, "warning: \(g): 3 of 5 classes of 'land' have no entry: 'annual crop land', 'brushland or shrubland', 'river'\n")
        XCTAssertTrue(next.out.contains("keys matched: 2 alias"), next.out)
        XCTAssertTrue(next.out.contains("  alias: 'sea or lake' -> 'lake or sea'"), next.out)

        // A bad map line is a user error naming the file and line.
        let bad = write("# comment\nSea or Lake lake or sea\n", "bad.tsv")
        let e = try descry("import", "descriptions", f, "--dataset", "land", "--map", bad)
        XCTAssertEqual(e.status, 1)
        XCTAssertEqual(e.err, "descry: error: \(bad):2: expected key<TAB>class, found no tab\n")
    }
}
