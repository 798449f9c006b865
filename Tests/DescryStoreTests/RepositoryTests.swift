@testable import DescryStore
import Foundation
import XCTest

/// The repositories of the Analysis and Vision side, each against a scratch store: what is
/// written reads back as records, and a drifted row is a `RowDecodingError`, not a crash.
final class RepositoryTests: XCTestCase {
    /// A store with the tiny FuDD dataset, a pair written for VLM `clip`, per-class
    /// descriptions, a dataset template and a global template.
    struct Fixture {
        let store: Store
        let dsID: Int64
        let classes: [ClassRecord]
        let clip: Int64

        init() throws {
            store = try TestSupport.newStore()
            let dir = TestSupport.tempDirectory()
            let t = TestSupport.writeTinyFudd(in: dir)
            let importer = Importer(store: store)
            _ = try importer.importFudd(classNamesPath: t.names, promptPairsPath: t.pairs, dataset: "tiny")
            let vlmPairs = TestSupport.write("""
                {"2_3": {"classes": [2, 3], "prompt_pairs": [{"attr_type": "colour", "prompt_pair": ["a red box, for clip.", "a blue box, for clip."]}]}}
                """, to: "clip_prompt_pairs.json", in: dir)
            _ = try importer.importFudd(classNamesPath: t.names, promptPairsPath: vlmPairs, dataset: "tiny", label: "clip-pairs", vlm: "clip")
            let descriptions = TestSupport.write(#"{"red kite": ["a red kite has a forked tail."], "blue box": ["a blue box is sold in shops."]}"#,
                                                 to: "descriptions.json", in: dir)
            _ = try importer.importClassDescriptions(path: descriptions, dataset: "tiny")
            _ = try importer.importTemplates(path: TestSupport.write(#"["a tiny photo of a {}."]"#, to: "t1.json", in: dir), dataset: "tiny")
            _ = try importer.importTemplates(path: TestSupport.write(#"["a global photo of a {}."]"#, to: "t2.json", in: dir))
            dsID = try store.datasetID(named: "tiny")
            classes = try store.classes(ofDataset: dsID)
            clip = try store.vlms.id(named: "clip")
        }

        func description(_ text: String) throws -> DescriptionRecord {
            guard let d = try store.descriptions.list(datasetID: dsID).first(where: { $0.text == text }) else {
                throw StoreError.notFound("no description '\(text)'")
            }
            return d
        }
    }

    // MARK: vlms

    func testVLMsHaveOneWriterWithOneSemantics() throws {
        let store = try TestSupport.newStore()
        let bare = try store.vlms.ensure(named: "clip-b32")
        XCTAssertEqual(try store.vlms.ensure(named: "clip-b32"), bare, "ensure never makes a second record")
        XCTAssertEqual(try store.vlms.record(named: "clip-b32"), VLMRecord(id: bare, name: "clip-b32"))
        XCTAssertEqual(try store.vlms.names(registeredOnly: true), [])

        let r = VLMRegistration(name: "clip-b32", family: "clip", dim: 512, manifestHash: "h1", manifest: #"{"directory": "/m"}"#)
        XCTAssertEqual(try store.vlms.register(r), bare, "registering a bare record keeps its id")
        var again = r
        again.manifestHash = "h2"
        again.dim = 768
        XCTAssertEqual(try store.vlms.register(again), bare, "re-registering keeps the id")
        XCTAssertEqual(try store.vlms.record(id: bare),
                       VLMRecord(id: bare, name: "clip-b32", family: "clip", dim: 768, manifestHash: "h2", manifest: #"{"directory": "/m"}"#))
        XCTAssertEqual(try store.vlms.ensure(named: "clip-b32"), bare)
        XCTAssertEqual(try store.vlms.record(id: bare)?.manifestHash, "h2", "ensure leaves a registration alone")

        let other = try store.vlms.register(VLMRegistration(name: "siglip", family: "clip", dim: 768, manifestHash: "s", manifest: "{}"))
        XCTAssertNotEqual(other, bare)
        _ = try store.vlms.ensure(named: "bare-one")
        XCTAssertEqual(try store.vlms.names(), ["bare-one", "clip-b32", "siglip"])
        XCTAssertEqual(try store.vlms.names(registeredOnly: true), ["clip-b32", "siglip"])
        XCTAssertNil(try store.vlms.record(named: "nope"))
        XCTAssertThrowsError(try store.vlms.id(named: "nope")) {
            XCTAssertTrue("\($0)".contains("unknown VLM 'nope' (known: bare-one, clip-b32, siglip)"), "\($0)")
        }
        XCTAssertEqual(try store.vlms.id(named: "siglip"), other, "the Store shorthand forwards")
        XCTAssertEqual(try store.vlms.ensure(named: "siglip"), other)
    }

    func testADriftedColumnIsARowDecodingErrorNamingColumnAndSQL() throws {
        let store = try TestSupport.newStore()
        _ = try store.vlms.ensure(named: "v")
        // SQLite's flexible typing lets text into an INTEGER column: a drift the schema does not stop.
        try store.database.execute("UPDATE vlms SET dim = 'wide' WHERE name = 'v'")
        XCTAssertThrowsError(try store.vlms.record(named: "v")) { error in
            guard let e = error as? RowDecodingError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.column, "dim")
            XCTAssertEqual(e.problem, .typeMismatch(expected: "an integer", found: .text("wide")))
            XCTAssertTrue(e.sql?.contains("FROM vlms WHERE name = ?") ?? false, "\(e)")
        }
        // A row that lacks a column (a query and its decoder out of step).
        let row = Row(columns: ["class_a", "class_b", "count"], values: [.integer(1), .integer(2), .integer(3)], sql: "SELECT class_a, class_b, count FROM confusions")
        XCTAssertThrowsError(try ConfusionRepository.record(row)) { error in
            guard let e = error as? RowDecodingError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.column, "missing_descriptions")
            XCTAssertEqual(e.problem, .missingColumn(available: ["class_a", "class_b", "count"]))
            XCTAssertTrue(e.description.contains("no column 'missing_descriptions'"), e.description)
        }
        // A NULL where a value is required.
        let columns = ["vlm_id", "description_id", "alignment", "lift", "margin", "content", "n_images", "input_hash"]
        let nullRow = Row(columns: columns, values: [.integer(1), .integer(2), .real(0.5), .null, .null, .null, .null, .null], sql: "SELECT … FROM scores")
        XCTAssertThrowsError(try ScoreRepository.record(nullRow)) { error in
            XCTAssertEqual(error as? RowDecodingError,
                           RowDecodingError(column: "n_images", problem: .unexpectedNull(expected: "an integer"), sql: "SELECT … FROM scores"))
        }
    }

    // MARK: images

    func testImagesUpsertAndReadBackByPath() throws {
        let f = try Fixture()
        let red = f.classes[0].id, blue = f.classes[1].id
        let counts = try f.store.images.upsert([NewImage(path: "/b.png", classID: blue, contentHash: "hb"),
                                                NewImage(path: "/a.png", classID: red, split: "test", contentHash: "ha"),
                                                NewImage(path: "/c.png", classID: nil, contentHash: "hc")], datasetID: f.dsID)
        XCTAssertEqual(counts.added, 3)
        XCTAssertEqual(counts.updated, 0)
        let again = try f.store.images.upsert([NewImage(path: "/a.png", classID: blue, contentHash: "ha2")], datasetID: f.dsID)
        XCTAssertEqual(again.added, 0)
        XCTAssertEqual(again.updated, 1)
        let images = try f.store.images.all(datasetID: f.dsID)
        XCTAssertEqual(images.map(\.path), ["/a.png", "/b.png", "/c.png"])
        XCTAssertEqual(images[0].classID, blue, "re-registering relabels")
        XCTAssertEqual(images[0].contentHash, "ha2")
        XCTAssertNil(images[2].classID)
        XCTAssertEqual(try f.store.images.all(datasetID: f.dsID), images, "the Store shorthand forwards")
        XCTAssertEqual(try f.store.images.all(datasetID: f.dsID + 100), [])
    }

    // MARK: embeddings

    func testEmbeddingsAreReachedFromTheStore() throws {
        let store = try TestSupport.newStore()
        let v = try store.vlms.ensure(named: "v")
        let cache = store.embeddings(vlmID: v)
        XCTAssertEqual(cache.vlmID, v)
        try store.write { try cache.put(.image, [("k", [1, -2, 0.25])]) }
        XCTAssertEqual(try store.embeddings(vlmID: v).vectors(.image, keys: ["k", "absent"]), ["k": [1, -2, 0.25]])
        XCTAssertEqual(try store.embeddings(vlmID: v).count(.image), 1)
        XCTAssertEqual(try store.embeddings(vlmID: v).count(.text), 0)
        try store.write { try cache.put(.image, [("k", [3])]) }
        XCTAssertEqual(try cache.vectors(.image, keys: ["k"])["k"], [3], "a second put replaces the vector")
    }

    // MARK: descriptions and pairs

    func testDescriptionsByDatasetKindAndWithClassNames() throws {
        let f = try Fixture()
        let all = try f.store.descriptions.list(datasetID: f.dsID)
        XCTAssertEqual(all.map(\.id), all.map(\.id).sorted())
        XCTAssertFalse(all.contains { $0.datasetID == nil }, "global templates belong to no dataset")
        let perClass = try f.store.descriptions.list(datasetID: f.dsID, kind: .class)
        XCTAssertEqual(perClass.map(\.text), ["a red kite has a forked tail.", "a blue box is sold in shops."])
        XCTAssertEqual(perClass[0].classID, f.classes[0].id)
        XCTAssertEqual(perClass[1].classID, f.classes[3].id)
        XCTAssertEqual(try f.store.descriptions.list(datasetID: f.dsID, kind: .differential).count, 11, "ten tiny slots (one sentence shared) and two clip ones")
        XCTAssertEqual(try f.store.descriptions.record(id: perClass[0].id), perClass[0])
        XCTAssertNil(try f.store.descriptions.record(id: -1))

        let red = try f.description("a photo of a red kite, which is red.")
        XCTAssertEqual(red.kind, .differential)
        XCTAssertEqual(red.attributeRaw, "color")

        XCTAssertEqual(try f.store.descriptions.templates(datasetID: f.dsID), ["a tiny photo of a {}.", "a global photo of a {}."],
                       "the dataset's templates, then the global ones")
        let named = try f.store.descriptions.withClassNames(datasetID: f.dsID)
        XCTAssertEqual(named.count, all.count + 1, "the dataset's descriptions and the global template")
        XCTAssertEqual(named.map(\.description.id), named.map(\.description.id).sorted())
        XCTAssertEqual(named.first { $0.description.text == "a blue box is sold in shops." }?.className, "blue box")
        let global = named.first { $0.description.text == "a global photo of a {}." }
        XCTAssertEqual(global?.description.kind, .template)
        XCTAssertNil(global?.description.datasetID)
        XCTAssertNil(global?.className)
    }

    func testDifferentialSlotsAndTwinsGenericAndPerVLM() throws {
        let f = try Fixture()
        let (redKite, blueKite, redBox, blueBox) = (f.classes[0].id, f.classes[1].id, f.classes[2].id, f.classes[3].id)
        let generic = try f.store.pairs.differentialSlots(datasetID: f.dsID, vlmID: nil)
        XCTAssertEqual(generic.count, 10)
        XCTAssertEqual(generic[0], DifferentialSlot(classA: redKite, classB: blueKite, side: redKite, text: "a photo of a red kite, which is red."))
        XCTAssertEqual(generic[1], DifferentialSlot(classA: redKite, classB: blueKite, side: blueKite, text: "a photo of a blue kite, which is blue."))
        XCTAssertEqual(generic.last, DifferentialSlot(classA: blueKite, classB: blueBox, side: blueBox, text: "a photo of a blue box, which sits in attics."))
        let withClip = try f.store.pairs.differentialSlots(datasetID: f.dsID, vlmID: f.clip)
        XCTAssertEqual(Array(withClip.prefix(10)), generic, "generic pairs first")
        XCTAssertEqual(withClip.dropFirst(10).map(\.text), ["a red box, for clip.", "a blue box, for clip."])
        XCTAssertEqual(withClip.last?.side, blueBox)
        XCTAssertEqual(withClip[10].classA, redBox)

        let twins = try f.store.pairs.twins(datasetID: f.dsID, vlmID: f.clip)
        XCTAssertEqual(twins.count, 12)
        let red = try f.description("a photo of a red kite, which is red.")
        XCTAssertEqual(Set(twins.filter { $0.descriptionID == red.id }.map(\.twinText)),
                       ["a photo of a blue kite, which is blue.", "a photo of a red box, which is red too."], "a shared sentence has a twin in each pair")
        XCTAssertTrue(twins.filter { $0.descriptionID == red.id }.allSatisfy { $0.side == redKite })
        let other = try f.store.vlms.ensure(named: "other")
        XCTAssertEqual(try f.store.pairs.twins(datasetID: f.dsID, vlmID: other).count, 10, "another VLM's pairs are not this one's")
    }

    // MARK: scores

    func testScoresSaveReadBackAndHashes() throws {
        let f = try Fixture()
        let a = try f.description("a photo of a red kite, which is red.").id
        let b = try f.description("a photo of a blue kite, which is blue.").id
        try f.store.scores.save([ScoreRecord(vlmID: f.clip, descriptionID: b, alignment: 0.25, lift: -0.5, margin: 0.125, content: 0.2, images: 3, inputHash: "hb"),
                                 ScoreRecord(vlmID: f.clip, descriptionID: a, alignment: 0.5, lift: 0.1, images: 2, inputHash: "ha")])
        let other = try f.store.vlms.ensure(named: "other")
        try f.store.scores.save([ScoreRecord(vlmID: other, descriptionID: a, alignment: nil, lift: nil, images: 0)])
        let list = try f.store.scores.list(vlmID: f.clip, datasetID: f.dsID)
        XCTAssertEqual(list.map(\.descriptionID), [a, b].sorted())
        XCTAssertEqual(try f.store.scores.score(vlmID: f.clip, descriptionID: b),
                       ScoreRecord(vlmID: f.clip, descriptionID: b, alignment: 0.25, lift: -0.5, margin: 0.125, content: 0.2, images: 3, inputHash: "hb"))
        XCTAssertEqual(try f.store.scores.score(vlmID: other, descriptionID: a),
                       ScoreRecord(vlmID: other, descriptionID: a, alignment: nil, lift: nil, images: 0))
        XCTAssertNil(try f.store.scores.score(vlmID: other, descriptionID: b))
        XCTAssertEqual(try f.store.scores.inputHashes(vlmID: f.clip), [a: "ha", b: "hb"])
        XCTAssertEqual(try f.store.scores.inputHashes(vlmID: other), [:], "no hash, no entry")
        // Saving again replaces.
        try f.store.scores.save([ScoreRecord(vlmID: f.clip, descriptionID: a, alignment: 0.75, lift: 0.2, images: 4, inputHash: "ha2")])
        XCTAssertEqual(try f.store.scores.score(vlmID: f.clip, descriptionID: a)?.alignment, 0.75)
        XCTAssertEqual(try f.store.scores.inputHashes(vlmID: f.clip)[a], "ha2")
        XCTAssertEqual(try f.store.scores.list(vlmID: f.clip, datasetID: f.dsID).count, 2)
    }

    func testAttributeMeansGroupByAttributeAndAuditVerdict() throws {
        let f = try Fixture()
        let d1 = try f.description("a photo of a red kite, which is red.")
        let d2 = try f.description("a photo of a blue kite, which is blue.")
        let d3 = try f.description("a photo of a blue kite, which flies over beaches.")
        XCTAssertEqual(d1.attribute, d2.attribute, "both sides of one prompt pair share the attribute")
        try f.store.scores.save([ScoreRecord(vlmID: f.clip, descriptionID: d1.id, alignment: 0.2, lift: 0.1, images: 1),
                                 ScoreRecord(vlmID: f.clip, descriptionID: d2.id, alignment: 0.4, lift: 0.3, images: 1),
                                 ScoreRecord(vlmID: f.clip, descriptionID: d3.id, alignment: 0.3, lift: nil, images: 1)])
        var means = try f.store.scores.attributeMeans(vlmID: f.clip, datasetID: f.dsID)
        XCTAssertEqual(means.count, 2)
        XCTAssertEqual(means[0].attribute, d1.attribute ?? "none")
        XCTAssertEqual(means[0].category, d1.category)
        XCTAssertEqual(means[0].count, 2)
        XCTAssertEqual(means[0].alignment, 0.3, accuracy: 1e-12)
        XCTAssertEqual(means[0].lift, 0.2, accuracy: 1e-12)
        XCTAssertEqual(means[1].count, 1)
        XCTAssertEqual(means[1].lift, 0, "no lift at all reads as 0")
        // A rule-audit verdict takes the place of the taxonomy's category.
        try f.store.audits.upsert(AuditRecord(descriptionID: d2.id, method: "rules", verdict: "spurious", rationale: "test"))
        means = try f.store.scores.attributeMeans(vlmID: f.clip, datasetID: f.dsID)
        XCTAssertEqual(means.count, 3)
        XCTAssertEqual(means[0], AttributeScoreMeans(attribute: d2.attribute ?? "none", category: "spurious", count: 1, alignment: 0.4, lift: 0.3))
        XCTAssertEqual(try f.store.scores.attributeMeans(vlmID: try f.store.vlms.ensure(named: "other"), datasetID: f.dsID), [])
        // The learned auditor's verdict, where stored, takes the place of the rules'.
        try f.store.audits.upsert(AuditRecord(descriptionID: d2.id, method: "model", verdict: "non-visual", rationale: "test"))
        means = try f.store.scores.attributeMeans(vlmID: f.clip, datasetID: f.dsID)
        XCTAssertEqual(means.count, 3, "one row per description still: no duplicate from the two verdicts")
        XCTAssertEqual(means[0], AttributeScoreMeans(attribute: d2.attribute ?? "none", category: "non-visual", count: 1, alignment: 0.4, lift: 0.3))
    }

    func testRollupThroughTheRepository() throws {
        let f = try Fixture()
        let d = try f.description("a photo of a red kite, which is red.")
        XCTAssertTrue(try f.store.scores.refreshRollup(), "a new store's rollup starts stale")
        XCTAssertTrue(try f.store.scores.isRollupFresh())
        try f.store.scores.save([ScoreRecord(vlmID: f.clip, descriptionID: d.id, alignment: 0.5, lift: 0.25, images: 2)])
        XCTAssertFalse(try f.store.scores.isRollupFresh(), "saving scores makes it stale")
        XCTAssertTrue(try f.store.scores.refreshRollup())
        XCTAssertFalse(try f.store.scores.refreshRollup(), "nothing changed since")
        let row = try XCTUnwrap(try f.store.database.row("SELECT n, sum_alignment FROM score_rollup WHERE vlm_id = ?", [f.clip]))
        XCTAssertEqual(try row.int("n"), 1)
        XCTAssertEqual(try row.double("sum_alignment"), 0.5)
    }

    // MARK: runs and confusions

    func testRunsInsertAllAndLatest() throws {
        let f = try Fixture()
        let template = RunRecord(vlmID: f.clip, datasetID: f.dsID, method: "template", aggregation: "similarity-of-mean", accuracy: 0.5,
                                 top5: 0.9, meanPerClassRecall: 0.45, images: 10, promptHash: "p", options: #"{"capitalize":false}"#)
        let id1 = try f.store.runs.insert(template)
        let id2 = try f.store.runs.insert(RunRecord(vlmID: f.clip, datasetID: f.dsID, method: "fudd", k: 2, aggregation: "similarity-of-mean", accuracy: 0.6))
        let id3 = try f.store.runs.insert(RunRecord(vlmID: f.clip, datasetID: f.dsID, method: "fudd", k: 2, aggregation: "similarity-of-mean", accuracy: 0.7))
        let id4 = try f.store.runs.insert(RunRecord(vlmID: f.clip, datasetID: f.dsID, method: "fudd", k: 1, aggregation: "similarity-of-mean", accuracy: 0.55))
        XCTAssertEqual([id1, id2, id3, id4], [id1, id1 + 1, id1 + 2, id1 + 3])
        let all = try f.store.runs.all(vlmID: f.clip, datasetID: f.dsID)
        XCTAssertEqual(all.map(\.id), [id1, id2, id3, id4])
        var stored = all[0]
        XCTAssertNotNil(stored.created)
        stored.id = nil
        stored.created = nil
        XCTAssertEqual(stored, template, "every field reads back")
        let latest = try f.store.runs.latest(vlmID: f.clip, datasetID: f.dsID)
        XCTAssertEqual(latest.map(\.id), [id4, id3, id1], "FuDD first, by k; the later of two runs of the same k")
        XCTAssertEqual(latest[1].accuracy, 0.7)
        XCTAssertEqual(try f.store.runs.latest(vlmID: try f.store.vlms.ensure(named: "other"), datasetID: f.dsID), [])
    }

    func testConfusionsAreReplacedPerVLMAndDataset() throws {
        let f = try Fixture()
        let c = f.classes.map(\.id)
        let other = try f.store.vlms.ensure(named: "other")
        try f.store.confusions.replace(vlmID: other, datasetID: f.dsID, with: [ConfusionRecord(classA: c[0], classB: c[1], count: 9)])
        try f.store.confusions.replace(vlmID: f.clip, datasetID: f.dsID, with: [
            ConfusionRecord(classA: c[0], classB: c[1], count: 3),
            ConfusionRecord(classA: c[1], classB: c[0], count: 5, missingDescriptions: 2),
            ConfusionRecord(classA: c[2], classB: c[3], count: 0, missingDescriptions: 4),
        ])
        XCTAssertEqual(try f.store.confusions.all(vlmID: f.clip, datasetID: f.dsID), [
            ConfusionRecord(classA: c[1], classB: c[0], count: 5, missingDescriptions: 2),
            ConfusionRecord(classA: c[0], classB: c[1], count: 3),
            ConfusionRecord(classA: c[2], classB: c[3], count: 0, missingDescriptions: 4),
        ])
        XCTAssertEqual(try f.store.reportData.confusedPairs(vlmID: f.clip, datasetID: f.dsID, limit: 8).map(\.count), [5, 3],
                       "the report leaves out pairs never confused")
        XCTAssertEqual(try f.store.reportData.confusedPairs(vlmID: f.clip, datasetID: f.dsID, limit: 1).map(\.count), [5])
        try f.store.confusions.replace(vlmID: f.clip, datasetID: f.dsID, with: [ConfusionRecord(classA: c[3], classB: c[2], count: 1)])
        XCTAssertEqual(try f.store.confusions.all(vlmID: f.clip, datasetID: f.dsID), [ConfusionRecord(classA: c[3], classB: c[2], count: 1)])
        XCTAssertEqual(try f.store.confusions.all(vlmID: other, datasetID: f.dsID), [ConfusionRecord(classA: c[0], classB: c[1], count: 9)],
                       "another VLM's confusions are untouched")
        // A duplicate pair fails the whole replacement: the earlier confusions stay.
        XCTAssertThrowsError(try f.store.confusions.replace(vlmID: f.clip, datasetID: f.dsID, with: [
            ConfusionRecord(classA: c[0], classB: c[1], count: 1), ConfusionRecord(classA: c[0], classB: c[1], count: 2)]))
        XCTAssertEqual(try f.store.confusions.all(vlmID: f.clip, datasetID: f.dsID), [ConfusionRecord(classA: c[3], classB: c[2], count: 1)])
    }

    // MARK: the report's queries and the audit summaries

    func testPairSentencesWithMarginsInBothOrders() throws {
        let f = try Fixture()
        let (redKite, blueKite) = (f.classes[0].id, f.classes[1].id)
        let blue = try f.description("a photo of a blue kite, which is blue.")
        try f.store.scores.save([ScoreRecord(vlmID: f.clip, descriptionID: blue.id, alignment: 0.3, lift: 0, margin: 0.0625, images: 1)])
        let sentences = try f.store.reportData.pairSentences(vlmID: f.clip, datasetID: f.dsID, a: blueKite, b: redKite)
        XCTAssertEqual(sentences.map(\.side), [blueKite, redKite, blueKite, redKite], "by position, the asked class's side first")
        XCTAssertEqual(sentences[0], PairSentence(attributeRaw: "color", side: blueKite, text: "a photo of a blue kite, which is blue.", margin: 0.0625))
        XCTAssertNil(sentences[1].margin)
        XCTAssertEqual(sentences[2].attributeRaw, "tail shape")
        let reversed = try f.store.reportData.pairSentences(vlmID: f.clip, datasetID: f.dsID, a: redKite, b: blueKite)
        XCTAssertEqual(reversed.map(\.side), [redKite, blueKite, redKite, blueKite])
        let other = try f.store.vlms.ensure(named: "other")
        XCTAssertNil(try f.store.reportData.pairSentences(vlmID: other, datasetID: f.dsID, a: blueKite, b: redKite)[0].margin, "margins are per VLM")
        XCTAssertEqual(try f.store.reportData.pairSentences(vlmID: f.clip, datasetID: f.dsID, a: f.classes[2].id, b: f.classes[3].id).map(\.text),
                       ["a red box, for clip.", "a blue box, for clip."], "the VLM's own pairs count")
        XCTAssertEqual(try f.store.reportData.pairSentences(vlmID: other, datasetID: f.dsID, a: f.classes[2].id, b: f.classes[3].id), [])
    }

    func testVerdictCountsAndExamples() throws {
        let f = try Fixture()
        let named = try f.store.descriptions.withClassNames(datasetID: f.dsID)
        let dataset = named.filter { $0.description.datasetID != nil }
        let template = try XCTUnwrap(dataset.first { $0.description.kind == .template }).description
        let sentences = dataset.filter { $0.description.kind != .template }.map(\.description)
        XCTAssertGreaterThanOrEqual(sentences.count, 4)
        try f.store.audits.upsert([
            AuditRecord(descriptionID: template.id, method: "rules", verdict: "spurious", rationale: "a template"),
            AuditRecord(descriptionID: sentences[0].id, method: "rules", verdict: "visual", rationale: "colour"),
            AuditRecord(descriptionID: sentences[1].id, method: "rules", verdict: "spurious", rationale: "name only"),
            AuditRecord(descriptionID: sentences[2].id, method: "rules", verdict: "spurious", rationale: nil),
            AuditRecord(descriptionID: sentences[3].id, method: "content:clip", verdict: "name-driven", score: 0.2),
        ])
        XCTAssertEqual(try f.store.audits.verdictCounts(method: "rules", datasetID: f.dsID),
                       [VerdictCount(verdict: "spurious", count: 3), VerdictCount(verdict: "visual", count: 1)])
        XCTAssertEqual(try f.store.audits.verdictCounts(method: "rules", datasetID: f.dsID, byVerdict: true).map(\.verdict), ["spurious", "visual"])
        XCTAssertEqual(try f.store.audits.verdictCounts(method: "content:clip", datasetID: f.dsID, byVerdict: true),
                       [VerdictCount(verdict: "name-driven", count: 1)])
        XCTAssertEqual(try f.store.audits.verdictCounts(method: "rules", datasetID: f.dsID + 100), [])

        try f.store.scores.save([ScoreRecord(vlmID: f.clip, descriptionID: sentences[2].id, alignment: 0.1, lift: -0.125, images: 1)])
        let examples = try f.store.audits.examples(verdict: "spurious", datasetID: f.dsID, vlmID: f.clip, limit: 6)
        XCTAssertEqual(examples, [AuditExample(verdict: "spurious", text: sentences[1].text, rationale: "name only", lift: nil),
                                  AuditExample(verdict: "spurious", text: sentences[2].text, rationale: nil, lift: -0.125)],
                       "templates are left out; lift under the VLM asked about")
        XCTAssertEqual(try f.store.audits.examples(verdict: "spurious", datasetID: f.dsID, limit: 1).map(\.text), [sentences[1].text])
        XCTAssertNil(try f.store.audits.examples(verdict: "spurious", datasetID: f.dsID, limit: 6)[1].lift, "no VLM, no lift")
        XCTAssertEqual(try f.store.audits.examples(verdict: "name-driven", method: "content:clip", datasetID: f.dsID, limit: 6).map(\.text), [sentences[3].text])

        // The default auditor's view: with only rules verdicts, the rules' counts.
        XCTAssertEqual(try f.store.audits.categoryVerdictCounts(datasetID: f.dsID),
                       [VerdictCount(verdict: "spurious", count: 3), VerdictCount(verdict: "visual", count: 1)])
        // A learned-model verdict takes the place of the rules' for its description only.
        try f.store.audits.upsert([
            AuditRecord(descriptionID: sentences[1].id, method: "model", verdict: "non-visual", rationale: "learned"),
            AuditRecord(descriptionID: sentences[3].id, method: "model", verdict: "visual", rationale: "learned"),
        ])
        let counts = try f.store.audits.categoryVerdictCounts(datasetID: f.dsID)
        XCTAssertEqual(Set(counts.map { "\($0.verdict) \($0.count)" }), ["spurious 2", "visual 2", "non-visual 1"],
                       "rules: template spurious, [0] visual, [2] spurious; model: [1] non-visual, [3] visual")
        XCTAssertEqual(counts.map(\.count), [2, 2, 1], "most frequent first")
        XCTAssertEqual(try f.store.audits.examples(verdict: "spurious", datasetID: f.dsID, limit: 6).map(\.text), [sentences[2].text],
                       "[1] is non-visual to the model now")
        XCTAssertEqual(try f.store.audits.examples(verdict: "non-visual", datasetID: f.dsID, limit: 6).map { $0.rationale }, ["learned"])
        XCTAssertEqual(try f.store.audits.examples(verdict: "spurious", method: "rules", datasetID: f.dsID, limit: 6).map(\.text),
                       [sentences[1].text, sentences[2].text], "a named method still reads that method")
    }
}
