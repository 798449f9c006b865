import DescryStore
import XCTest

/// The reads behind LLM generation: pair slots (`store.pairs`), judge items, best-of-N
/// candidates and sources (`store.descriptions`), reward rows (`store.scores`).
final class GenerationReadsTests: XCTestCase {
    let llmSource = SourceInfo(format: "llm", label: "llm:test-model", contentHash: "llm-hash", llm: "test-model", promptID: "descriptions-ex2")

    func testPairNextPositionAndLinkedSlots() throws {
        let f = try GenerationStoreFixture()
        let (pair, a, b, c) = try f.store.write { () -> (Int64, Int64, Int64, Int64) in
            let w = try DescriptionWriter(store: f.store, sourceID: try f.store.addSource(SourceInfo(format: "fudd", label: "fudd", contentHash: "x")).id)
            let pair = try w.pair(datasetID: f.datasetID, classA: f.classes[0], classB: f.classes[1], vlmID: f.clip)
            let a = try w.add(NewDescription(datasetID: f.datasetID, classID: f.classes[0].id, text: "A beagle is tricolour.", kind: .differential)).id
            let b = try w.add(NewDescription(datasetID: f.datasetID, classID: f.classes[1].id, text: "A basset hound has long ears.", kind: .differential)).id
            let c = try w.add(NewDescription(datasetID: f.datasetID, classID: f.classes[1].id, text: "A basset hound is low.", kind: .differential)).id
            try w.finish()
            return (pair, a, b, c)
        }
        XCTAssertEqual(try f.store.pairs.nextPosition(pairID: pair), 0, "an empty pair starts at 0")
        XCTAssertFalse(try f.store.pairs.isLinked(pairID: pair, side: f.classes[0].id, descriptionID: a, twinID: b))
        try f.store.write {
            let w = try DescriptionWriter(store: f.store, sourceID: try f.store.addSource(SourceInfo(format: "fudd", label: "fudd", contentHash: "x")).id)
            try w.link(pairID: pair, position: 0, side: f.classes[0].id, descriptionID: a, twinID: b, attributeRaw: "color")
            try w.link(pairID: pair, position: 3, side: f.classes[1].id, descriptionID: b, twinID: a, attributeRaw: "color")
            try w.finish()
        }
        XCTAssertEqual(try f.store.pairs.nextPosition(pairID: pair), 4, "one past the highest position, gaps kept")
        XCTAssertTrue(try f.store.pairs.isLinked(pairID: pair, side: f.classes[0].id, descriptionID: a, twinID: b))
        XCTAssertTrue(try f.store.pairs.isLinked(pairID: pair, side: f.classes[1].id, descriptionID: b, twinID: a))
        XCTAssertFalse(try f.store.pairs.isLinked(pairID: pair, side: f.classes[0].id, descriptionID: a, twinID: c), "another twin")
        XCTAssertFalse(try f.store.pairs.isLinked(pairID: pair, side: f.classes[1].id, descriptionID: a, twinID: b), "another side")
        XCTAssertFalse(try f.store.pairs.isLinked(pairID: pair + 1, side: f.classes[0].id, descriptionID: a, twinID: b), "another pair")
    }

    func testSourceIDMatchesFormatLabelAndHash() throws {
        let f = try GenerationStoreFixture()
        XCTAssertNil(try f.store.descriptions.sourceID(matching: llmSource))
        let id = try f.store.write { try f.store.addSource(llmSource).id }
        XCTAssertEqual(try f.store.descriptions.sourceID(matching: llmSource), id)
        var other = llmSource
        other.contentHash = "another prompt"
        XCTAssertNil(try f.store.descriptions.sourceID(matching: other))
        other = llmSource
        other.label = "llm:other-model"
        XCTAssertNil(try f.store.descriptions.sourceID(matching: other))
    }

    func testCandidatesAreOneSourcesClassDescriptionsWithTheVLMsAlignment() throws {
        let f = try GenerationStoreFixture()
        let ids = try f.add([(2, "A pug has a flat face.", .class), (2, "A pug has a curled tail.", .class),
                             (2, "A pug differs from a beagle.", .differential), (0, "A beagle has long ears.", .class)], source: llmSource)
        let otherSource = try f.add([(2, "A pug is small.", .class)], source: SourceInfo(format: "descriptions", label: "cupl", contentHash: "cupl"))
        let sourceID = try XCTUnwrap(try f.store.descriptions.sourceID(matching: llmSource))
        try f.score(ids[1], vlmID: f.clip, alignment: 0.3)
        try f.score(ids[0], vlmID: f.siglip, alignment: 0.9)
        try f.score(otherSource[0], vlmID: f.clip, alignment: 0.5)

        let pug = try f.store.descriptions.candidates(datasetID: f.datasetID, classID: f.classes[2].id, sourceID: sourceID, vlmID: f.clip)
        XCTAssertEqual(pug, [DescriptionCandidate(id: ids[0], text: "A pug has a flat face.", alignment: nil),
                             DescriptionCandidate(id: ids[1], text: "A pug has a curled tail.", alignment: 0.3)])
        XCTAssertEqual(try f.store.descriptions.candidates(datasetID: f.datasetID, classID: f.classes[2].id, sourceID: sourceID, vlmID: f.siglip)
                        .map(\.alignment), [0.9, nil])
        XCTAssertEqual(try f.store.descriptions.candidates(datasetID: f.datasetID, classID: f.classes[3].id, sourceID: sourceID, vlmID: f.clip), [])
    }

