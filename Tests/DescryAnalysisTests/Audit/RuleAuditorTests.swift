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

    /// Descry's evaluation set resolves whole against the shared corpora, keeps its split, and
    /// the rule auditor's test-split numbers (Docs/analysis.md) do not get worse.
    func testEvaluationSetResolvesAndTheRulesKeepTheirTestNumbers() throws {
        let root = try SharedCorpora.directory("", requiring: ["fudd/pets_prompt_pairs.json", "labo/dtd.json", "mpvr/gpt-eurosat.json",
                                                               "adaptclipzs/eurosat/River.txt", "tap/eurosat.json", "cupl/dtd.json", "dclip/pets.json"])
        let set = try AuditEvaluationSet(labelsPath: DemoFixture.dataDirectory + "/audit/labels.tsv", corporaDirectory: root)
        XCTAssertEqual(set.unresolved, [], "every key names a corpus text with the recorded hash")
        XCTAssertEqual(set.items.count, 1650)
        let bySource = Dictionary(grouping: set.items, by: \.source)
        XCTAssertEqual(bySource.count, 11)
        for (source, items) in bySource {
            XCTAssertEqual(items.filter { $0.split == .dev }.count, 75, source)
            XCTAssertEqual(items.filter { $0.split == .test }.count, 75, source)
        }
        let test = set.items.filter { $0.split == .test }
        let m = AuditEvaluation(test) { i in
            (Self.auditor.audit(text: i.text, kind: i.kind, attributeRaw: i.attributeRaw, className: i.className).verdict, nil)
        }
        XCTAssertEqual(m.items, 825)
        // Floors just under the rules' measured test numbers: a change that makes them worse fails.
        XCTAssertGreaterThanOrEqual(m.accuracy, 0.73)
        let scores = Dictionary(uniqueKeysWithValues: m.categories.map { ($0.category, $0) })
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(scores[.visual]?.recall), 0.95)
    }
}
