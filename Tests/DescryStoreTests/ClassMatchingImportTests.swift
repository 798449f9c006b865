@testable import DescryStore
import XCTest

/// Class-name matching at import: normalised names, `--map`, stored aliases, `--match fuzzy`,
/// suggestions, provenance, and the v3 → v4 migration that holds the aliases.
final class ClassMatchingImportTests: XCTestCase {
    var store: Store!
    var dir: String!

    override func setUpWithError() throws {
        store = try TestSupport.newStore()
        dir = TestSupport.tempDirectory()
        let list = TestSupport.write("""
        Black-footed Albatross
        Cooper's Hawk
        lake or sea
        industrial buildings or commercial buildings
        brushland or shrubland
        eft
        """, to: "classes.txt", in: dir)
        _ = try Importer(store: store).importClassList(path: list, dataset: "mix")
    }

    func counts(_ r: ImportReport) -> [String: Int] { r.matchCounts }

    func classesWithText() throws -> Set<String> {
        Set(try store.database.rows("SELECT DISTINCT c.name FROM descriptions d JOIN classes c ON c.id = d.class_id").map { try $0.string("name") })
    }

    func testNormalisedNamesMatchByDefaultAndAreRecorded() throws {
        let f = TestSupport.write("""
        {"black footed albatross": ["a large seabird."],
         "coopers hawk": ["a hawk of woodlands."],
         "Lake or Sea": ["open water."]}
        """, to: "labo.json", in: dir)
        let r = try Importer(store: store).importClassDescriptions(path: f, dataset: "mix")
        XCTAssertEqual(r.descriptionsAdded, 3)
        XCTAssertEqual(counts(r), ["normalized": 2, "exact": 1])
        XCTAssertEqual(r.matches.map(\.key), ["black footed albatross", "coopers hawk", "Lake or Sea"])
        XCTAssertEqual(r.matches.map(\.className), ["Black-footed Albatross", "Cooper's Hawk", "lake or sea"])
        // Recorded with the source.
        let sourceID = try store.database.scalar(Int64.self, "SELECT id FROM sources WHERE label = 'labo'")
        let recorded = try store.classMatching.matches(sourceID: sourceID)
        XCTAssertEqual(recorded.map(\.method), [.exact, .normalized, .normalized])
        XCTAssertEqual(recorded.map(\.key), ["Lake or Sea", "black footed albatross", "coopers hawk"])
        // The exact mode refuses the variants, and names the class each is nearest to.
        let exact = try Importer(store: store).importClassDescriptions(path: f, dataset: "mix", label: "again",
                                                                       matching: ClassMatchOptions(mode: .exact))
        XCTAssertEqual(counts(exact), ["exact": 1])
        XCTAssertTrue(exact.warnings.contains {
            $0.contains("key 'coopers hawk' matches no class") && $0.contains("nearest: 'Cooper's Hawk'")
                && $0.contains(#"add an alias with: descry classes alias mix "coopers hawk" "Cooper's Hawk""#)
        }, "\(exact.warnings)")
    }

    func testMapAliasAndFuzzyInOrderWithProvenance() throws {
        try store.classMatching.addAlias(dataset: "mix", alias: "Herbaceous Vegetation", className: "brushland or shrubland")
        let map = TestSupport.write("# another project's word\nnewt\teft\n", to: "map.tsv", in: dir)
        let f = TestSupport.write("""
        {"Newt": ["a small salamander."],
         "Herbaceous Vegetation": ["low plants."],
         "Industrial Buildings": ["warehouses."],
         "Sea or Lake": ["open water."]}
        """, to: "other.json", in: dir)
        let options = ClassMatchOptions(mode: .fuzzy, map: try ClassMapFile.read(try InputFile(path: map)))
        let r = try Importer(store: store).importClassDescriptions(path: f, dataset: "mix", matching: options)
        XCTAssertEqual(counts(r), ["map": 1, "alias": 1, "fuzzy": 2], "\(r.matches)")
        XCTAssertEqual(r.matches.filter { $0.method == .fuzzy }.map(\.className), ["lake or sea", "industrial buildings or commercial buildings"])
        XCTAssertEqual(r.matches.first { $0.key == "Sea or Lake" }?.rule, "same words")
        XCTAssertEqual(r.descriptionsAdded, 4)
        XCTAssertEqual(try classesWithText(), ["eft", "brushland or shrubland", "industrial buildings or commercial buildings", "lake or sea"])
        XCTAssertEqual(try TestSupport.count(store, "class_matches"), 4)
        // Importing the same file again adds nothing and keeps one provenance row per key.
        let again = try Importer(store: store).importClassDescriptions(path: f, dataset: "mix", matching: options)
        XCTAssertEqual(again.descriptionsAdded, 0)
        XCTAssertEqual(try TestSupport.count(store, "class_matches"), 4)
    }

    func testFuzzyNeverMergesTwoKeysOntoOneClass() throws {
        let f = TestSupport.write("""
        {"lake or sea": ["open water."],
         "Sea or Lake": ["still water."],
         "Industrial": ["factories."],
         "Industrial Buildings": ["warehouses."]}
        """, to: "dup.json", in: dir)
        let r = try Importer(store: store).importClassDescriptions(path: f, dataset: "mix", matching: ClassMatchOptions(mode: .fuzzy))
        XCTAssertEqual(counts(r), ["exact": 1], "\(r.matches)")
        XCTAssertTrue(r.warnings.contains { $0.contains("dup.json:2") && $0.contains("which key 'lake or sea' already names") }, "\(r.warnings)")
        XCTAssertTrue(r.warnings.contains { $0.contains("key 'Industrial' is close to class 3") && $0.contains("took neither") }, "\(r.warnings)")
        XCTAssertTrue(r.warnings.contains { $0.contains("key 'Industrial Buildings' is close to class 3") }, "\(r.warnings)")
        XCTAssertEqual(try classesWithText(), ["lake or sea"])
    }

    func testMapErrorsNameTheFileAndLine() throws {
        let bad = TestSupport.write("newt\teft\ntights maillot\n", to: "bad.tsv", in: dir)
        XCTAssertThrowsError(try ClassMapFile.read(try InputFile(path: bad))) {
            XCTAssertTrue("\($0)".hasPrefix("\(bad):2: expected key<TAB>class"), "\($0)")
        }
        let twice = TestSupport.write(#"{"newt": "eft", "Newt": "lake or sea"}"#, to: "twice.json", in: dir)
        XCTAssertThrowsError(try ClassMapFile.read(try InputFile(path: twice))) {
            XCTAssertTrue("\($0)".contains("is mapped to 'lake or sea' here and to 'eft'"), "\($0)")
        }
        let notString = TestSupport.write(#"{"newt": 3}"#, to: "n.json", in: dir)
        XCTAssertThrowsError(try ClassMapFile.read(try InputFile(path: notString))) {
            XCTAssertTrue("\($0)".contains("expected a string"), "\($0)")
        }
        // A target that is no class of the dataset is an error at its line, and nothing is written.
        let unknown = TestSupport.write("newt\tsalamander\n", to: "unknown.tsv", in: dir)
        let f = TestSupport.write(#"{"newt": ["a small salamander."]}"#, to: "d.json", in: dir)
        let before = try TestSupport.snapshot(store)
        XCTAssertThrowsError(try Importer(store: store).importClassDescriptions(
            path: f, dataset: "mix", matching: ClassMatchOptions(map: try ClassMapFile.read(try InputFile(path: unknown))))) {
            XCTAssertTrue("\($0)".hasPrefix("\(unknown):1: map target 'salamander' is not a class of 'mix'"), "\($0)")
        }
        XCTAssertEqual(try TestSupport.snapshot(store), before)
    }

    func testUnusedMapEntriesAreReportedAndSaveAliasesKeepsTheUsedOnes() throws {
        let map = TestSupport.write(#"{"newt": "eft", "mere": "lake or sea"}"#, to: "map.json", in: dir)
        let f = TestSupport.write(#"{"newt": ["a small salamander."], "Industrial Buildings": ["warehouses."]}"#, to: "d.json", in: dir)
        let options = ClassMatchOptions(mode: .fuzzy, map: try ClassMapFile.read(try InputFile(path: map)), saveAliases: true)
        let r = try Importer(store: store).importClassDescriptions(path: f, dataset: "mix", matching: options)
        XCTAssertTrue(r.warnings.contains { $0.contains("map entry 'mere' -> 'lake or sea' was not used") }, "\(r.warnings)")
        XCTAssertEqual(r.aliasesSaved, 2)
        let aliases = try store.classMatching.aliases(datasetID: try store.datasetID(named: "mix"))
        XCTAssertEqual(aliases.map(\.alias), ["Industrial Buildings", "newt"])
        // The next import needs neither the map nor fuzzy matching.
        let g = TestSupport.write(#"{"Newt": ["an orange salamander."], "industrial buildings": ["depots."]}"#, to: "e.json", in: dir)
        XCTAssertEqual(counts(try Importer(store: store).importClassDescriptions(path: g, dataset: "mix")), ["alias": 2])
    }

    func testAliasesAreIdempotentNeedReplaceAndRefuseClassNames() throws {
        let repo = store.classMatching
        XCTAssertEqual(try repo.addAlias(dataset: "mix", alias: "Sea or Lake", className: "lake or sea"), .added)
        XCTAssertEqual(try repo.addAlias(dataset: "mix", alias: "sea-or-lake", className: "Lake Or Sea"), .unchanged)
        XCTAssertThrowsError(try repo.addAlias(dataset: "mix", alias: "Sea or Lake", className: "eft")) {
            XCTAssertTrue("\($0)".contains("already names class 2 'lake or sea'; pass --replace"), "\($0)")
        }
        let lake = try XCTUnwrap(try store.classes(ofDataset: try store.datasetID(named: "mix")).first { $0.name == "lake or sea" })
        XCTAssertEqual(try repo.addAlias(dataset: "mix", alias: "Sea or Lake", className: "eft", replace: true), .replaced(previous: lake))
        XCTAssertThrowsError(try repo.addAlias(dataset: "mix", alias: "coopers hawk", className: "eft")) {
            XCTAssertTrue("\($0)".contains("already the name of class 1 'Cooper's Hawk'"), "\($0)")
        }
        XCTAssertThrowsError(try repo.addAlias(dataset: "mix", alias: "x", className: "lake or se")) {
            XCTAssertTrue("\($0)".contains("has no class 'lake or se'; nearest: 'lake or sea'"), "\($0)")
        }
        XCTAssertThrowsError(try repo.addAlias(dataset: "nope", alias: "x", className: "eft")) {
            XCTAssertTrue("\($0)".contains("unknown dataset 'nope'"), "\($0)")
        }
        XCTAssertEqual(try repo.removeAlias(dataset: "mix", alias: "SEA OR LAKE").className, "eft")
        XCTAssertThrowsError(try repo.removeAlias(dataset: "mix", alias: "Sea or Lake")) {
            XCTAssertTrue("\($0)".contains("has no alias 'Sea or Lake' (it has no aliases)"), "\($0)")
        }
    }

    func testJSONLinesMatchNamesAndSuggest() throws {
        try store.classMatching.addAlias(dataset: "mix", alias: "Sea or Lake", className: "lake or sea")
        let f = TestSupport.write("""
        {"dataset": "mix", "class": "black footed albatross", "text": "a seabird."}
        {"dataset": "mix", "class": "Sea or Lake", "text": "open water."}
        {"dataset": "mix", "class": "Sea or Lake", "text": "still water."}
        {"dataset": "mix", "pair": ["coopers hawk", "Black-footed Albatross"], "side": "Coopers Hawk", "text": "a hawk with a banded tail.", "twin": "a seabird with long wings."}
        """, to: "d.jsonl", in: dir)
        let r = try Importer(store: store).importJSONLines(path: f)
        XCTAssertEqual(r.descriptionsAdded, 5)
        XCTAssertEqual(counts(r), ["normalized": 3, "exact": 1, "alias": 1], "\(r.matches)")
        XCTAssertEqual(try TestSupport.count(store, "class_matches"), 5)
        let g = TestSupport.write(#"{"dataset": "mix", "class": "Cooper Hawk", "text": "x"}"#, to: "e.jsonl", in: dir)
        XCTAssertThrowsError(try Importer(store: store).importJSONLines(path: g)) {
            XCTAssertTrue("\($0)".contains("e.jsonl:1 (at class): dataset 'mix' has no class 'Cooper Hawk'; nearest: 'Cooper's Hawk'"), "\($0)")
        }
        // With fuzzy matching a unique close class is taken.
        let fuzzy = try Importer(store: store).importJSONLines(path: g, matching: ClassMatchOptions(mode: .fuzzy))
        XCTAssertEqual(fuzzy.matches.map(\.className), ["Cooper's Hawk"])
        XCTAssertEqual(fuzzy.matches.map(\.method), [.fuzzy])
        // A map whose target is no class of any dataset the import used is an error.
        let map = [ClassMapEntry(key: "x", target: "salamander", location: InputLocation(file: "m.tsv", line: 1))]
        XCTAssertThrowsError(try Importer(store: store).importJSONLines(path: f, label: "other", matching: ClassMatchOptions(map: map))) {
            XCTAssertTrue("\($0)".contains("m.tsv:1: map target 'salamander' is not a class of 'mix'"), "\($0)")
        }
    }

    func testCollidingClassNamesAreReportedAndMatchedExactly() throws {
        let list = TestSupport.write(#"["wire-haired", "wire haired"]"#, to: "c.json", in: dir)
        _ = try Importer(store: store).importClassList(path: list, dataset: "dogs")
        let f = TestSupport.write(#"{"wire-haired": ["a"], "Wire Haired": ["b"], "wire_haired-": ["c"]}"#, to: "d.json", in: dir)
        let r = try Importer(store: store).importClassDescriptions(path: f, dataset: "dogs")
        XCTAssertEqual(counts(r), ["exact": 2])
        XCTAssertTrue(r.warnings.contains { $0.contains("share the normalised name 'wire haired'; keys are matched to them exactly only") }, "\(r.warnings)")
        XCTAssertTrue(r.warnings.contains { $0.contains("key 'wire_haired-' matches no class") }, "\(r.warnings)")
    }

    func testImageFolderLabelsMeetClassesAsImportKeysDo() throws {
        try store.classMatching.addAlias(dataset: "mix", alias: "SeaLake", className: "lake or sea")
        let images = dir + "/images"
        TestSupport.write("x", to: "images/SeaLake/1.png", in: dir)
        TestSupport.write("y", to: "images/Coopers-Hawk/2.png", in: dir)
        let r = try store.images.add(try ImageList.imageFolder(images), dataset: "mix")
        XCTAssertEqual(r.added, 2)
        let labelled = try store.images.all(datasetID: try store.datasetID(named: "mix")).compactMap(\.classID)
        let names = try store.classes(ofDataset: try store.datasetID(named: "mix")).filter { labelled.contains($0.id) }.map(\.name)
        XCTAssertEqual(Set(names), ["lake or sea", "Cooper's Hawk"])
        TestSupport.write("z", to: "images/Sea Lake Shore/3.png", in: dir)
        XCTAssertThrowsError(try store.images.add(try ImageList.imageFolder(images), dataset: "mix")) {
            XCTAssertTrue("\($0)".contains("label 'Sea Lake Shore' is not a class of 'mix'; nearest: 'lake or sea'"), "\($0)")
        }
    }

    func testVersion3StoreUpgradesWithItsDataAndGetsTheAliasTables() throws {
        let path = TestSupport.tempDirectory() + "/v3.db"
        do {
            let db = try Database(path: path)
            for m in Schema.migrations where m.version <= 3 {
                try db.execute(m.sql)
                try db.execute("PRAGMA user_version = \(m.version)")
            }
            try db.execute("INSERT INTO datasets(name) VALUES ('land')")
            try db.execute("INSERT INTO classes(dataset_id, idx, name) VALUES (1, 0, 'lake or sea')")
            XCTAssertEqual(try db.scalar(Int.self, "SELECT count(*) FROM sqlite_master WHERE name = 'class_aliases'"), 0)
        }
        let upgraded = try Store(path: path, taxonomy: TestSupport.taxonomy)
        XCTAssertEqual(try upgraded.schemaVersion(), 4)
        XCTAssertEqual(Schema.migrations.first { $0.version == 4 }?.name, "class aliases and match provenance")
        XCTAssertEqual(try upgraded.classMatching.addAlias(dataset: "land", alias: "Sea or Lake", className: "lake or sea"), .added)
        XCTAssertEqual(try upgraded.classMatching.aliases(datasetID: 1).map(\.className), ["lake or sea"])
        XCTAssertEqual(try TestSupport.count(upgraded, "class_matches"), 0)
    }
}
