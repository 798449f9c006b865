import DescryStore
import XCTest

/// A scratch store for the repositories the LLM side reads: one dataset of six classes, two
/// VLMs, and helpers that write descriptions, pair slots, scores, confusions and audits.
struct GenerationStoreFixture {
    let store: Store
    let datasetID: Int64
    /// By index: beagle, basset_hound, pug, Persian, Siamese, Bengal.
    let classes: [ClassRecord]
    let clip: Int64
    let siglip: Int64

    init() throws {
        store = try TestSupport.newStore()
        let store = self.store
        (datasetID, classes, clip, siglip) = try store.write {
            let (ds, _) = try store.ensureDataset(named: "pets")
            try store.setClasses(datasetID: ds, names: ["beagle", "basset_hound", "pug", "Persian", "Siamese", "Bengal"], file: "test")
            return (ds, try store.classes(ofDataset: ds), try store.vlms.ensure(named: "clip"), try store.vlms.ensure(named: "siglip"))
        }
    }

    /// Adds descriptions of one source; returns their ids in order.
    @discardableResult
    func add(_ items: [(classIndex: Int, text: String, kind: DescriptionKind)], source: SourceInfo) throws -> [Int64] {
        try store.write {
            let w = try DescriptionWriter(store: store, sourceID: try store.addSource(source).id)
            let ids = try items.map {
                try w.add(NewDescription(datasetID: datasetID, classID: classes[$0.classIndex].id, text: $0.text, kind: $0.kind)).id
            }
            try w.finish()
            return ids
        }
    }

    /// Writes `slots` linked differential slots for the pair of classes `a` and `b`, keyed to `vlmID`.
    func differentials(_ a: Int, _ b: Int, vlmID: Int64?, slots: Int) throws {
        let source = SourceInfo(format: "fudd", label: "fudd", contentHash: "pairs-\(a)-\(b)-\(vlmID ?? 0)")
        try store.write {
            let w = try DescriptionWriter(store: store, sourceID: try store.addSource(source).id)
            let pair = try w.pair(datasetID: datasetID, classA: classes[a], classB: classes[b], vlmID: vlmID)
            for i in 0..<slots {
                let da = try w.add(NewDescription(datasetID: datasetID, classID: classes[a].id, text: "\(a) vs \(b) for \(vlmID ?? 0), side a \(i).", kind: .differential))
                let db = try w.add(NewDescription(datasetID: datasetID, classID: classes[b].id, text: "\(a) vs \(b) for \(vlmID ?? 0), side b \(i).", kind: .differential))
                try w.link(pairID: pair, position: i, side: classes[a].id, descriptionID: da.id, twinID: db.id, attributeRaw: "color")
                try w.link(pairID: pair, position: i, side: classes[b].id, descriptionID: db.id, twinID: da.id, attributeRaw: "color")
            }
            try w.finish()
        }
    }

    /// Records that `vlmID` took class `a` for class `b` `count` times.
    func confusion(_ a: Int, _ b: Int, vlmID: Int64, count: Int, flaggedMissing: Bool = false) throws {
        try store.write {
            try store.database.execute(
                "INSERT INTO confusions(vlm_id, dataset_id, class_a, class_b, count, missing_descriptions) VALUES (?, ?, ?, ?, ?, ?)",
                [vlmID, datasetID, classes[a].id, classes[b].id, count, flaggedMissing ? 1 : 0])
        }
    }

    /// A score row for one description.
    func score(_ descriptionID: Int64, vlmID: Int64, alignment: Double?, lift: Double? = nil, margin: Double? = nil, images: Int = 3) throws {
        try store.write {
            try store.database.execute(
                "INSERT INTO scores(vlm_id, description_id, alignment, lift, margin, n_images) VALUES (?, ?, ?, ?, ?, ?)",
                [vlmID, descriptionID, alignment, lift, margin, images])
        }
    }
}
