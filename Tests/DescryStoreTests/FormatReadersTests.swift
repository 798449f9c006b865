@testable import DescryStore
import Foundation
import XCTest

/// The per-class readers (attributes, folder, ex2, csv, tsv) on fixtures of our own, and their
/// import through `Importer.importClassDescriptions`.
final class FormatReadersTests: XCTestCase {
    var store: Store!
    var dir: String!

    override func setUpWithError() throws {
        store = try TestSupport.newStore()
        dir = TestSupport.tempDirectory()
    }

    func importer() -> Importer { Importer(store: store) }

    /// (class, text, attribute_raw, attribute, kind) of every description, in id order.
    func rows() throws -> [[String?]] {
        try store.database.rows("""
            SELECT c.name AS class, d.text, d.attribute_raw, d.attribute, d.kind FROM descriptions d
            JOIN classes c ON c.id = d.class_id ORDER BY d.id
            """).map { [try $0.string("class"), try $0.string("text"), try $0.optionalString("attribute_raw"),
                        try $0.optionalString("attribute"), try $0.string("kind")] }
    }

    func sourceFormats() throws -> [String] {
        try store.database.rows("SELECT format FROM sources ORDER BY id").map { try $0.string("format") }
    }

    // MARK: attributes

    func testAttributeKeysBecomeAttributeRawAndAreMapped() throws {
        let f = TestSupport.write("""
        {"Glacier": {"Colour": ["Glacier, which is pale blue.", "Glacier, which is white."],
                     "Texture": ["Glacier, which has a cracked surface."]},
         "Dune": {"Shape": ["Dune, which forms long ridges."]}}
        """, to: "tap.json", in: dir)
        let set = try AttributeKeyedReader.read(try InputFile(path: f))
        XCTAssertEqual(set.format, "attributes")
        XCTAssertEqual(set.entries.map(\.className), ["Glacier", "Dune"])
        XCTAssertEqual(set.entries[0].items.map(\.attributeRaw), ["Colour", "Colour", "Texture"])
        XCTAssertEqual(set.entries[0].items[2].location, InputLocation(file: f, line: 2, column: 26, path: #""Glacier"."Texture"[0]"#))
        let r = try importer().importClassDescriptions(.attributes, path: f, dataset: "land", createClasses: true)
        XCTAssertEqual(r.format, "attributes")
        XCTAssertEqual(r.descriptionsAdded, 4)
        let got = try rows()
        XCTAssertEqual(got.map { $0[2] }, ["Colour", "Colour", "Texture", "Shape"])
        // Mapped by the shipped taxonomy, as FuDD's attr_type is.
        XCTAssertEqual(got.map { $0[3] }, ["Colour", "Colour", "Texture", "Shape"].map { TestSupport.taxonomy.map($0).attribute })
        XCTAssertEqual(try sourceFormats(), ["attributes"])
    }

    func testAttributeKeyedErrorsNameTheirPathAndSkip() throws {
        let text = #"{"Glacier": {"Colour": ["white", ""], "Size": "big", "": ["x"]}, "Dune": {"Shape": ["long ridges"]}}"#
        let f = TestSupport.write(text, to: "bad.json", in: dir)
        XCTAssertThrowsError(try AttributeKeyedReader.read(try InputFile(path: f))) {
            XCTAssertEqual("\($0)", #"\#(f):1:34 (at "Glacier"."Colour"[1]): empty description text (--skip-invalid leaves such items out and imports the rest)"#)
        }
        let set = try AttributeKeyedReader.read(try InputFile(path: f), skipInvalid: true)
        XCTAssertEqual(set.itemCount, 2)
        XCTAssertEqual(set.skipped.count, 3, "\(set.skipped)")
        XCTAssertTrue(set.skipped[1].contains(#"(at "Glacier"."Size"): expected an array of texts, found a string"#), set.skipped[1])
        XCTAssertTrue(set.skipped[2].contains("empty attribute key"), set.skipped[2])
    }

    // MARK: folder

    func testFolderReadsOneClassPerTextFileSortedByName() throws {
        let folder = dir + "/descs"
        TestSupport.write("A photo of a dune.\n\n   \n  A photo of sand ridges. ", to: "descs/Sand Dune.txt", in: dir)
        TestSupport.write("A photo of ice.\r\nA photo of a crevasse.\r\n", to: "descs/Glacier.txt", in: dir)
        TestSupport.write("not a class", to: "descs/README.md", in: dir)
        try FileManager.default.createDirectory(atPath: folder + "/old", withIntermediateDirectories: true)
        let set = try FolderReader.read(folder: folder)
        XCTAssertEqual(set.format, "folder")
        XCTAssertEqual(set.entries.map(\.className), ["Glacier", "Sand Dune"])
        XCTAssertEqual(set.entries[0].texts, ["A photo of ice.", "A photo of a crevasse."], "CRLF split, no empty last line")
        XCTAssertEqual(set.entries[1].items.map(\.location.line), [1, 4], "blank lines ignored, lines counted")
        XCTAssertEqual(set.entries[1].texts.last, "A photo of sand ridges.", "spaces around a line trimmed")
        XCTAssertEqual(set.notes.count, 2, "\(set.notes)")
        XCTAssertTrue(set.notes.contains { $0.hasSuffix("README.md: not a .txt file; left out") }, "\(set.notes)")
        XCTAssertTrue(set.notes.contains { $0.contains("/old: a folder") }, "\(set.notes)")

        let r = try importer().importClassDescriptions(.folder, path: folder, dataset: "land", createClasses: true)
        XCTAssertEqual(r.descriptionsAdded, 4)
        XCTAssertEqual(r.warnings.count, 2)
        XCTAssertEqual(try sourceFormats(), ["folder"])
        // The source hash covers the files: a changed line makes a new one.
        let before = set.contentHash
        TestSupport.write("A photo of ice.\n", to: "descs/Glacier.txt", in: dir)
        XCTAssertNotEqual(try FolderReader.read(folder: folder).contentHash, before)
    }

    func testFolderInvalidUTF8NamesFileLineAndColumn() throws {
        let folder = dir + "/bad"
        TestSupport.write("fine\n", to: "bad/Dune.txt", in: dir)
        _ = FileManager.default.createFile(atPath: folder + "/Glacier.txt", contents: Data("ice\nbl".utf8 + [0xFF] + Data("ue\n".utf8)))
        XCTAssertThrowsError(try FolderReader.read(folder: folder)) {
            XCTAssertTrue("\($0)".hasPrefix(folder + "/Glacier.txt:2:3: the file is not valid UTF-8"), "\($0)")
            XCTAssertTrue("\($0)".contains("--skip-invalid"), "\($0)")
        }
        let set = try FolderReader.read(folder: folder, skipInvalid: true)
        XCTAssertEqual(set.entries.map(\.className), ["Dune"])
        XCTAssertEqual(set.skipped.count, 1)
        XCTAssertThrowsError(try FolderReader.read(folder: dir + "/missing")) { XCTAssertTrue("\($0)".contains("no such file"), "\($0)") }
        let empty = dir + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        XCTAssertThrowsError(try FolderReader.read(folder: empty)) { XCTAssertTrue("\($0)".contains("no .txt files"), "\($0)") }
    }

    // MARK: ex2

    func testEX2PairsListsWithAClassListInOrder() throws {
        let classes = TestSupport.write(#"["red_kite", "blue kite"]"#, to: "kites_class_names.json", in: dir)
        let f = TestSupport.write(#"[["A red kite soaring.", "A red kite, forked tail."], [" A blue kite at the beach."]]"#, to: "ex2.json", in: dir)
        let r = try importer().importClassDescriptions(.ex2, path: f, dataset: "kites", classesPath: classes, createClasses: true)
        XCTAssertEqual(r.descriptionsAdded, 3)
        XCTAssertEqual(try rows().map { [$0[0], $0[1]] }, [["red_kite", "A red kite soaring."], ["red_kite", "A red kite, forked tail."],
                                                         ["blue kite", " A blue kite at the beach."]])
        XCTAssertEqual(try sourceFormats(), ["ex2"])
        // Without --classes, the dataset's stored class list gives the order.
        let g = TestSupport.write(#"[["A kite with a red sail."], []]"#, to: "ex2b.json", in: dir)
        let r2 = try importer().importClassDescriptions(.ex2, path: g, dataset: "kites")
        XCTAssertEqual(r2.descriptionsAdded, 1)
        XCTAssertEqual(try rows().last?[0], "red_kite")
    }

    func testEX2CountMismatchNamesBothCounts() throws {
        let classes = TestSupport.write("tench\ngoldfish\nshark\n", to: "fish.txt", in: dir)
        let f = TestSupport.write(#"[["a"], ["b"]]"#, to: "ex2.json", in: dir)
        XCTAssertThrowsError(try importer().importClassDescriptions(.ex2, path: f, dataset: "fish", classesPath: classes, createClasses: true)) {
            XCTAssertTrue("\($0)".contains("the file has 2 class lists but \(classes) has 3 classes"), "\($0)")
        }
        XCTAssertThrowsError(try importer().importClassDescriptions(.ex2, path: f, dataset: "fish")) {
            XCTAssertTrue("\($0)".contains("pass --classes FILE"), "\($0)")
        }
        XCTAssertEqual(try store.datasetNames(), [])
        let bad = TestSupport.write(#"[["ok", 3], "oops"]"#, to: "bad.json", in: dir)
        let two = TestSupport.write("tench\ngoldfish\n", to: "two.txt", in: dir)
        let set = try EX2Reader.read(try InputFile(path: bad), classNames: ["tench", "goldfish"], classListName: two, skipInvalid: true)
        XCTAssertEqual(set.entries.map(\.className), ["tench", "goldfish"])
        XCTAssertEqual(set.entries.map(\.texts), [["ok"], []])
        XCTAssertEqual(set.skipped.count, 2)
        XCTAssertTrue(set.skipped[0].contains("(at [0][1]): expected a string, found a number"), set.skipped[0])
        XCTAssertTrue(set.skipped[1].contains("(at [1]): expected the list of class 1 ('goldfish'), found a string"), set.skipped[1])
    }

    // MARK: csv / tsv

    func testCSVQuotingAndColumns() throws {
        let f = TestSupport.write("""
        Kind,class,text,attribute,notes\r
        ,tench,"a green fish, with ""red"" eyes",colour,x\r
        class,tench,"a fish
        found in ponds",habitat,\r
        classname,goldfish,goldfish,,\r
        ,goldfish,a 5" long fish,size,\r
        \r
        """, to: "d.csv", in: dir)
        let set = try DelimitedReader.read(try InputFile(path: f), dialect: .csv)
        XCTAssertEqual(set.format, "csv")
        XCTAssertEqual(set.entries.map(\.className), ["tench", "goldfish"])
        XCTAssertEqual(set.entries[0].texts, [#"a green fish, with "red" eyes"#, "a fish\nfound in ponds"])
        XCTAssertEqual(set.entries[1].texts, ["goldfish", #"a 5" long fish"#])
        XCTAssertEqual(set.entries[0].items.map(\.attributeRaw), ["colour", "habitat"])
        XCTAssertEqual(set.entries[1].items.map(\.kind), [.classname, .class])
        XCTAssertEqual(set.entries[1].items.map(\.location.line), [5, 6], "a quoted line break counts as a line")
        XCTAssertEqual(set.notes.count, 1)
        XCTAssertTrue(set.notes[0].contains("unknown column 'notes'"), set.notes[0])

        let r = try importer().importClassDescriptions(set, path: f, dataset: "fish", template: .dclip, createClasses: true)
        XCTAssertEqual(r.descriptionsAdded, 4)
        XCTAssertEqual(try rows().map { [$0[1], $0[4]] }, [
            [#"tench, which is a green fish, with "red" eyes"#, "class"], ["tench, which is a fish\nfound in ponds", "class"],
            ["goldfish", "classname"], [#"goldfish, which is a 5" long fish"#, "class"]], "the template applies to class items only")
        XCTAssertEqual(try sourceFormats(), ["csv"])
    }

    func testTSVAndCSVErrorsNameLineAndColumn() throws {
        let t = TestSupport.write("class\ttext\ntench\ta green fish\ngoldfish\t\nshark\ta big fish\textra\nshark\tteeth\n", to: "d.tsv", in: dir)
        XCTAssertThrowsError(try DelimitedReader.read(try InputFile(path: t), dialect: .tsv)) {
            XCTAssertEqual("\($0)", "\(t):3 (at column 'text'): empty description text (--skip-invalid leaves such items out and imports the rest)")
        }
        let set = try DelimitedReader.read(try InputFile(path: t), dialect: .tsv, skipInvalid: true)
        XCTAssertEqual(set.format, "tsv")
        XCTAssertEqual(set.entries.map(\.className), ["tench", "shark"])
        XCTAssertEqual(set.itemCount, 2)
        XCTAssertEqual(set.skipped, ["\(t):3 (at column 'text'): empty description text", "\(t):4: the row has 3 fields, the header 2"])

        func error(_ csv: String) -> String {
            let f = TestSupport.write(csv, to: "e.csv", in: dir)
            do { _ = try DelimitedReader.read(try InputFile(path: f), dialect: .csv); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(error("class,text\ntench,\"never closed\n").contains("e.csv:2:7: the quoted field opened here is never closed"))
        XCTAssertTrue(error("class,text\ntench,\"a\"b\n").contains("e.csv:2:10: text after the closing quote"))
        XCTAssertTrue(error("klass,text\ntench,a\n").contains("e.csv:1: the header has no 'class' column"))
        XCTAssertTrue(error("class,text,Class\n").contains("column 'class' appears twice"))
        XCTAssertTrue(error("class,text,kind\ntench,a,differential\n").contains("e.csv:2 (at column 'kind'): kind 'differential' cannot be imported per class"))
        XCTAssertTrue(error("").contains("the file is empty"))
        XCTAssertTrue(error("class,text\n,a fish\n").contains("e.csv:2 (at column 'class'): class with an empty name"))
    }

    func testCSVParserEdgeCases() throws {
        let parse = { (s: String) in try DelimitedReader.parse(Array(s.utf8), delimiter: UInt8(ascii: ","), file: "x").map(\.fields) }
        XCTAssertEqual(try parse("a,b\n"), [["a", "b"]])
        XCTAssertEqual(try parse("a,b"), [["a", "b"]], "no final line break")
        XCTAssertEqual(try parse("\"\",\"\"\"\"\n"), [["", "\""]])
        XCTAssertEqual(try parse("a,,\n"), [["a", "", ""]])
        XCTAssertEqual(try parse("\"é,ü\",ß\r\n"), [["é,ü", "ß"]])
        XCTAssertEqual(try DelimitedReader.parse(Array("x\t\"a\tb\"\n".utf8), delimiter: UInt8(ascii: "\t"), file: "x").map(\.fields), [["x", "a\tb"]])
    }
}
