import DescryStore
import DescryTestSupport
import Foundation
import XCTest
@testable import DescryAnalysis

/// The learned auditor (issue 11): the shipped model loads and predicts, the rubric's cases go
/// through the default auditor one by one, training sees dev only and is deterministic, and
/// on the held-out test split the model beats the rules.
final class LearnedAuditorTests: XCTestCase {
    static let shipped: any DescriptionAuditor = try! Auditor.shipped(dataDirectory: TestPackage.dataDirectory, taxonomy: DemoFixture.taxonomy)
    static let rules = RuleAuditorTests.auditor

    func testTheShippedModelLoadsAndIsTheDefault() throws {
        XCTAssertEqual(Self.shipped.method, "model")
        let model = try AuditModel(contentsOf: AuditModel.shippedPath(dataDirectory: TestPackage.dataDirectory))
        XCTAssertEqual(model.category.classes, ["visual", "non-visual", "spurious"])
        XCTAssertGreaterThan(model.category.entries, 1000)
        XCTAssertGreaterThan(model.attribute.classes.count, 5)
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: AuditModel.shippedPath(dataDirectory: TestPackage.dataDirectory))[.size] as? Int)
        XCTAssertLessThanOrEqual(size, 2_000_000, "the model file stays small")
        // Reading and writing again gives the same bytes: the format is canonical.
        let raw = try Data(contentsOf: URL(fileURLWithPath: AuditModel.shippedPath(dataDirectory: TestPackage.dataDirectory)))
        XCTAssertEqual(model.serialized(), raw)
        XCTAssertEqual(try Auditor.shipped(dataDirectory: TestPackage.dataDirectory, taxonomy: DemoFixture.taxonomy, method: .rules).method, "rules")
    }

    func testAReasonNamesTheStrongestFeatures() {
        let t = Self.shipped.type(text: "The whippet has a short, smooth coat in fawn or brindle.", kind: .class, attributeRaw: nil, className: "whippet")
        XCTAssertEqual(t.category, .visual)
        XCTAssertTrue(t.reason.hasPrefix("learned visual"), t.reason)
        XCTAssertTrue(t.reason.contains("+"), "signed contributions: \(t.reason)")
        XCTAssertGreaterThan(t.confidence, 0.5)
        XCTAssertLessThanOrEqual(t.confidence, 1)
    }

    // The rubric's cases, one by one, through the default auditor, with sentences written here.

    func testAFilledTemplateIsSpurious() {
        let t = Self.shipped.type(text: "a cropped photo of the whippet.", kind: .class, attributeRaw: nil, className: "whippet")
        XCTAssertEqual(t.category, .spurious, t.reason)
        XCTAssertEqual(t.attribute, "none")
    }

    func testARefusalIsSpurious() {
        let t = Self.shipped.type(text: "I'm sorry, but as an AI I cannot browse image datasets, so I cannot describe this land cover class.",
                                  kind: .class, attributeRaw: nil, className: "pasture")
        XCTAssertEqual(t.category, .spurious, t.reason)
        XCTAssertEqual(t.attribute, "none")
    }

    func testACutOffSentenceIsSpurious() {
        let t = Self.shipped.type(text: "The most distinctive thing about the whippet is the", kind: .class, attributeRaw: nil, className: "whippet")
        XCTAssertEqual(t.category, .spurious, t.reason)
    }

    /// A known gap of the model: no dev label names a habitat, so it calls this visual (see
    /// Docs/analysis.md); the rule auditor (`--method rules`) types it right, and so does the
    /// model when it does call a text non-visual (the attribute then comes from the rules' cue).
    func testAHabitatConceptIsNonVisualHabitatByTheRules() throws {
        let rules = try Auditor.shipped(dataDirectory: TestPackage.dataDirectory, taxonomy: DemoFixture.taxonomy, method: .rules)
        let t = rules.type(text: "lives in dense tropical rainforests near rivers", kind: .class, attributeRaw: nil, className: "okapi")
        XCTAssertEqual(t.category, .nonVisual, t.reason)
        XCTAssertEqual(t.attribute, "habitat", t.reason)
        let m = Self.shipped.type(text: "okapis live in dense rainforest habitats and feed on leaves; their habitat is the forest", kind: .class,
                                  attributeRaw: nil, className: "okapi")
        if m.category == .nonVisual { XCTAssertEqual(DemoFixture.taxonomy.category(of: m.attribute), .nonVisual, m.reason) }
        // The default auditor: two habitat cue words and no visual word, so the rules decide.
        let d = Self.shipped.type(text: "native to the rainforests of central Africa, where it lives in the wild", kind: .class,
                                  attributeRaw: nil, className: "okapi")
        XCTAssertEqual(d.category, .nonVisual, d.reason)
        XCTAssertEqual(d.attribute, "habitat", d.reason)
    }

    func testATwoClauseDifferentialPairFollowsTheClauseThatDiffers() {
        let calm = "a grey tabby cat with green eyes that is calm and gentle with children"
        let shy = "a grey tabby cat with green eyes that is shy and wary of strangers"
        let f = Self.shipped.audit(text: calm, kind: .differential, attributeRaw: nil, className: "ragdoll", twin: shy)
        XCTAssertEqual(f.verdict, .nonVisual, f.rationale)
        XCTAssertEqual(f.attribute.map(DemoFixture.taxonomy.category(of:)), .nonVisual, "attribute \(f.attribute ?? "-")")
        // The same sentence frame, differing in a visual clause, is visual.
        let striped = "a grey tabby cat with green eyes that has a thick striped tail"
        let plain = "a grey tabby cat with green eyes that has a thin plain tail"
        XCTAssertEqual(Self.shipped.audit(text: striped, kind: .differential, attributeRaw: nil, className: "ragdoll", twin: plain).verdict, .visual)
    }

    // Training.

    /// A small labelled set written here (no corpus text), in both splits.
    static func syntheticItems() -> [AuditEvaluationSet.Item] {
        let visual = ["has a red coat with white spots", "its ears are long and pointed", "a striped tail and a pale belly", "a smooth glossy surface",
                      "rows of square green fields", "a round head with small eyes", "the fur is thick and wavy", "a dense grid of small holes"]
        let nonVisual = ["is loyal and calm with children", "was bred in england to hunt rabbits", "lives in cold mountain forests",
                         "is used to grow wheat and barley", "eats insects and small fish", "is known for a loud bark"]
        let spurious = ["a photo of the {}.", "a blurry picture of a {}.", "I cannot access the dataset.", "the {} is a kind of {}"]
        var out: [AuditEvaluationSet.Item] = []
        for (n, (texts, label, attr)) in [(visual, AuditVerdict.visual, "colour"), (nonVisual, .nonVisual, "use"), (spurious, .spurious, "none")].enumerated() {
            for (i, t) in texts.enumerated() {
                for cls in ["beagle", "pasture", "dotted"] {
                    out.append(AuditEvaluationSet.Item(source: "synthetic", key: "\(n)/\(i)/\(cls)", split: i % 4 == 3 ? .test : .dev, label: label,
                                                       attribute: attr, confidence: "high", text: t.replacingOccurrences(of: "{}", with: cls), twin: nil,
                                                       className: cls, attributeRaw: nil, kind: .class))
                }
            }
        }
        return out
    }

    func testTrainingIsDeterministicAndRefusesTestItems() throws {
        var trainer = AuditModelTrainer(rules: Self.rules)
        trainer.folds = 3
        let items = Self.syntheticItems()
        let dev = items.filter { $0.split == .dev }
        XCTAssertThrowsError(try trainer.train(items: items, labelsSHA256: "x")) { e in
            guard case AuditModelTrainer.TrainingError.testItem = e else { return XCTFail("\(e)") }
        }
        XCTAssertThrowsError(try trainer.crossValidatedFindings(items: items, categoryConfig: AuditModelTrainer.grid[0], attributeConfig: AuditModelTrainer.grid[0]))
        let a = try trainer.train(items: dev, labelsSHA256: "x")
        let b = try trainer.train(items: dev, labelsSHA256: "x")
        XCTAssertEqual(a.model.serialized(), b.model.serialized(), "same inputs, same bytes")
        XCTAssertEqual(Set(a.trainingKeys), Set(dev.map { $0.source + " " + $0.key }))
        // What is written is what is read back.
        let path = DemoFixture.tempPath("model.json")
        try a.model.serialized().write(to: URL(fileURLWithPath: path))
        let back = try AuditModel(contentsOf: path)
        XCTAssertEqual(back, a.model)
        XCTAssertEqual(back.serialized(), a.model.serialized())
        // It learned something: the held-out synthetic items are mostly right.
        let auditor = LearnedAuditor(model: back, rules: Self.rules)
        let test = items.filter { $0.split == .test }
        let right = test.filter { auditor.audit(text: $0.text, kind: $0.kind, attributeRaw: nil, className: $0.className, twin: nil).verdict == $0.label }.count
        XCTAssertGreaterThan(right, test.count / 2, "\(right) of \(test.count)")
    }

    /// The word → attribute prior (fourth round): each content word of the taxonomy's lists
    /// gives its attribute, the class name and boilerplate give none, and only the attribute
    /// head sees it (training drops it from every category configuration, and the shipped
    /// model's category head was trained without it).
    func testTheWordAttributePriorReachesTheAttributeHeadOnly() throws {
        let f = AuditFeaturizer(rules: Self.rules)
        let s = AuditSubject(text: "The tabby has dark markings and a bushy tail.", kind: .class, className: "tabby")
        let prior = f.features(s, groups: [.attributeWords]).map(\.name).filter { $0 != "bias" }
        XCTAssertEqual(Set(prior), ["a:pattern", "a:part"], "\(prior)")
        let named = f.features(AuditSubject(text: "a photo of the pattern cat", kind: .class, className: "pattern cat"), groups: [.attributeWords])
        XCTAssertEqual(named.map(\.name), ["bias"], "class-name words carry no prior")
        XCTAssertTrue(AuditModelTrainer.grid.allSatisfy { AuditModelTrainer.categoryConfig($0).groups.contains(.attributeWords) == false })
        XCTAssertTrue(AuditModelTrainer.grid.allSatisfy { $0.groups.contains(.attributeWords) })
        let model = try AuditModel(contentsOf: AuditModel.shippedPath(dataDirectory: TestPackage.dataDirectory))
        XCTAssertFalse(model.categoryConfig.groups.contains(.attributeWords))
        XCTAssertTrue(model.attributeConfig.groups.contains(.attributeWords))
    }

    func testABrokenModelFileIsRejectedWithItsPath() throws {
        let path = DemoFixture.tempPath("broken-model.json")
        try #"{"format": "descry-audit-model", "format_version": 1, "category": {"classes": ["visual"], "weights": [[1, 5, 3]]}}"#.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try AuditModel(contentsOf: path)) { e in XCTAssertTrue("\(e)".contains(path), "\(e)") }
    }

    // On the corpora.

    func corporaSet() throws -> AuditEvaluationSet {
        _ = try SharedCorpora.directory("", requiring: ["fudd/pets_prompt_pairs.json", "labo/dtd.json", "mpvr/gpt-eurosat.json"])
        return try AuditEvaluationSet(labelsPath: TestPackage.dataDirectory + "/audit/labels.tsv", corporaDirectory: SharedCorpora.root)
    }

    func testNoTestSplitKeyReachesTraining() throws {
        let set = try corporaSet()
        let training = AuditModelTrainer.trainingItems(set)
        let testKeys = Set(set.items.filter { $0.split == .test }.map { $0.source + "\t" + $0.key })
        XCTAssertFalse(testKeys.isEmpty)
        XCTAssertTrue(training.allSatisfy { $0.split == .dev })
        XCTAssertTrue(Set(training.map { $0.source + "\t" + $0.key }).isDisjoint(with: testKeys))
        XCTAssertEqual(training.count, set.items.count - testKeys.count)
    }

    /// The weak attribute labels come from items the labels file does not name, never repeat
    /// a labelled text (a test item's above all), carry a canonical attribute, and training
    /// refuses one that is a gold or test item.
    func testWeakLabelsNeverReachTheTestSplit() throws {
        let set = try corporaSet()
        let labelsPath = TestPackage.dataDirectory + "/audit/labels.tsv"
        let trainer = try AuditModelTrainer(rules: Self.rules).offeringWeakLabels(from: set, labelsPath: labelsPath, corporaDirectory: SharedCorpora.root)
        let weak = trainer.weak
        XCTAssertEqual(weak.count, trainer.weakLimit, "enough FuDD and TAP items carry a source attribute")
        let labelled = try AuditEvaluationSet.labelledKeys(labelsPath: labelsPath)
        XCTAssertEqual(labelled.count, 2100)
        let test = set.items.filter { $0.split == .test }
        let testHashes = Set(test.map { $0.source + "\t" + Hashing.sha256Hex($0.text) })
        for w in weak {
            XCTAssertEqual(w.split, .dev)
            XCTAssertFalse(labelled.contains(w.source + "\t" + w.key), w.key)
            XCTAssertFalse(testHashes.contains(w.source + "\t" + Hashing.sha256Hex(w.text)), "a test item's text: \(w.key)")
            XCTAssertTrue(["fudd-pets", "fudd-dtd", "fudd-eurosat", "tap"].contains(w.source), w.source)
            XCTAssertNotEqual(DemoFixture.taxonomy.category(of: w.attribute), .unknown, w.attribute)
        }
        XCTAssertEqual(Set(weak.map { $0.source + "\t" + $0.key }).count, weak.count)
        // Deterministic: the same draw twice.
        let again = try AuditModelTrainer(rules: Self.rules).offeringWeakLabels(from: set, labelsPath: labelsPath, corporaDirectory: SharedCorpora.root)
        XCTAssertEqual(again.weak.map(\.key), weak.map(\.key))
        // Training refuses a weak label that is a test item or a gold item.
        let dev = AuditModelTrainer.trainingItems(set)
        var bad = trainer
        bad.weak = [try XCTUnwrap(test.first)]
        XCTAssertThrowsError(try bad.train(items: dev, labelsSHA256: "x"))
        bad.weak = [try XCTUnwrap(dev.first)]
        XCTAssertThrowsError(try bad.crossValidatedFindings(items: dev, categoryConfig: AuditModelTrainer.grid[0], attributeConfig: AuditModelTrainer.grid[0]))
    }

    func testOnTheTestSplitTheModelBeatsTheRules() throws {
        let test = try corporaSet().items.filter { $0.split == .test }
        XCTAssertEqual(test.count, 825)
        func accuracy(_ a: any DescriptionAuditor) -> Double {
            let e = AuditEvaluation(test) { i in
                let f = a.audit(text: i.text, kind: i.kind, attributeRaw: i.attributeRaw, className: i.className, twin: i.twin)
                return (f.verdict, f.attribute)
            }
            return e.accuracy
        }
        let model = accuracy(Self.shipped), rules = accuracy(Self.rules)
        XCTAssertGreaterThan(model, rules, "model \(model), rules \(rules)")
    }

    /// Retraining from the corpora reproduces the committed file byte for byte. Training takes
    /// about 100 s in a release build (far longer in debug), so this runs the release binary
    /// (`swift build -c release --product descry`) and skips when there is none.
    func testRetrainingReproducesTheCommittedFile() throws {
        _ = try corporaSet()
        let binary = TestPackage.root + "/.build/release/descry"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw XCTSkip("\(binary) is absent; retraining runs in a release build (swift build -c release --product descry)")
        }
        // A release binary older than the auditor's sources would retrain with old code: skip,
        // saying so, rather than fail on a build the test did not make.
        let fm = FileManager.default
        func modified(_ path: String) -> Date { ((try? fm.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast }
        let audit = TestPackage.root + "/Sources/DescryAnalysis/Audit"
        let sources = ((try? fm.contentsOfDirectory(atPath: audit)) ?? []).map { audit + "/" + $0 } + [TestPackage.dataDirectory + "/audit-lexicon.json"]
        if let newest = sources.map(modified).max(), newest > modified(binary) {
            throw XCTSkip("\(binary) is older than the auditor's sources; rebuild it (swift build -c release --product descry) to run the retrain check")
        }
        let out = DemoFixture.tempPath("retrained.json")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["audit", "train", "--corpora", SharedCorpora.root, "--labels", TestPackage.dataDirectory + "/audit/labels.tsv", "--out", out,
                       "--data", TestPackage.dataDirectory]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let committed = try Data(contentsOf: URL(fileURLWithPath: AuditModel.shippedPath(dataDirectory: TestPackage.dataDirectory)))
        XCTAssertTrue(try Data(contentsOf: URL(fileURLWithPath: out)) == committed,
                      "retrained model differs from Data/audit/model.generated.json (a stale release build? rebuild it, or retrain and commit)")
    }

    /// Every description imported from the per-class corpora gets an attribute and a category
    /// from the default auditor, and `group by attribute` finds real groups in each.
    func testEveryImportedCorpusIsTypedByTheDefaultAuditor() throws {
        let root = try SharedCorpora.directory("", requiring: ["fudd/pets_class_names.json", "fudd/eurosat_class_names.json", "cupl/pets.json",
                                                               "mpvr/gpt-eurosat.json", "mpvr/mixtral-eurosat.json", "dclip/eurosat.json"])
        let s = try Store(path: DemoFixture.tempPath("typing-model.db"), taxonomy: DemoFixture.taxonomy, create: true)
        s.typer = Self.shipped
        let importer = Importer(store: s)
        _ = try importer.importClassList(path: root + "/fudd/pets_class_names.json", dataset: "pets")
        _ = try importer.importClassList(path: root + "/fudd/eurosat_class_names.json", dataset: "eurosat")
        var added = 0
        for (file, ds) in [("cupl/pets.json", "pets"), ("mpvr/gpt-eurosat.json", "eurosat"), ("mpvr/mixtral-eurosat.json", "eurosat"), ("dclip/eurosat.json", "eurosat")] {
            added += try importer.importClassDescriptions(path: root + "/" + file, dataset: ds).descriptionsAdded
        }
        XCTAssertGreaterThan(added, 1000)
        XCTAssertEqual(try s.database.scalar(Int.self, "SELECT count(*) FROM descriptions WHERE attribute IS NULL OR category = 'unknown'"), 0)
        for ds in ["pets", "eurosat"] {
            let groups = try s.database.scalar(Int.self, "SELECT count(DISTINCT attribute) FROM descriptions d JOIN datasets x ON x.id = d.dataset_id WHERE x.name = ?", [ds])
            XCTAssertGreaterThanOrEqual(groups, 6, ds)
            let categories = try s.database.scalar(Int.self, "SELECT count(DISTINCT category) FROM descriptions d JOIN datasets x ON x.id = d.dataset_id WHERE x.name = ?", [ds])
            XCTAssertEqual(categories, 3, "\(ds): visual, non-visual and spurious all occur")
        }
        XCTAssertGreaterThan(try s.database.scalar(Int.self, "SELECT count(*) FROM descriptions WHERE attribute_reason LIKE 'learned %'"), 0)
    }
}
