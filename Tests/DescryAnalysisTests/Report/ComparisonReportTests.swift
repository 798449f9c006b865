import DescryStore
import DescryTestSupport
import Foundation
import XCTest
@testable import DescryAnalysis

/// The report comparing two VLMs: its model from hand-made records, the page built from a
/// small two-VLM store, and that page rendered in headless Chromium (when installed).
final class ComparisonReportTests: XCTestCase {
    let classes = [ClassRecord(id: 1, index: 0, name: "red kite"), ClassRecord(id: 2, index: 1, name: "blue kite")]

    func run(_ method: String, k: Int? = nil, _ aggregation: String = "similarity-of-mean", acc: Double) -> RunRecord {
        RunRecord(vlmID: 1, datasetID: 1, method: method, k: k, aggregation: aggregation, accuracy: acc, top5: nil, meanPerClassRecall: acc, images: 10)
    }

    func testComparisonLinesUpRunsAttributesAndKindsPerVLM() throws {
        let a = ReportRecords(dataset: "kites", vlm: "clip-a", classes: classes,
                              runs: [run("template", acc: 0.5), run("fudd", k: 2, acc: 0.75), run("fudd", k: 3, acc: 0.75),
                                     run("fudd", k: 2, "mean-of-similarities", acc: 0.9)],
                              preferences: [AttributePreference(attribute: "colour", category: "visual", count: 3, alignment: 0.2, lift: 0.01),
                                            AttributePreference(attribute: "habitat", category: "non-visual", count: 1, alignment: 0.2, lift: 0.02),
                                            AttributePreference(attribute: "habitat", category: "visual", count: 3, alignment: 0.2, lift: -0.02)])
        var b = ReportRecords(dataset: "kites", vlm: "clip-b", classes: classes,
                              runs: [run("template", acc: 0.25), run("fudd", k: 3, acc: 0.5)],
                              preferences: [AttributePreference(attribute: "habitat", category: "visual", count: 2, alignment: 0.2, lift: 0.05)])
        b.preferredTypes = [PreferredType(category: "visual", attribute: "habitat", top: 2, all: 4), PreferredType(category: "visual", attribute: "colour", top: 0, all: 4)]
        let c = ComparisonModel([ReportModel(a), ReportModel(b)])
        XCTAssertEqual(c.vlms, ["clip-a", "clip-b"])
        XCTAssertEqual(c.accuracy.map { "\($0.method) \($0.k.map(String.init) ?? "-") \($0.aggregation ?? "")" },
                       ["template - similarity-of-mean", "fudd 2 similarity-of-mean", "fudd 3 similarity-of-mean", "fudd 2 mean-of-similarities"],
                       "similarity of mean first, the methods in order, then k")
        XCTAssertEqual(c.accuracy[1].accuracy, [0.75, nil], "clip-b has no k=2 run")
        XCTAssertEqual(c.fuddGain[0], .init(template: 0.5, bestK: 2, best: 0.75), "a tie goes to the smaller k; mean of similarities is not counted")
        XCTAssertEqual(c.fuddGain[1]?.gain ?? 0, 0.25, accuracy: 1e-12)
        // habitat under clip-a: (0.02·1 − 0.02·3) / 4 = −0.01, over both its categories.
        let habitat = try XCTUnwrap(c.attributes.first { $0.attribute == "habitat" })
        XCTAssertEqual(habitat.lift[0] ?? 0, -0.01, accuracy: 1e-12)
        XCTAssertEqual(habitat.lift[1] ?? 0, 0.05, accuracy: 1e-12)
        XCTAssertEqual(habitat.count, [4, 2])
        let colour = try XCTUnwrap(c.attributes.first { $0.attribute == "colour" })
        XCTAssertNil(colour.lift[1], "clip-b scored no colour description")
        XCTAssertEqual(colour.count, [3, 0])
        XCTAssertEqual(c.topAttribute, ["colour", "habitat"], "the two VLMs prefer different attributes")
        XCTAssertEqual(c.preferredTypes.map(\.attribute), ["habitat", "colour"])
        XCTAssertEqual(c.preferredTypes[0].shift, [nil, 50], "clip-a has no breakdown; habitat is 100 % of clip-b's top and 50 % of all")

        let html = ReportBuilder.render(c)
        XCTAssertTrue(html.contains("2 VLMs side by side"))
        XCTAssertTrue(html.contains("k=2: 75.0%, +25.0 points over 50.0%"), "FuDD's gain for clip-a")
        XCTAssertTrue(html.contains("Top attribute: clip-a <b>colour</b>, clip-b <b>habitat</b>"))
        XCTAssertEqual(html.components(separatedBy: "class=\"legend\"").count - 1, 4, "a legend entry per VLM in both grouped charts")
        XCTAssertFalse(html.contains("<script"))
    }

