import DescryStore
import Foundation
import XCTest
@testable import DescryAnalysis

/// The report's model and page built from hand-made records, with no store.
final class ReportModelTests: XCTestCase {
    let classes = [ClassRecord(id: 1, index: 0, name: "red_kite"), ClassRecord(id: 2, index: 1, name: "blue kite")]

    func run(_ method: String, k: Int? = nil, _ aggregation: String = "similarity-of-mean", acc accuracy: Double?) -> RunRecord {
        RunRecord(vlmID: 1, datasetID: 1, method: method, k: k, aggregation: aggregation, accuracy: accuracy, top5: nil,
                  meanPerClassRecall: accuracy, images: 12)
    }

    func records() -> ReportRecords {
        ReportRecords(
            dataset: "kites", vlm: "clip <b32>", classes: classes,
            runs: [run("fudd", k: 1, acc: nil), run("fudd", k: 2, acc: 0.75), run("fudd", k: 2, "mean-of-similarities", acc: 0.5),
                   run("fudd", "similarity-of-mean", acc: 0.9), run("template", acc: 0.25), run("ensemble", "mean-of-similarities", acc: 0.5)],
            preferences: [AttributePreference(attribute: "colour", category: "visual", count: 3, alignment: 0.25, lift: 0.125)],
            confusions: [.init(confusion: ConfusionRecord(classA: 1, classB: 2, count: 3),
                               sentences: [PairSentence(attributeRaw: "color", side: 1, text: "a red kite, which is red.", margin: 0.5),
                                           PairSentence(attributeRaw: nil, side: 99, text: "a kite of a lost class.", margin: nil)]),
                         .init(confusion: ConfusionRecord(classA: 2, classB: 7, count: 1), sentences: [])],
            verdicts: [VerdictCount(verdict: "visual", count: 5), VerdictCount(verdict: "spurious", count: 2)],
            contentVerdicts: [VerdictCount(verdict: "content-bearing", count: 4), VerdictCount(verdict: "name-driven", count: 1)],
            examples: [AuditExample(verdict: "spurious", text: "click to enlarge <photo>", rationale: nil, lift: -0.25)])
    }

    func testModelResolvesNamesAndBuildsTheAccuracyLines() {
        let m = ReportModel(records(), generated: Date(timeIntervalSince1970: 0))
        XCTAssertEqual(m.classCount, 2)
        XCTAssertEqual(m.ks, ["1", "2"], "a FuDD run without k draws no point")
        XCTAssertEqual(m.lines, [
            ReportModel.Line(name: "FuDD (mean sim)", points: [.init(label: "2", accuracy: 0.5)], isBaseline: false),
            ReportModel.Line(name: "FuDD (mean emb)", points: [.init(label: "1", accuracy: 0), .init(label: "2", accuracy: 0.75)], isBaseline: false),
            ReportModel.Line(name: "template", points: [.init(label: "", accuracy: 0.25)], isBaseline: true),
            ReportModel.Line(name: "ensemble (mean sim)", points: [.init(label: "", accuracy: 0.5)], isBaseline: true),
        ])
        XCTAssertEqual(m.confusedPairs, [
            ReportModel.ConfusedPair(trueClass: "red kite", predictedClass: "blue kite", images: 3, sentences: [
                .init(attribute: "color", describes: "red kite", text: "a red kite, which is red.", margin: 0.5),
                .init(attribute: "", describes: "?", text: "a kite of a lost class.", margin: nil)]),
            ReportModel.ConfusedPair(trueClass: "blue kite", predictedClass: "?", images: 1, sentences: []),
        ])
        XCTAssertEqual(m.audit?.verdicts.map(\.verdict), ["visual", "spurious"])
        XCTAssertEqual(m.audit?.contentVerdicts.count, 2)
        var unaudited = records()
        unaudited.verdicts = []
        XCTAssertNil(ReportModel(unaudited).audit, "no rule verdicts, no audit section (whatever else is there)")
    }

