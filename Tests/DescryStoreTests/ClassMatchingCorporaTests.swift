@testable import DescryStore
import DescryTestSupport
import Foundation
import XCTest

/// The per-class corpora in ../shared/corpora against FuDD's class lists: with the default
/// match (and, for EuroSAT, the aliases Docs/knowledge-base.md gives, or `--match fuzzy` with
/// the two aliases no rule can guess), every class gets descriptions and no key is dropped.
final class ClassMatchingCorporaTests: XCTestCase {
    /// (dataset, corpus file) pairs of the shared corpora in the per-class JSON format.
    static let corpora: [(dataset: String, file: String)] = [
        ("pets", "cupl/pets.json"), ("pets", "dclip/pets.json"),
        ("dtd", "cupl/dtd.json"), ("dtd", "dclip/dtd.json"), ("dtd", "labo/dtd.json"),
        ("eurosat", "dclip/eurosat.json"), ("eurosat", "mpvr/gpt-eurosat.json"), ("eurosat", "mpvr/mixtral-eurosat.json"),
    ]

    /// The `descry classes alias eurosat …` commands of the knowledge-base doc, as (alias, class).
    static func documentedAliases(fuzzyBlock: Bool) throws -> [(alias: String, className: String)] {
        let doc = try String(contentsOfFile: TestPackage.root + "/Docs/knowledge-base.md", encoding: .utf8)
        guard let section = doc.range(of: "### EuroSAT in the shared corpora") else {
            XCTFail("Docs/knowledge-base.md has no EuroSAT section")
            return []
        }
        // The first code block holds the full set, the second the fuzzy variant.
        let blocks = doc[section.upperBound...].components(separatedBy: "```").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        guard blocks.count >= 2 else { XCTFail("expected two code blocks"); return [] }
        return blocks[fuzzyBlock ? 1 : 0].split(separator: "\n").compactMap { line -> (String, String)? in
            guard line.hasPrefix("descry classes alias eurosat ") else { return nil }
            let quoted = line.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            return quoted.count == 2 ? (quoted[0], quoted[1]) : nil
        }
    }

    func newStore(with dataset: String, corpora: String) throws -> Store {
        let store = try TestSupport.newStore()
        _ = try Importer(store: store).importClassList(path: corpora + "/fudd/\(dataset)_class_names.json", dataset: dataset)
        return store
    }

    /// Imports one corpus file and checks that every key matched and every class got text.
    @discardableResult
    func importEveryClass(_ store: Store, dataset: String, path: String, format: ClassDescriptionFormat = .descriptions,
                          mode: ClassMatchMode = .normalized,
                          file: StaticString = #filePath, line: UInt = #line) throws -> ImportReport {
        let importer = Importer(store: store)
        let keys = try importer.readClassDescriptions(format, path: path, dataset: dataset).entries.map(\.className)
        let r = try importer.importClassDescriptions(format, path: path, dataset: dataset, label: path, matching: ClassMatchOptions(mode: mode))
        let classes = try store.classes(ofDataset: try store.datasetID(named: dataset))
        XCTAssertEqual(r.matches.count, keys.count, "\(path): every key matched", file: file, line: line)
        XCTAssertEqual(Set(r.matches.map(\.classIndex)).count, classes.count, "\(path): every class named once", file: file, line: line)
        XCTAssertEqual(r.warnings, [], path, file: file, line: line)
        let withText = try store.database.scalar(Int.self, """
            SELECT count(DISTINCT d.class_id) FROM descriptions d JOIN sources s ON s.id = d.source_id WHERE s.label = ?
            """, [path])
        XCTAssertEqual(withText, classes.count, "\(path): every class has descriptions", file: file, line: line)
        let counts = ClassMatchMethod.allCases.compactMap { m in r.matchCounts[m.rawValue].map { "\(m.rawValue) \($0)" } }.joined(separator: ", ")
        print("class matching: \(path.components(separatedBy: "/").suffix(2).joined(separator: "/")) [\(mode.rawValue)]: \(counts)")
        return r
    }