    /// A store with the demo dataset under two fake VLMs, evaluated, scored and audited.
    func twoVLMStore() throws -> (DemoFixture, [String]) {
        let f = try DemoFixture()
        let second = "fake-vlm-b"
        let source = RandomTextVectors(dim: DemoFixture.dim, salt: 7)
        let vlmID = try f.store.vlms.ensure(named: second)
        let cache = f.store.embeddings(vlmID: vlmID)
        let lib = try f.library()
        var texts = Set<String>()
        for m in ZeroShotMethod.allCases { texts.formUnion(lib.texts(for: m)) }
        var rng = SplitMix(state: 5)
        var images: [(key: String, vector: [Float])] = []
        for p in lib.classes.indices {
            let t = source.vector(lib.templatePrompt(p))
            for i in 0..<6 { images.append(("img-\(p)-\(i)", Matrix.normalized(zip(t, rng.unitVector(DemoFixture.dim)).map { $0 + 1.0 * $1 }))) }
        }
        try f.store.write {
            try cache.put(.text, texts.map { (EmbeddingCache.key(text: $0), source.vector($0)) })
            try cache.put(.image, images)
        }
        for (vlm, src) in [(f.vlm, f.source), (second, source)] {
            let library = try PromptLibrary.load(store: f.store, dataset: "demo", vlmID: try f.store.vlms.id(named: vlm))
            let labelled = try LabelledImages.load(store: f.store, dataset: "demo", vlm: vlm, classes: library.classes)
            let report = try Evaluator(library: library, images: labelled, source: src).evaluate(methods: ZeroShotMethod.allCases, ks: [1, 2, 3, nil])
            try RunRecorder(store: f.store).record(report, vlm: vlm)
            _ = try ScoreCalculator(store: f.store, vlm: vlm, dataset: "demo", source: src).run()
            _ = try AuditRunner(store: f.store, auditor: RuleAuditorTests.auditor).run(dataset: "demo", vlm: vlm)
        }
        return (f, [f.vlm, second])
    }