    func testRenderWritesEverySectionEscaped() {
        let html = ReportBuilder.render(ReportModel(records(), generated: Date(timeIntervalSince1970: 0)))
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("<h1>Descry report: kites under clip &lt;b32&gt;</h1>"))
        XCTAssertTrue(html.contains("<p class=\"meta\">2 classes · generated 1970-01-01T00:00:00Z · cosine similarities, no logit scale</p>"))
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 3, "accuracy vs k, attribute lift, audit verdicts")
        XCTAssertTrue(html.contains("<tr><td>fudd</td><td>2</td><td>similarity-of-mean</td><td>75.0%</td><td>–</td><td>75.0%</td><td>12</td></tr>"))
        XCTAssertTrue(html.contains("<tr><td>colour</td><td>visual</td><td>3</td><td>0.2500</td><td>+0.1250</td></tr>"))
        XCTAssertTrue(html.contains("<h3>red kite → predicted as blue kite <span class=\"meta\">(3 images)</span></h3>"))
        XCTAssertTrue(html.contains("<tr><td>color</td><td>red kite</td><td>a red kite, which is red.</td><td>+0.5000</td></tr>"))
        XCTAssertTrue(html.contains("<h3>blue kite → predicted as ? <span class=\"meta\">(1 images)</span></h3><p class=\"empty\">No differential descriptions for this pair"))
        XCTAssertTrue(html.contains("<p>Content check under clip &lt;b32&gt;: 4 content-bearing, 1 name-driven (alignment without the class name).</p>"))
        XCTAssertTrue(html.contains("<tr><td>spurious</td><td>click to enlarge &lt;photo&gt;</td><td></td><td>-0.2500</td></tr>"))
        XCTAssertFalse(html.contains("class=\"empty\">No evaluation yet"))
        // Baselines are dashed lines in the palette's baseline colours, FuDD lines solid.
        XCTAssertTrue(html.contains("stroke=\"\(SVGChart.palette[0])\" stroke-dasharray=\"5,4\""), "the first baseline")
        XCTAssertTrue(html.contains("<polyline fill=\"none\" stroke=\"\(SVGChart.palette[1])\""), "the first FuDD line")
    }

    func testRenderOfNothingSaysWhatToRun() {
        let html = ReportBuilder.render(ReportModel(ReportRecords(dataset: "kites", vlm: "v", classes: classes)))
        XCTAssertTrue(html.contains("No evaluation yet: run <code>descry evaluate --vlm v --dataset kites</code>."))
        XCTAssertTrue(html.contains("No scores yet: run <code>descry score --vlm v --dataset kites</code>."))
        XCTAssertTrue(html.contains("No confusions recorded"))
        XCTAssertTrue(html.contains("Not audited yet: run <code>descry audit --dataset kites</code>."))
        XCTAssertFalse(html.contains("<svg"))
    }

    func testRunsWithoutFuDDDrawNoChartButATable() {
        let r = ReportRecords(dataset: "kites", vlm: "v", classes: classes, runs: [run("template", acc: 0.25)])
        let m = ReportModel(r)
        XCTAssertEqual(m.ks, [])
        let html = ReportBuilder.render(m)
        XCTAssertFalse(html.contains("<svg"))
        XCTAssertTrue(html.contains("<tr><td>template</td><td></td><td>similarity-of-mean</td><td>25.0%</td>"))
    }

    /// EX2's view in the report: kinds of description over-represented among each class's
    /// best-aligned ones come first, with a bar each.
    func testPreferredTypesAreRankedByOverRepresentationAndDrawn() {
        var r = records()
        r.preferredTypes = [PreferredType(category: "visual", attribute: "colour", top: 2, all: 10),
                            PreferredType(category: "non-visual", attribute: "habitat", top: 6, all: 10),
                            PreferredType(category: "spurious", attribute: "none", top: 2, all: 20)]
        let m = ReportModel(r, generated: Date(timeIntervalSince1970: 0))
        // Shares top / all: habitat 60 % / 25 %, colour 20 % / 25 %, none 20 % / 50 %.
        XCTAssertEqual(m.preferredTypes.map(\.attribute), ["habitat", "colour", "none"])
        let html = ReportBuilder.render(m)
        XCTAssertTrue(html.contains("The types of descriptions clip &lt;b32&gt; prefers"), "the VLM name is escaped")
        XCTAssertTrue(html.contains("non-visual · habitat"))
        XCTAssertTrue(html.contains("+35.0"), "habitat: 60 % of the top against 25 % of all")
        var empty = records()
        empty.preferredTypes = []
        XCTAssertTrue(ReportBuilder.render(ReportModel(empty, generated: Date())).contains("No scored class descriptions yet"))
    }
}
