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
        XCTAssertEqual(audit("a tench, red and used for bait.", kind: .differential, attribute: "use").verdict, .nonVisual,
                       "with as many words of each kind the attribute decides")
        XCTAssertEqual(audit("a tench with red fins, used for bait.", kind: .differential, attribute: "use").verdict, .visual,
                       "more visual words than non-visual ones: visual")
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
        XCTAssertEqual(set.items.count, 2100)
        let bySource = Dictionary(grouping: set.items, by: \.source)
        XCTAssertEqual(bySource.count, 11)
        // The first draw: 75 dev + 75 test per source; the second (all dev): 100 more for the
        // weakest sources, 50 for dclip. The test split is the first draw's.
        let extraDev = ["labo": 100, "mpvr-gpt": 100, "mpvr-mixtral": 100, "cupl": 100, "dclip": 50]
        for (source, items) in bySource {
            XCTAssertEqual(items.filter { $0.split == .dev }.count, 75 + (extraDev[source] ?? 0), source)
            XCTAssertEqual(items.filter { $0.split == .test }.count, 75, source)
        }
        let test = set.items.filter { $0.split == .test }
        let m = AuditEvaluation(test) { i in
            (Self.auditor.audit(text: i.text, kind: i.kind, attributeRaw: i.attributeRaw, className: i.className).verdict, nil)
        }
        XCTAssertEqual(m.items, 825)
        // Floors just under the rules' measured test numbers: a change that makes them worse fails.
        XCTAssertGreaterThanOrEqual(m.accuracy, 0.86)
        let scores = Dictionary(uniqueKeysWithValues: m.categories.map { ($0.category, $0) })
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(scores[.visual]?.recall), 0.93)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(scores[.spurious]?.precision), 0.89)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(scores[.spurious]?.recall), 0.66)
    }

    /// The rubric's cases one by one (Docs/analysis.md), on sentences written for this test.
    func testRubricCases() {
        func verdict(_ text: String, _ cls: String, twin: String? = nil, kind: DescriptionKind = .class) -> AuditVerdict {
            Self.auditor.audit(text: text, kind: kind, attributeRaw: nil, className: cls, twin: twin).verdict
        }
        // A CLIP template filled with a class, arriving as class text: about the photograph.
        XCTAssertEqual(verdict("a blurry photo of a beagle.", "beagle"), .spurious)
        XCTAssertEqual(verdict("a sculpture of the pug.", "pug"), .spurious)
        XCTAssertEqual(verdict("itap of my great pyrenees.", "great pyrenees"), .spurious)
        XCTAssertEqual(verdict("a photo of a large beagle.", "beagle"), .spurious)
        // An LLM refusal and a comment about the data.
        XCTAssertEqual(verdict("I apologize, but I cannot directly access specific datasets of satellite images.", "Forest"), .spurious)
        XCTAssertEqual(verdict("Satellite data plays a crucial role in understanding forests.", "Forest"), .spurious)
        // A sentence cut off before its content; one cut off after a claim is judged by it.
        XCTAssertEqual(verdict("The satellite photo of the river shows a", "River"), .spurious)
        XCTAssertEqual(verdict("The river appears as a long, narrow blue line with", "River"), .visual)
        // A long answer cut off mid-sentence after many words has said something: not "cut off
        // before its content" (no cue word here, so the rules fall back on visual by default).
        let longCut = "Yes, from above one can make out several arrangements of things within a river, and these things can include its course, its bends and the"
        XCTAssertEqual(verdict(longCut, "River"), .visual)
        XCTAssertFalse(Self.auditor.audit(text: longCut, kind: .class, attributeRaw: nil, className: "River", twin: nil).rationale.hasPrefix("cut off"))
        XCTAssertEqual(verdict("Here is what the", "River"), .spurious)
        // A disjunction that fits anything, and praise with nothing checkable.
        XCTAssertEqual(verdict("can be of any color", "banded"), .spurious)
        XCTAssertEqual(verdict("elegant and eye-catching", "banded"), .spurious)
        // A habitat concept and other non-visual statements.
        XCTAssertEqual(verdict("lives in the mountains of central Asia", "snow leopard"), .nonVisual)
        XCTAssertEqual(verdict("a friendly, loyal and intelligent small dog", "beagle"), .nonVisual)
        XCTAssertEqual(verdict("shows a change in colour over time", "Annual Crop Land"), .nonVisual)
        // Properties known by touch or by care, not by looking.
        XCTAssertEqual(verdict("slippery and tough", "woven"), .nonVisual)
        XCTAssertEqual(verdict("quite uncomfortable and slimy", "woven"), .nonVisual)
        XCTAssertEqual(verdict("easy to maintain, needs no treatment", "woven"), .nonVisual)
        // Visual, with an inference drawn from it.
        XCTAssertEqual(verdict("shows a lack of snow or ice, indicating it is not a polar region", "Forest"), .visual)
        XCTAssertEqual(verdict("a photo of a wrinkled surface made of paper.", "wrinkled"), .visual)
        // A two-clause differential pair: the verdict follows the clause that differs.
        XCTAssertEqual(verdict("a beagle, which is brown and was bred for hunting hares.", "beagle",
                               twin: "a pug, which is brown and was bred as a lap dog.", kind: .differential), .nonVisual)
        XCTAssertEqual(verdict("a beagle, which was bred for hunting and has long ears.", "beagle",
                               twin: "a pug, which was bred for hunting and has short ears.", kind: .differential), .visual)
    }

    /// The second labelling covers 200 items of the set (same keys and hashes) and agrees
    /// with the first as Docs/analysis.md says; no corpus text is needed for this.
    func testSecondLabellingAgreesWithTheFirst() throws {
        func rows(_ name: String) throws -> [String: [String]] {
            let text = try String(contentsOfFile: DemoFixture.dataDirectory + "/audit/" + name, encoding: .utf8)
            var out: [String: [String]] = [:]
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                out[f[0] + "\t" + f[1] + "\t" + f[2]] = f
            }
            return out
        }
        let first = try rows("labels.tsv"), second = try rows("second-labels.tsv")
        XCTAssertEqual(first.count, 2100)
        XCTAssertEqual(second.count, 200)
        var same = 0
        for (key, s) in second {
            let f = try XCTUnwrap(first[key], "a second label names an item of the set: \(key)")
            if f[4] == s[3] { same += 1 }
        }
        XCTAssertEqual(same, 193)
    }

    /// The ASCII fast path of the tokenizer gives what the Unicode path gives.
    func testASCIITokensMatchTheUnicodePath() {
        let texts = ["A photo of a Beagle, which has long ears.", "it's the dog's 'quoted' -dash- word--", "x1 2x -- '' 3.14 a-b",
                     "I'M SORRY: I can't view images!", "", "   ", "tail-tip, eye-catching; cobwebbed?"]
        for t in texts {
            XCTAssertEqual(AuditLexicon.asciiTokens(t), AuditLexicon.unicodeTokens(t), t)
        }
        XCTAssertNil(AuditLexicon.asciiTokens("café"))
        XCTAssertEqual(AuditLexicon.tokens("Café au lait"), ["café", "au", "lait"])
    }
}
