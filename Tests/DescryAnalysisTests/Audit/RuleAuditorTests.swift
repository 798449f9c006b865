import DescryStore
import DescryTestSupport
import Foundation
import XCTest
@testable import DescryAnalysis

final class RuleAuditorTests: XCTestCase {
    static let auditor = RuleAuditor(lexicon: try! AuditLexicon.shipped(dataDirectory: DemoFixture.dataDirectory), taxonomy: DemoFixture.taxonomy)

    func audit(_ text: String, kind: DescriptionKind = .class, attribute: String? = nil, name: String? = "tench") -> AuditFinding {
        Self.auditor.audit(text: text, kind: kind, attributeRaw: attribute, className: name)
    }

    func testRulesWithReasons() {
        XCTAssertEqual(audit("Click to enlarge photo of a tench").verdict, .spurious)
        XCTAssertTrue(audit("Click to enlarge photo of a tench").rationale.contains("'click to enlarge'"))
        XCTAssertEqual(audit("a photo of a {}.", kind: .template, name: nil).verdict, .spurious)
        XCTAssertEqual(audit("a tench lives in slow rivers and lakes.").verdict, .nonVisual)
        XCTAssertTrue(audit("a tench lives in slow rivers and lakes.").rationale.contains("'lives'"))
        XCTAssertEqual(audit("a tench, which has a loyal temperament.", kind: .differential, attribute: "temperament").verdict, .nonVisual)
        XCTAssertEqual(audit("a tench with olive-green scales and red eyes.").verdict, .visual)
        XCTAssertEqual(audit("a tench, which is used for pest control.", kind: .differential, attribute: "coat color").verdict, .nonVisual,
                       "the sentence's words decide over a loose attribute label")
        XCTAssertEqual(audit("a tench, a type of fish with black fur.", kind: .differential, attribute: "species").verdict, .visual)
        XCTAssertEqual(audit("a tench with red fins, used for bait.", kind: .differential, attribute: "use").verdict, .nonVisual,
                       "with both kinds of word the attribute decides")
        XCTAssertEqual(audit("a pasture, used for grazing livestock.", kind: .differential, attribute: "land use", name: "pasture").verdict, .nonVisual)
    }

    func testDemoDescriptionsAreCategorisedAsWritten() throws {
        // The demo file lists six visual sentences, then one spurious, then the non-visual ones.
        let data = FileManager.default.contents(atPath: DemoFixture.dataDirectory + "/demo/demo_descriptions.json")!
        let obj = try JSONSerialization.jsonObject(with: data) as! [String: [String]]
        var wrong: [String] = []
        for (name, sentences) in obj {
            for (i, s) in sentences.enumerated() {
                let want: AuditVerdict = i < 6 ? .visual : (i == 6 ? .spurious : .nonVisual)
                let got = audit(s, name: name)
                if got.verdict != want { wrong.append("\(s): \(got.verdict) (\(got.rationale))") }
            }
        }
        XCTAssertEqual(wrong, [])
    }

    func testMeasuredOnTheHandLabelledCorpusSample() throws {
        let corpora = try SharedCorpora.fudd(datasets: ["pets"])
        let m = try AuditMeasurement(labelsPath: DemoFixture.dataDirectory + "/audit-labels.tsv", corporaDirectory: corpora, auditor: Self.auditor)
        XCTAssertEqual(m.unresolved, 0, "every labelled hash names a corpus sentence")
        XCTAssertGreaterThanOrEqual(m.items.count, 200)
        XCTAssertEqual(Set(m.items.map(\.dataset)), ["dtd", "eurosat", "pets"])
        let scores = Dictionary(uniqueKeysWithValues: m.scores.map { ($0.category, $0) })
        // Floors just under the measured values (see Docs/analysis.md): a change that makes the
        // auditor worse fails here.
        XCTAssertGreaterThanOrEqual(m.accuracy, 0.92)
        XCTAssertGreaterThanOrEqual(scores[.nonVisual]!.recall!, 0.95)
        XCTAssertGreaterThanOrEqual(scores[.nonVisual]!.precision!, 0.78)
        XCTAssertGreaterThanOrEqual(scores[.visual]!.precision!, 0.95)
        XCTAssertGreaterThanOrEqual(scores[.visual]!.recall!, 0.9)
    }
}
