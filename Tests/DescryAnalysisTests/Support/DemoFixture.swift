import DescryFakes
import DescryStore
import DescryTestSupport
import Foundation
import XCTest
@testable import DescryAnalysis

/// A store holding the shipped demo dataset (classes, descriptions, FuDD pairs, templates) with a
/// fake VLM: deterministic random text vectors, and image rows whose vectors lie near their
/// class's template vector. No model is needed.
struct DemoFixture {
    static var packageRoot: String { TestPackage.root }
    static var dataDirectory: String { TestPackage.dataDirectory }
    static let taxonomy: AttributeTaxonomy = try! AttributeTaxonomy.shipped(dataDirectory: dataDirectory)
    static let dim = 32

    let store: Store
    let source = RandomTextVectors(dim: DemoFixture.dim)
    let vlm = "fake-vlm"

    /// `name` in a fresh temporary folder (a test cannot go on without one, so failing to make it traps).
    static func tempPath(_ name: String) -> String {
        try! TemporaryDirectory.make(prefix: "descry-analysis") + "/" + name
    }

    /// The demo store; `embedTexts` and `imagesPerClass` control what is cached.
    init(embedTexts: Bool = true, imagesPerClass: Int = 6, embedImages: Bool = true, noise: Float = 1.2) throws {
        store = try Store(path: Self.tempPath("demo.db"), taxonomy: Self.taxonomy, create: true)
        let demo = Self.dataDirectory + "/demo/"
        let importer = Importer(store: store)
        _ = try importer.importFudd(classNamesPath: demo + "demo_class_names.json", promptPairsPath: demo + "demo_prompt_pairs.json", dataset: "demo")
        _ = try importer.importClassDescriptions(path: demo + "demo_descriptions.json", dataset: "demo", label: "demo")
        _ = try importer.importTemplates(path: demo + "demo_templates.json", dataset: "demo", label: "demo-templates")
        let vlmID = try store.vlms.ensure(named: vlm)
        let cache = store.embeddings(vlmID: vlmID)
        let lib = try PromptLibrary.load(store: store, dataset: "demo")
        if embedTexts {
            var texts = Set<String>()
            for m in ZeroShotMethod.allCases { texts.formUnion(lib.texts(for: m)) }
            try store.write { try cache.put(.text, texts.map { (EmbeddingCache.key(text: $0), source.vector($0)) }) }
        }
        let dsID = try store.datasetID(named: "demo")
        var rng = SplitMix(state: 99)
        var vectors: [(key: String, vector: [Float])] = []
        try store.write {
            for (p, c) in lib.classes.enumerated() {
                let t = source.vector(lib.templatePrompt(p))
                for i in 0..<imagesPerClass {
                    let hash = "img-\(p)-\(i)"
                    try store.database.execute("INSERT INTO images(dataset_id, path, class_id, content_hash) VALUES (?, ?, ?, ?)",
                                               [dsID, "/nowhere/\(p)/\(i).png", c.id, hash])
                    let jitter = rng.unitVector(Self.dim)
                    vectors.append((hash, Matrix.normalized(zip(t, jitter).map { $0 + noise * $1 })))
                }
            }
            if embedImages { try cache.put(.image, vectors) }
        }
    }

    func library() throws -> PromptLibrary { try PromptLibrary.load(store: store, dataset: "demo") }
    func images() throws -> LabelledImages { try LabelledImages.load(store: store, dataset: "demo", vlm: vlm, classes: try library().classes) }
    func cached() throws -> CachedTextVectors { try CachedTextVectors(store: store, vlm: vlm, dataset: "demo") }
}