    func testEveryCorpusMatchesEveryClassWithTheDocumentedAliases() throws {
        let root = try SharedCorpora.directory("", requiring: Self.corpora.map(\.file) + ["fudd/pets_class_names.json", "fudd/dtd_class_names.json", "fudd/eurosat_class_names.json"])
        let aliases = try Self.documentedAliases(fuzzyBlock: false)
        XCTAssertEqual(aliases.count, 12, "the doc's EuroSAT alias commands")
        for dataset in ["pets", "dtd", "eurosat"] {
            let store = try newStore(with: dataset, corpora: root)
            if dataset == "eurosat" {
                // Without the aliases, the MPVR keys that are other projects' words are reported with suggestions.
                // (In a store of its own: descriptions are stored once, so the rows this import
                // adds would be "already stored" for the checks below.)
                let path = root + "/mpvr/gpt-eurosat.json"
                let bare = try Importer(store: try newStore(with: dataset, corpora: root)).importClassDescriptions(path: path, dataset: dataset, label: "bare")
                let unmatched = bare.warnings.filter { $0.contains("matches no class") }
                XCTAssertEqual(unmatched.count, 4, "\(bare.warnings)")
                XCTAssertTrue(unmatched.contains { $0.contains("key 'Sea or Lake'") && $0.contains("nearest: 'lake or sea'")
                    && $0.contains(#"descry classes alias eurosat "Sea or Lake" "lake or sea""#) }, "\(unmatched)")
                for a in aliases { XCTAssertEqual(try store.classMatching.addAlias(dataset: dataset, alias: a.alias, className: a.className), .added, a.alias) }
            }
            for c in Self.corpora where c.dataset == dataset {
                let r = try importEveryClass(store, dataset: dataset, path: root + "/" + c.file)
                XCTAssertEqual(r.matches.filter { $0.method == .fuzzy }, [], "the default match takes no guesses")
            }
        }
    }

    func testEuroSATWithFuzzyMatchingAndTwoAliases() throws {
        let root = try SharedCorpora.directory("", requiring: ["mpvr/gpt-eurosat.json", "mpvr/mixtral-eurosat.json", "fudd/eurosat_class_names.json"])
        let aliases = try Self.documentedAliases(fuzzyBlock: true)
        XCTAssertEqual(aliases.map(\.className), ["brushland or shrubland", "brushland or shrubland"])
        let store = try newStore(with: "eurosat", corpora: root)
        for a in aliases { try store.classMatching.addAlias(dataset: "eurosat", alias: a.alias, className: a.className) }
        for file in ["mpvr/gpt-eurosat.json", "mpvr/mixtral-eurosat.json", "dclip/eurosat.json"] {
            let r = try importEveryClass(store, dataset: "eurosat", path: root + "/" + file, mode: .fuzzy)
            if file.hasPrefix("mpvr") {
                XCTAssertEqual(r.matchCounts, ["exact": 6, "alias": 1, "fuzzy": 3], file)
                XCTAssertEqual(Set(r.matches.filter { $0.method == .fuzzy }.map(\.key)), ["Sea or Lake", "Industrial Buildings", "Residential Buildings"])
            }
        }
    }

    /// TAP's attribute-keyed JSON and AdaptCLIPZS's folder of per-class files are read by
    /// formats of their own; their class names are checked here, through the matcher.
    func testTAPKeysAndAdaptCLIPZSFileStemsMatch() throws {
        let root = try SharedCorpora.directory("", requiring: ["tap/eurosat.json", "adaptclipzs/eurosat", "fudd/eurosat_class_names.json"])
        let names = try FuddReader.readClassNames(try InputFile(path: root + "/fudd/eurosat_class_names.json"))
        let classes = names.enumerated().map { ClassRecord(id: Int64($0.offset + 1), index: $0.offset, name: $0.element) }
        let doc = try InputFile(path: root + "/tap/eurosat.json").json()
        guard case .object(let members) = doc.root.value else { return XCTFail("TAP's file is an object") }
        let tap = members.map(\.key)
        let stems = try FileManager.default.contentsOfDirectory(atPath: root + "/adaptclipzs/eurosat")
            .filter { $0.hasSuffix(".txt") }.map { String($0.dropLast(4)) }.sorted()
        XCTAssertEqual(tap.count, 10)
        XCTAssertEqual(stems.count, 10)
        let full = try Self.documentedAliases(fuzzyBlock: false)
        let two = try Self.documentedAliases(fuzzyBlock: true)
        for (label, keys) in [("tap", tap), ("adaptclipzs", stems)] {
            for (mode, aliases) in [(ClassMatchMode.normalized, full), (.fuzzy, two)] {
                let byID = Dictionary(classes.map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
                let m = ClassMatcher(classes: classes, aliases: aliases.compactMap { a in byID[a.className].map { (a.alias, $0) } }, mode: mode)
                var methods: [String: Int] = [:]
                var hit = Set<Int>()
                for k in keys {
                    guard case .matched(let x) = m.match(k) else { XCTFail("\(label) [\(mode)]: key '\(k)' matched no class"); continue }
                    methods[x.method.rawValue, default: 0] += 1
                    hit.insert(x.classRecord.index)
                }
                XCTAssertEqual(hit.count, 10, "\(label) [\(mode)]: ten keys onto ten classes")
                print("class matching: \(label) eurosat [\(mode.rawValue)]: \(methods.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
            }
        }
    }

    /// TAP's attribute-keyed file and AdaptCLIPZS's folder, imported for real into FuDD's
    /// EuroSAT classes: with the doc's aliases and the default match, and with `--match fuzzy`
    /// and the doc's two aliases, every class gets descriptions and no key is dropped.
    func testTAPAndAdaptCLIPZSImportIntoFuddsEuroSATClasses() throws {
        let root = try SharedCorpora.directory("", requiring: ["tap/eurosat.json", "adaptclipzs/eurosat", "fudd/eurosat_class_names.json"])
        for (mode, fuzzyBlock) in [(ClassMatchMode.normalized, false), (.fuzzy, true)] {
            let store = try newStore(with: "eurosat", corpora: root)
            for a in try Self.documentedAliases(fuzzyBlock: fuzzyBlock) {
                try store.classMatching.addAlias(dataset: "eurosat", alias: a.alias, className: a.className)
            }
            let tap = try importEveryClass(store, dataset: "eurosat", path: root + "/tap/eurosat.json", format: .attributes, mode: mode)
            let folder = try importEveryClass(store, dataset: "eurosat", path: root + "/adaptclipzs/eurosat", format: .folder, mode: mode)
            XCTAssertGreaterThan(tap.descriptionsAdded, 100)
            XCTAssertGreaterThan(folder.descriptionsAdded, 100)
            if mode == .normalized {
                XCTAssertEqual(tap.matches.filter { $0.method == .fuzzy }, [], "the default match takes no guesses")
            }
            // TAP's attribute keys land as raw attributes on every description of its source.
            let unattributed = try store.database.scalar(Int.self, """
                SELECT count(*) AS n FROM descriptions d JOIN sources s ON s.id = d.source_id
                WHERE s.label = ? AND d.attribute_raw IS NULL
                """, [root + "/tap/eurosat.json"])
            XCTAssertEqual(unattributed, 0)
        }
    }

    /// The normaliser never merges two classes of any FuDD class list, so no key of theirs
    /// falls back to exact matching.
    func testNoFuddClassListCollidesUnderTheNormaliser() throws {
        let dir = try SharedCorpora.directory("fudd")
        let lists = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix("_class_names.json") }.sorted()
        XCTAssertGreaterThanOrEqual(lists.count, 3)
        var changed = 0
        for f in lists {
            let names = try FuddReader.readClassNames(try InputFile(path: dir + "/" + f))
            let m = ClassMatcher(classes: names.enumerated().map { ClassRecord(id: Int64($0.offset), index: $0.offset, name: $0.element) })
            XCTAssertEqual(m.collisions, [], f)
            changed += names.filter { ClassName.normalizedKey($0) != ClassName.matchKey($0) }.count
        }
        XCTAssertGreaterThan(changed, 0, "some names change under the normaliser (hyphens, apostrophes), so the check is not vacuous")
    }

    /// The spellings other projects use for FuDD's class names (LaBo's lowercase without
    /// hyphens or apostrophes, `Black-footed Albatross` → `black footed albatross`; file stems
    /// in camelCase) all meet their own class under the default match.
    func testOtherProjectsSpellingsOfEveryFuddClassMatchTheirClass() throws {
        let dir = try SharedCorpora.directory("fudd")
        let lists = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix("_class_names.json") }.sorted()
        var checked = 0
        for f in lists {
            let names = try FuddReader.readClassNames(try InputFile(path: dir + "/" + f))
            let classes = names.enumerated().map { ClassRecord(id: Int64($0.offset), index: $0.offset, name: $0.element) }
            let m = ClassMatcher(classes: classes)
            for c in classes {
                let lower = c.name.lowercased().replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
                    .replacingOccurrences(of: "'", with: "")
                var variants = [lower]
                // CamelCase stems only for names of letters and separators (a digit has no case to split at).
                if c.name.allSatisfy({ $0.isLetter || " -_".contains($0) }) {
                    variants.append(lower.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined())
                }
                for v in variants {
                    guard case .matched(let x) = m.match(v) else { XCTFail("\(f): '\(v)' matched no class (want '\(c.name)')"); continue }
                    XCTAssertEqual(x.classRecord.id, c.id, "\(f): '\(v)'")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 2_000)
    }
}
