import DescryLLM
import DescryStore
import Foundation
import XCTest

/// The LLM half of the FuDD loop, through the library: confused pairs read from the store,
/// differential answers written to `pairs` and `pair_members`.
final class DifferentialLoopTests: XCTestCase {
    func testConfusedPairsComeFromTheStoresConfusionReads() throws {
        let store = try TestSupport.store()
        let ds = try store.datasetID(named: "pets")
        let classes = try store.classes(ofDataset: ds)
        let vlm = try store.write { try store.vlms.ensure(named: "clip-b32") }
        // beagle/pug has a generic differential pair; pug/Persian and Siamese/Bengal have none.
        try store.write {
            let w = try DescriptionWriter(store: store, sourceID: try store.addSource(SourceInfo(format: "test", label: "t", contentHash: "x")).id)
            let p = try w.pair(datasetID: ds, classA: classes[0], classB: classes[2])
            let a = try w.add(NewDescription(datasetID: ds, classID: classes[0].id, text: "A beagle is a beagle.", kind: .differential))
            let b = try w.add(NewDescription(datasetID: ds, classID: classes[2].id, text: "A pug is a pug.", kind: .differential))
            try w.link(pairID: p, position: 0, side: classes[0].id, descriptionID: a.id, twinID: b.id, attributeRaw: nil)
            try w.finish()
            for (x, y, n) in [(2, 0, 9), (2, 3, 5), (4, 5, 3)] {
                try store.database.execute("INSERT INTO confusions(vlm_id, dataset_id, class_a, class_b, count) VALUES (?, ?, ?, ?, ?)",
                                           [vlm, ds, classes[x].id, classes[y].id, n])
            }
        }
        let all = try ConfusedPair.load(store: store, vlmID: vlm, datasetID: ds, k: nil, missingOnly: false)
        XCTAssertEqual(all, [ConfusedPair(a: classes[2], b: classes[0], count: 9, missing: false),
                             ConfusedPair(a: classes[2], b: classes[3], count: 5, missing: true),
                             ConfusedPair(a: classes[4], b: classes[5], count: 3, missing: true)])
        XCTAssertEqual(try ConfusedPair.load(store: store, vlmID: vlm, datasetID: ds, k: 2, missingOnly: true).map(\.count), [5])
        XCTAssertEqual(try ConfusedPair.load(store: store, vlmID: vlm, datasetID: ds, k: 1, missingOnly: true), [])
        XCTAssertEqual(try ConfusedPair.load(store: store, vlmID: vlm, datasetID: ds, k: nil, missingOnly: true),
                       try store.confusions.missingDifferentials(vlmID: vlm, datasetID: ds).map(ConfusedPair.init))
    }

    func testWritingTheSameAnswerAgainLinksNothingTwice() throws {
        let store = try TestSupport.store()
        let c = LLMConfiguration(baseURL: "http://127.0.0.1:9/v1", model: "test-model")
        let g = try DifferentialGenerator(store: store, dataset: "pets", configuration: c, prompt: try TestSupport.prompt("differential"))
        let vlm = try store.write { try store.vlms.ensure(named: "clip-b32") }
        let job = try XCTUnwrap(try g.jobs(pairs: [(try g.resolve("pug"), try g.resolve("beagle"))]).first)
        let write = g.writer(vlmID: vlm)
        func slots() throws -> [[Int64]] {
            try store.database.rows("SELECT position, side FROM pair_members ORDER BY position, side").map {
                [try $0.int64("position"), try $0.int64("side")]
            }
        }

        let first = try store.write { try write(job, try job.parse(TestSupport.differentialAnswer("beagle", "pug", n: 2))) }
        XCTAssertEqual(first.added, 4)
        XCTAssertEqual(first.pairs, 1)
        let beagle = try g.resolve("beagle").id, pug = try g.resolve("pug").id
        XCTAssertEqual(try slots(), [[0, beagle], [0, pug], [1, beagle], [1, pug]])

        let again = try store.write { try write(job, try job.parse(TestSupport.differentialAnswer("beagle", "pug", n: 2))) }
        XCTAssertEqual([again.added, again.existing, again.pairs], [0, 4, 0])
        XCTAssertEqual(try slots().count, 4, "a re-run from the cache links no slot again")

        // A new attribute goes after the highest position.
        _ = try store.write { try write(job, try job.parse(TestSupport.differentialAnswer("beagle", "pug", n: 2, tag: " too"))) }
        XCTAssertEqual(try slots().map { $0[0] }, [0, 0, 1, 1, 2, 2, 3, 3])
        XCTAssertEqual(try TestSupport.count(store, "SELECT count(*) FROM pairs WHERE vlm_id = ?", [vlm]), 1)
    }
}
