@testable import DescryStore
import Foundation
import XCTest

/// The published FuDD corpora: import all three, check the counts the design guide gives,
/// and export them back to the same content.
final class CorporaIntegrationTests: XCTestCase {
    static let expected: [String: (classes: Int, pairs: Int, slots: Int, distinct: Int)] = [
        "pets": (37, 666, 5264, 3435),
        "dtd": (47, 1081, 6790, 4534),
        "eurosat": (10, 45, 356, 319),
    ]

    func testImportCountsAndExportRoundTrip() throws {
        let corpora = try TestSupport.requireCorpora()
        let store = try TestSupport.newStore()
        let out = TestSupport.tempDirectory()
        for (dataset, want) in Self.expected.sorted(by: { $0.key < $1.key }) {
            let files = FuddReader.files(folder: corpora, dataset: dataset)
            let r = try Importer(store: store).importFudd(classNamesPath: files.classNames, promptPairsPath: files.promptPairs, dataset: dataset)
            XCTAssertEqual(r.classesAdded, want.classes, dataset)
            XCTAssertEqual(r.pairsAdded, want.pairs, dataset)
            XCTAssertEqual(r.pairSlotsRead, want.slots, dataset)
            XCTAssertEqual(r.pairSlotsAdded, want.slots, dataset)
            XCTAssertEqual(r.descriptionsAdded, want.distinct, dataset)

            _ = try Exporter(store: store).writeFudd(dataset: dataset, folder: out)
            let original = try FuddReader.read(classNames: try InputFile(path: files.classNames), promptPairs: try InputFile(path: files.promptPairs))
            let exportedFiles = FuddReader.files(folder: out, dataset: dataset)
            let exported = try FuddReader.read(classNames: try InputFile(path: exportedFiles.classNames), promptPairs: try InputFile(path: exportedFiles.promptPairs))
            // Same class names, same pairs in the same order, same prompt pairs, attr types and texts.
            XCTAssertEqual(exported.classNames, original.classNames, dataset)
            XCTAssertEqual(exported.pairs.count, original.pairs.count, dataset)
            XCTAssertEqual(exported.pairs.sorted { ($0.classA, $0.classB) < ($1.classA, $1.classB) },
                           original.pairs.sorted { ($0.classA, $0.classB) < ($1.classA, $1.classB) }, dataset)
        }
        // The templates file too.
        let r = try Importer(store: store).importTemplates(path: corpora + "/clip_templates.json")
        XCTAssertEqual(r.descriptionsAdded, 80)
        XCTAssertEqual(try TestSupport.count(store, "descriptions_fts"), try TestSupport.count(store, "descriptions"))
    }

    func testEveryFuddAttributeTypeMapsToAKnownAttribute() throws {
        let corpora = try TestSupport.requireCorpora()
        var raw = Set<String>()
        for dataset in Self.expected.keys {
            let files = FuddReader.files(folder: corpora, dataset: dataset)
            let c = try FuddReader.read(classNames: try InputFile(path: files.classNames), promptPairs: try InputFile(path: files.promptPairs))
            for p in c.pairs { for pp in p.promptPairs { raw.insert(pp.attrType) } }
        }
        XCTAssertEqual(raw.count, 37 + 99 + 24 - 7, "distinct raw types across the three corpora (some are shared)")
        let unmapped = raw.map { TestSupport.taxonomy.map($0) }.filter { $0.category == .unknown || $0.attribute == "other" }
        XCTAssertEqual(unmapped.map(\.raw), [], "every FuDD attr_type must map to a known attribute")
    }
}
