import DescryStore
import Foundation

/// Embeds texts and images with one registered model, through the store's embedding cache:
/// every text and every image content is embedded once per VLM. Work is committed batch by
/// batch, so a killed run keeps what it finished and the next run resumes from there.
public final class Embedder {
    /// The store.
    public let store: Store
    /// The registered model.
    public let registered: RegisteredModel
    /// The loaded model.
    public let model: CLIPModel
    /// The cache for this model.
    public let cache: EmbeddingCache

    /// An embedder for a registered model.
    public init(store: Store, registered: RegisteredModel, model: CLIPModel) {
        self.store = store
        self.registered = registered
        self.model = model
        self.cache = store.embeddings(vlmID: registered.id)
    }

    /// Loads the model registered as `vlm` and makes an embedder for it.
    public convenience init(store: Store, vlm: String, options: ONNXSessionOptions = ONNXSessionOptions()) throws {
        let (registered, model) = try ModelRegistry(store: store).load(vlm, options: options)
        self.init(store: store, registered: registered, model: model)
    }

    /// Vectors for `texts`, in order: cached ones read, missing ones embedded and stored.
    public func textVectors(_ texts: [String], batchSize: Int = 64, progress: ((Int, Int) -> Void)? = nil) throws -> [[Float]] {
        var report = EmbedReport()
        return try textVectors(texts, batchSize: batchSize, report: &report, progress: progress)
    }

    /// Like `textVectors(_:)`, counting cached and embedded texts in `report`.
    public func textVectors(_ texts: [String], batchSize: Int = 64, report: inout EmbedReport,
                            progress: ((Int, Int) -> Void)? = nil) throws -> [[Float]] {
        let keys = texts.map(EmbeddingCache.key(text:))
        var unique: [String: String] = [:]
        for (k, t) in zip(keys, texts) { unique[k] = t }
        let missing = try cache.missing(.text, keys: Array(Set(keys)).sorted())
        report.total += unique.count
        report.cached += unique.count - missing.count
        // Vectors embedded now are kept; only the ones that were cached are read back.
        var found = try cache.vectors(.text, keys: Array(Set(unique.keys).subtracting(missing)))
        var done = 0
        for start in stride(from: 0, to: missing.count, by: max(1, batchSize)) {
            let chunk = Array(missing[start..<min(start + batchSize, missing.count)])
            // `missing` holds only keys of `unique`, so every lookup finds its text.
            let vectors = try model.encode(texts: chunk.compactMap { unique[$0] }, batchSize: batchSize)
            try store.write { try cache.put(.text, Array(zip(chunk, vectors).map { (key: $0.0, vector: $0.1) })) }
            for (k, v) in zip(chunk, vectors) { found[k] = v }
            done += chunk.count
            report.embedded += chunk.count
            progress?(done, missing.count)
        }
        return try keys.enumerated().map { i, k in
            guard let v = found[k] else { throw StoreError.notFound("embedding for text \(i) is missing after embedding it") }
            return v
        }
    }

    /// The texts a dataset's analyses need: every description of the dataset, the dataset's
    /// and the global templates filled with each class name, and the bare class names.
    public func datasetTexts(_ dataset: String) throws -> [String] {
        let dsID = try store.datasetID(named: dataset)
        let classes = try store.classes(ofDataset: dsID)
        var texts = try store.descriptions.list(datasetID: dsID).filter { $0.kind != .template }.map(\.text)
        let templates = try store.descriptions.templates(datasetID: dsID)
        for c in classes {
            texts.append(c.displayName)
            for t in templates { texts.append(Self.fill(template: t, className: c.displayName)) }
        }
        return texts
    }

    /// A template with its class placeholder (`{}` or `{c}`) filled.
    public static func fill(template: String, className: String) -> String {
        template.replacingOccurrences(of: "{}", with: className).replacingOccurrences(of: "{c}", with: className)
    }

    /// Embeds every text of a dataset (see `datasetTexts`) that is not cached yet.
    public func embedDatasetTexts(_ dataset: String, batchSize: Int = 64, progress: ((Int, Int) -> Void)? = nil) throws -> EmbedReport {
        var report = EmbedReport()
        _ = try textVectors(try datasetTexts(dataset), batchSize: batchSize, report: &report, progress: progress)
        return report
    }

    /// Embeds every registered image of a dataset whose content is not cached yet. A file
    /// that cannot be read or decoded is reported and the rest go on.
    /// With `shard`, only the contents of that shard (see `Shard`): N runs with shards 0/N …
    /// N-1/N embed every distinct content exactly once between them.
    public func embedDatasetImages(_ dataset: String, batchSize: Int = 32, shard: Shard? = nil,
                                   progress: ((Int, Int) -> Void)? = nil) throws -> EmbedReport {
        let images = try store.images.all(datasetID: try store.datasetID(named: dataset))
        var report = EmbedReport()
        var byHash: [String: ImageRecord] = [:]
        for i in images where byHash[i.contentHash] == nil { byHash[i.contentHash] = i }
        if let shard {
            report.shard = shard.description
            report.datasetTotal = byHash.count
            byHash = byHash.filter { shard.contains(contentHash: $0.key) }
        }
        report.total = byHash.count
        let missing = try cache.missing(.image, keys: byHash.keys.sorted())
        report.cached = byHash.count - missing.count
        // `missing` holds only keys of `byHash`.
        let todo = missing.compactMap { byHash[$0] }
        var done = 0
        // Each result names its input's index: match by that, not by path (a relative path and
        // its URL's path need not be the same string).
        try model.encodeImages(at: todo.map { URL(fileURLWithPath: $0.path) }, batchSize: batchSize) { batch in
            var ok: [(key: String, vector: [Float])] = []
            for item in batch {
                let image = todo[item.index]
                switch item.result {
                case .success(let v): ok.append((image.contentHash, v))
                case .failure(let e): report.failures.append("\(image.path): \(e)")
                }
            }
            try store.write { try cache.put(.image, ok) }
            report.embedded += ok.count
            done += batch.count
            progress?(done, todo.count)
        }
        return report
    }

    /// The cached vectors of a dataset's labelled images, with their records; images without
    /// a cached vector are left out (run `embed images` first).
    public func imageVectors(_ dataset: String) throws -> [(image: ImageRecord, vector: [Float])] {
        let images = try store.images.all(datasetID: try store.datasetID(named: dataset))
        let vectors = try cache.vectors(.image, keys: images.map(\.contentHash))
        return images.compactMap { i in vectors[i.contentHash].map { (i, $0) } }
    }
}
