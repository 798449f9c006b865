import DescryStore
import DescryTestSupport
import Foundation
import XCTest
@testable import DescryAnalysis

/// FuDD through the store on the real pets corpus, against the reference procedure reading the
/// JSON file directly (as the FuDD code does), with random embeddings.
final class CorpusFuDDTests: XCTestCase {
    func testStoredPetsPairsGiveTheReferenceDecisions() throws {
        let corpora = try SharedCorpora.fudd(datasets: ["pets"])
        let store = try Store(path: DemoFixture.tempPath("pets.db"), taxonomy: DemoFixture.taxonomy, create: true)
        _ = try Importer(store: store).importFudd(classNamesPath: corpora + "/pets_class_names.json", promptPairsPath: corpora + "/pets_prompt_pairs.json", dataset: "pets")
        let lib = try PromptLibrary.load(store: store, dataset: "pets")
        let names = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: corpora + "/pets_class_names.json"))) as! [String]
        let pairs = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: corpora + "/pets_prompt_pairs.json"))) as! [String: [String: Any]]
        XCTAssertEqual(lib.classes.count, names.count)
        let source = RandomTextVectors(dim: 16)
        let fudd = try FuDDClassifier(library: lib, source: source)
        let display = names.map { $0.replacingOccurrences(of: "_", with: " ") }
        // The reference: prompt_factory.get_cls_pair_prompts + get_prompts(prompt_type="gpt").
        func reference(_ image: [Float], k: Int) -> [Int] {
            let template = display.map { source.vector("a photo of a \($0).") }
            let logits = template.map { Matrix.dot($0, image) }
            let top = Array(logits.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }.prefix(k))
            var prompts = [[String]](repeating: [], count: top.count)
            for i in 0..<top.count { for j in (i + 1)..<top.count {
                let (a, b) = (top[i], top[j])
                if let entry = pairs["\(min(a, b))_\(max(a, b))"] {
                    let cls = entry["classes"] as! [Int]
                    for pp in entry["prompt_pairs"] as! [[String: Any]] {
                        let t = pp["prompt_pair"] as! [String]
                        prompts[cls[0] == a ? i : j].append(t[0])
                        prompts[cls[1] == a ? i : j].append(t[1])
                    }
                } else {
                    prompts[i].append("a photo of a \(display[a]).")
                    prompts[j].append("a photo of a \(display[b]).")
                }
            } }
            let scores = prompts.map { ps in Matrix.dot(Matrix.normalizedMean(Array(Set(ps)).map(source.vector), dim: 16), image) }
            return top.indices.sorted { scores[$0] > scores[$1] }.map { top[$0] }
        }
        var rng = SplitMix(state: 2024)
        for _ in 0..<25 {
            let image = rng.unitVector(16)
            for k in [2, 5, 10, names.count] {
                let first = Ranking.top(fudd.firstStep.scores(image, count: 1), count: k)
                XCTAssertEqual(fudd.rerank(image, candidates: first.classes).classes, reference(image, k: k), "k \(k)")
            }
        }
    }
}