    func testClassAndDifferentialDescriptionsForTheJudge() throws {
        let f = try GenerationStoreFixture()
        let ids = try f.add([(0, "A beagle has long ears.", .class), (1, "A basset hound is low.", .differential),
                             (2, "a photo of a pug.", .template), (3, "Persian", .classname), (1, "A basset_hound droops.", .class)],
                            source: SourceInfo(format: "descriptions", label: "mixed", contentHash: "mixed"))
        let all = try f.store.descriptions.classAndDifferential(datasetID: f.datasetID)
        XCTAssertEqual(all, [DescriptionWithClass(id: ids[0], text: "A beagle has long ears.", className: "beagle"),
                             DescriptionWithClass(id: ids[1], text: "A basset hound is low.", className: "basset_hound"),
                             DescriptionWithClass(id: ids[4], text: "A basset_hound droops.", className: "basset_hound")])
        XCTAssertEqual(try f.store.descriptions.classAndDifferential(datasetID: f.datasetID, limit: 2).map(\.id), [ids[0], ids[1]])

        try f.store.audits.upsert(AuditRecord(descriptionID: ids[1], method: "llm-judge", verdict: "visual"))
        try f.store.audits.upsert(AuditRecord(descriptionID: ids[4], method: "rules", verdict: "ok"))
        XCTAssertEqual(try f.store.descriptions.classAndDifferential(datasetID: f.datasetID, withoutVerdictOf: "llm-judge").map(\.id), [ids[0], ids[4]],
                       "a verdict by another method does not count")
        XCTAssertEqual(try f.store.descriptions.classAndDifferential(datasetID: f.datasetID, withoutVerdictOf: "llm-judge", limit: 1).map(\.id), [ids[0]])
        XCTAssertEqual(try f.store.descriptions.classAndDifferential(datasetID: f.datasetID, withoutVerdictOf: nil).count, 3)
    }

    func testRewardsAreTheScoredDescriptionsOfOneVLM() throws {
        let f = try GenerationStoreFixture()
        let ids = try f.add([(2, "A pug has a flat face.", .class), (0, "A beagle has long ears.", .class),
                             (2, "A pug has a curled tail.", .class), (0, "A beagle is tricolour.", .class), (1, "A basset hound is low.", .class)],
                            source: SourceInfo(format: "descriptions", label: "cupl", contentHash: "cupl"))
        XCTAssertEqual(try f.store.scores.rewards(vlmID: f.clip, datasetID: f.datasetID), [])
        try f.score(ids[0], vlmID: f.clip, alignment: 0.2, lift: 0.01, margin: -0.5, images: 7)
        try f.score(ids[1], vlmID: f.clip, alignment: 0.1)
        try f.score(ids[2], vlmID: f.clip, alignment: 0.4)
        try f.score(ids[3], vlmID: f.clip, alignment: 0.1)
        try f.score(ids[4], vlmID: f.clip, alignment: nil, lift: 0.3)
        try f.score(ids[4], vlmID: f.siglip, alignment: 0.8)

        let rewards = try f.store.scores.rewards(vlmID: f.clip, datasetID: f.datasetID)
        // By class index, best alignment first, ties by id; unscored (NULL alignment) left out.
        XCTAssertEqual(rewards.map(\.descriptionID), [ids[1], ids[3], ids[2], ids[0]])
        XCTAssertEqual(rewards[3], DescriptionReward(descriptionID: ids[0], text: "A pug has a flat face.", kind: "class", className: "pug",
                                                     alignment: 0.2, lift: 0.01, margin: -0.5, imageCount: 7,
                                                     sourceLabel: "cupl", sourceFormat: "descriptions"))
        XCTAssertNil(rewards[0].lift)
        XCTAssertNil(rewards[0].margin)
        XCTAssertEqual(try f.store.scores.rewards(vlmID: f.siglip, datasetID: f.datasetID).map(\.descriptionID), [ids[4]])
    }
}
