import DescryStore
import XCTest
@testable import DescryAnalysis

final class ReportBuilderTests: XCTestCase {
    func testReportIsSelfContainedWithItsFiveSections() throws {
        let f = try DemoFixture()
        let report = try Evaluator(library: try f.library(), images: try f.images(), source: f.source).evaluate(methods: ZeroShotMethod.allCases, ks: [1, 2, nil])
        try RunRecorder(store: f.store).record(report, vlm: f.vlm)
        _ = try ScoreCalculator(store: f.store, vlm: f.vlm, dataset: "demo", source: f.source).run()
        _ = try AuditRunner(store: f.store, auditor: RuleAuditorTests.auditor).run(dataset: "demo", vlm: f.vlm)
        let html = try ReportBuilder(store: f.store).html(dataset: "demo", vlm: f.vlm)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 4, "accuracy vs k, attribute lift, preferred types, audit verdicts")
        for section in ["Accuracy of the zero-shot methods", "Attribute preference", "The types of descriptions", "Most confused pairs", "Audit"] {
            XCTAssertTrue(html.contains(section), section)
        }
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("src=\""), "no external assets")
        XCTAssertFalse(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"), "no links out")
        XCTAssertTrue(html.contains("click to enlarge photo of a coral sawfin."), "spurious examples listed")
    }

    func testEmptyStoreSaysWhatToRun() throws {
        let f = try DemoFixture()
        let html = try ReportBuilder(store: f.store).html(dataset: "demo", vlm: f.vlm)
        XCTAssertTrue(html.contains("descry evaluate --vlm fake-vlm --dataset demo"))
        XCTAssertTrue(html.contains("descry score --vlm fake-vlm --dataset demo"))
        XCTAssertTrue(html.contains("descry audit --dataset demo"))
        XCTAssertEqual(SVGChart.escape("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;")
    }
}