    func testTwoVLMPageHasOneBarPerVLMForEveryAttributeAndKind() throws {
        let (f, vlms) = try twoVLMStore()
        let builder = ReportBuilder(store: f.store)
        let c = ComparisonModel(try vlms.map { ReportModel(try builder.load(dataset: "demo", vlm: $0)) })
        XCTAssertFalse(c.attributes.isEmpty)
        XCTAssertTrue(c.attributes.allSatisfy { $0.lift.allSatisfy { $0 != nil } }, "both VLMs scored every attribute")
        XCTAssertNotEqual(c.attributes.map { $0.lift[0] }, c.attributes.map { $0.lift[1] }, "two VLMs, two sets of lifts")
        let html = try builder.html(dataset: "demo", vlms: vlms)
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 4, "accuracy, attributes, kinds, audit")
        XCTAssertEqual(html.components(separatedBy: "class=\"bar\"").count - 1,
                       2 * c.attributes.count + 2 * c.preferredTypes.count + (c.models[0].audit?.verdicts.count ?? 0))
        for vlm in vlms { XCTAssertTrue(html.contains("Most confused pairs under \(vlm)"), vlm) }
        let single = try builder.html(dataset: "demo", vlms: [f.vlm])
        XCTAssertTrue(single.contains("<h1>Descry report: demo under fake-vlm</h1>"), "one VLM gives the single-VLM page")
        XCTAssertFalse(single.contains("side by side"))
    }

    /// The page as a browser lays it out: every chart has a box, and the grouped charts have
    /// one bar per VLM per row. Skips without Chromium (`apt-get install -y chromium`).
    func testTwoVLMPageRendersInHeadlessChromium() throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("headless Chromium is not installed (apt-get install -y chromium; .ci/run installs it)")
        }
        let (f, vlms) = try twoVLMStore()
        let builder = ReportBuilder(store: f.store)
        let c = ComparisonModel(try vlms.map { ReportModel(try builder.load(dataset: "demo", vlm: $0)) })
        let html = try builder.html(dataset: "demo", vlms: vlms)
        // The report itself has no script: the wrapper is the report with one measuring script
        // appended, which writes what the browser laid out into the DOM that --dump-dom prints.
        let probe = """
        <script>
        const charts = [...document.querySelectorAll('svg')].map(s => { const b = s.getBoundingClientRect();
          return { label: s.getAttribute('aria-label'), width: b.width, height: b.height,
                   bars: s.querySelectorAll('rect.bar').length, drawnBars: [...s.querySelectorAll('rect.bar')].filter(r => r.getBoundingClientRect().width > 0).length,
                   lines: s.querySelectorAll('polyline').length }; });
        const out = document.createElement('pre'); out.id = 'probe'; out.textContent = JSON.stringify(charts); document.body.appendChild(out);
        </script>
        """
        let dir = try TemporaryDirectory.make(prefix: "descry-render")
        let wrapper = dir + "/wrapper.html"
        try html.replacingOccurrences(of: "</body></html>", with: probe + "</body></html>").write(toFile: wrapper, atomically: true, encoding: .utf8)
        try html.write(toFile: dir + "/report.html", atomically: true, encoding: .utf8)
        let out = try Subprocess(chromium, ["--headless", "--disable-gpu", "--no-sandbox", "--user-data-dir=\(dir)/profile", "--virtual-time-budget=5000",
                                            "--dump-dom", "file://" + wrapper]).run(timeout: 90)
        XCTAssertEqual(out.status, 0, out.stderr)
        guard let start = out.stdout.range(of: "<pre id=\"probe\">"), let end = out.stdout.range(of: "</pre>", range: start.upperBound..<out.stdout.endIndex) else {
            return XCTFail("the probe did not run: \(out.stdout.prefix(400))")
        }
        let json = String(out.stdout[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        struct Chart: Decodable { var label: String; var width: Double; var height: Double; var bars: Int; var drawnBars: Int; var lines: Int }
        let charts = try JSONDecoder().decode([Chart].self, from: Data(json.utf8))
        XCTAssertEqual(charts.count, 4, "accuracy, attributes, kinds, audit: \(charts.map(\.label))")
        for chart in charts {
            XCTAssertGreaterThan(chart.width, 100, chart.label)
            XCTAssertGreaterThan(chart.height, 50, chart.label)
            XCTAssertEqual(chart.drawnBars, chart.bars, "every bar has a laid-out box: \(chart.label)")
        }
        func chart(_ title: String) throws -> Chart { try XCTUnwrap(charts.first { $0.label.hasPrefix(title) }, title) }
        XCTAssertEqual(try chart("Top-1 accuracy vs k").lines, 2, "a FuDD line per VLM")
        XCTAssertEqual(try chart("Mean lift").bars, 2 * c.attributes.count, "one bar per VLM per attribute")
        XCTAssertEqual(try chart("Share among the top").bars, 2 * c.preferredTypes.count, "one bar per VLM per kind")
        XCTAssertEqual(try chart("Descriptions per audit verdict").bars, c.models[0].audit?.verdicts.count)
    }
}
