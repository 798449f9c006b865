@testable import DescryStore
import DescryTestSupport
import Foundation
import XCTest

/// `--template dclip`: DCLIP's `make_descriptor_sentence` rule, on edge cases and on every
/// descriptor of the three DCLIP files, against sentences computed by a script of our own.
final class DescriptorTemplateTests: XCTestCase {
    func dclip(_ d: String, _ c: String = "beagle") -> String { DescriptorTemplate.dclip.apply(className: c, descriptor: d) }

    func testRuleEdgeCases() {
        // Starts with the letter a, as a plain prefix test: the word "a", "an", or any word.
        XCTAssertEqual(dclip("a short coat"), "beagle, which is a short coat")
        XCTAssertEqual(dclip("an oval head"), "beagle, which is an oval head")
        XCTAssertEqual(dclip("antlers"), "beagle, which is antlers")
        XCTAssertEqual(dclip("almond-shaped eyes"), "beagle, which is almond-shaped eyes")
        // "used" → "which is".
        XCTAssertEqual(dclip("used for hunting"), "beagle, which is used for hunting")
        XCTAssertEqual(dclip("usedx"), "beagle, which is usedx", "a prefix, not a word")
        // has / often / typically / may / can → "which".
        XCTAssertEqual(dclip("has floppy ears"), "beagle, which has floppy ears")
        XCTAssertEqual(dclip("often tricolour"), "beagle, which often tricolour")
        XCTAssertEqual(dclip("typically brown"), "beagle, which typically brown")
        XCTAssertEqual(dclip("may bark"), "beagle, which may bark")
        XCTAssertEqual(dclip("can be white"), "beagle, which can be white")
        XCTAssertEqual(dclip("hasty gait"), "beagle, which hasty gait", "a prefix, not a word")
        XCTAssertEqual(dclip("candle-like tail"), "beagle, which candle-like tail")
        // Anything else → "which has", including verbs DCLIP does not list.
        XCTAssertEqual(dclip("long droopy ears"), "beagle, which has long droopy ears")
        XCTAssertEqual(dclip("is small"), "beagle, which has is small")
        XCTAssertEqual(dclip("usually brown"), "beagle, which has usually brown")
        // Case-sensitive, as Python's startswith: capitals do not count.
        XCTAssertEqual(dclip("A short coat"), "beagle, which has A short coat")
        XCTAssertEqual(dclip("Has floppy ears"), "beagle, which has Has floppy ears")
        XCTAssertEqual(dclip("Used for hunting"), "beagle, which has Used for hunting")
        // Code points, not characters: "a" followed by a combining accent starts with "a".
        XCTAssertEqual(dclip("a\u{301}cute"), "beagle, which is a\u{301}cute")
        XCTAssertEqual(dclip(""), "beagle, which has ")
        XCTAssertEqual(dclip(" a leading space"), "beagle, which has  a leading space")
    }

    func testOtherTemplates() throws {
        XCTAssertEqual(DescriptorTemplate.none.apply(className: "beagle", descriptor: "long ears"), "long ears")
        XCTAssertEqual(try DescriptorTemplate.parse("a photo of a {c}, with {d}.").apply(className: "beagle", descriptor: "long ears"),
                       "a photo of a beagle, with long ears.")
        XCTAssertEqual(try DescriptorTemplate.parse("DCLIP"), .dclip)
        XCTAssertThrowsError(try DescriptorTemplate.parse("a photo of a {c}"))
    }

    /// Every sentence of the three DCLIP files, imported with `--template dclip`, equals the one
    /// `Tests/Scripts/dclip_sentences.py` computes from the rule.
    func testEveryDCLIPSentenceMatchesTheReferenceScript() throws {
        let folder = try SharedCorpora.directory("dclip", requiring: ["pets.json", "dtd.json", "eurosat.json"])
        guard let probe = try? Subprocess("python3", ["-c", "print(1)"]).run(), probe.status == 0 else {
            throw XCTSkip("python3 is needed to compute the reference sentences")
        }
        var total = 0
        for name in ["pets", "dtd", "eurosat"] {
            let path = folder + "/\(name).json"
            let run = try Subprocess("python3", [TestPackage.path("Tests/Scripts/dclip_sentences.py"), path]).run()
            XCTAssertEqual(run.status, 0, run.stderr)
            let expected = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: [String]] ?? [:]
            XCTAssertFalse(expected.isEmpty, name)

            let store = try TestSupport.newStore()
            let r = try Importer(store: store).importClassDescriptions(path: path, dataset: name, template: .dclip, createClasses: true)
            XCTAssertEqual(r.warnings, [], name)
            var got: [String: [String]] = [:]
            for row in try store.database.rows("""
                SELECT c.name AS class, d.text FROM descriptions d JOIN classes c ON c.id = d.class_id ORDER BY d.id
                """) {
                got[try row.string("class"), default: []].append(try row.string("text"))
            }
            // The store keeps one row per distinct sentence of a class: compare distinct lists.
            func distinct(_ l: [String]) -> [String] { var seen = Set<String>(); return l.filter { seen.insert($0).inserted } }
            XCTAssertEqual(Set(got.keys), Set(expected.keys), name)
            for (c, sentences) in expected {
                XCTAssertEqual(got[c] ?? [], distinct(sentences), "\(name) / \(c)")
                total += sentences.count
            }
        }
        XCTAssertGreaterThan(total, 400, "pets, dtd and eurosat hold 464 descriptors")
    }
}
