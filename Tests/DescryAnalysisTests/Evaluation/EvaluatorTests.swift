import DescryStore
import XCTest
@testable import DescryAnalysis

final class EvaluatorTests: XCTestCase {
    func testEveryMethodIsEvaluatedAndRecorded() throws {
        let f = try DemoFixture()
        let ev = Evaluator(library: try f.library(), images: try f.images(), source: try f.cached(), blockSize: 7)
        let report = try ev.evaluate(methods: ZeroShotMethod.allCases, ks: [1, 3, 20, nil])
        XCTAssertEqual(report.results.map(\.label), ["classname", "template", "ensemble", "descriptions", "fudd k=1", "fudd k=3", "fudd k=14"])
        XCTAssertTrue(report.notes.contains { $0.contains("k=20 is larger than the 14 classes") })
        let template = report.results[1], k1 = report.results[4]
        // k = 1 leaves nothing to re-rank: FuDD equals the single template.
        XCTAssertEqual(k1.top1, template.top1)
        XCTAssertEqual(k1.top5, template.top5)
        XCTAssertGreaterThan(template.top1, 1.0 / 14 * 2, "images lie near their template vector")
        for r in report.results {
            XCTAssertEqual(r.images, 84)
            XCTAssertNotNil(r.top5)
            XCTAssertGreaterThanOrEqual(r.top5!, r.top1)
            XCTAssertEqual(r.perClassAccuracy.count, 14)
            XCTAssertEqual(r.meanPerClassRecall, r.perClassAccuracy.compactMap { $0 }.reduce(0, +) / 14, accuracy: 1e-12)
            // Balanced classes: mean per-class recall equals top-1.
            XCTAssertEqual(r.meanPerClassRecall, r.top1, accuracy: 1e-9)
        }
        XCTAssertEqual(Set(report.results.map(\.promptHash)).count, 5, "one prompt set per method; FuDD's k does not change its prompts")
        let ids = try RunRecorder(store: f.store).record(report, vlm: f.vlm)
        XCTAssertEqual(ids.count, 7)
        let runs = try f.store.database.rows("SELECT method, k, accuracy, top5, n_images, prompt_hash, options FROM runs ORDER BY id")
        XCTAssertEqual(try runs.map { try $0.string("method") }, ["classname", "template", "ensemble", "descriptions", "fudd", "fudd", "fudd"])
        XCTAssertEqual(try runs[6].optionalInt("k"), 14)
        XCTAssertEqual(try runs[1].double("accuracy"), template.top1, accuracy: 1e-12)
        XCTAssertTrue(try runs[0].string("options").contains("per_class_accuracy"))
        let wrong = report.results[1].perClassAccuracy.compactMap { $0 }.map { (1 - $0) * 6 }.reduce(0, +)
        let stored = try f.store.database.scalar("SELECT sum(count) FROM confusions").int ?? 0
        XCTAssertEqual(Double(stored), wrong, accuracy: 1e-9, "every template error is one confusion")
        // Re-recording replaces the confusions instead of doubling them.
        try RunRecorder(store: f.store).record(report, vlm: f.vlm)
        XCTAssertEqual(try f.store.database.scalar("SELECT sum(count) FROM confusions").int ?? 0, stored)
    }

    func testTop5IsUndefinedWithFewerThanFiveClasses() {
        let r = Metrics.measure([Ranking(classes: [0, 1], scores: [1, 0]), Ranking(classes: [0, 1], scores: [1, 0])], labels: [0, 1], classCount: 4)
        XCTAssertNil(r.top5)
        XCTAssertEqual(r.top1, 0.5)
        XCTAssertEqual(r.perClass[2], nil)
        XCTAssertEqual(r.meanPerClassRecall, 0.5)
    }

    func testPairsWithoutDescriptionsAreRecordedAsMissing() throws {
        let f = try DemoFixture()
        try f.store.database.execute("DELETE FROM pair_members")
        let ev = Evaluator(library: try f.library(), images: try f.images(), source: try f.cached())
        let report = try ev.evaluate(methods: [.fudd], ks: [3])
        XCTAssertTrue(report.notes.contains { $0.contains("no differential descriptions") })
        XCTAssertFalse(report.confusions.filter { $0.missingDescriptions > 0 }.isEmpty)
        try RunRecorder(store: f.store).record(report, vlm: f.vlm)
        XCTAssertGreaterThan(try f.store.database.scalar(Int.self, "SELECT count(*) FROM confusions WHERE missing_descriptions > 0"), 0)
        // With no sentences at all, every class falls back to its template: FuDD = template.
        let both = try ev.evaluate(methods: [.template, .fudd], ks: [3])
        XCTAssertEqual(both.results[0].top1, both.results[1].top1)
    }

    // MARK: bad input

    func testDatasetWithoutClasses() throws {
        let f = try DemoFixture()
        _ = try f.store.ensureDataset(named: "empty")
        XCTAssertThrowsError(try PromptLibrary.load(store: f.store, dataset: "empty")) { e in
            XCTAssertTrue("\(e)".contains("has no classes; import them first"), "\(e)")
        }
    }

    func testTextsNotEmbeddedNameTheCommand() throws {
        let f = try DemoFixture(embedTexts: false)
        let ev = Evaluator(library: try f.library(), images: try f.images(), source: try f.cached())
        XCTAssertThrowsError(try ev.evaluate(methods: [.template])) { e in
            XCTAssertTrue("\(e)".contains("run `descry embed texts --vlm fake-vlm --dataset demo`"), "\(e)")
        }
    }

    func testImagesNotEmbeddedOrNotLabelled() throws {
        let f = try DemoFixture(embedImages: false)
        XCTAssertThrowsError(try f.images()) { e in XCTAssertTrue("\(e)".contains("run `descry embed images --vlm fake-vlm --dataset demo`"), "\(e)") }
        let g = try DemoFixture(imagesPerClass: 0)
        XCTAssertThrowsError(try g.images()) { e in XCTAssertTrue("\(e)".contains("has no labelled images"), "\(e)") }
    }

    func testDescriptionsOfVanishedClassesAreSkippedWithANote() throws {
        let f = try DemoFixture()
        try f.store.database.execute("PRAGMA foreign_keys = OFF")
        // Class 11 is a twin (of 10), so differential descriptions refer to it too.
        try f.store.database.execute("DELETE FROM classes WHERE idx = 11")
        let lib = try f.library()
        XCTAssertEqual(lib.classes.count, 13)
        XCTAssertTrue(lib.notes.contains { $0.contains("class description(s) refer to classes that are not in 'demo'") }, "\(lib.notes)")
        XCTAssertTrue(lib.notes.contains { $0.contains("differential description slot(s)") })
        let report = try Evaluator(library: lib, images: try f.images(), source: try f.cached()).evaluate(methods: [.descriptions, .fudd], ks: [3])
        XCTAssertEqual(report.results.count, 2)
        XCTAssertEqual(report.results[0].images, 78)
    }

    func testBadKAndMethodNames() {
        XCTAssertThrowsError(try KSelection.parse("3,0")) { XCTAssertTrue("\($0)".contains("positive integer")) }
        XCTAssertEqual(try KSelection.parse("1, all"), [1, nil])
        XCTAssertThrowsError(try ZeroShotMethod.parseList("template,fud")) { XCTAssertTrue("\($0)".contains("unknown method 'fud'")) }
    }
}
