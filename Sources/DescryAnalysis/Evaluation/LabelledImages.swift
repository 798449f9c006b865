import DescryStore

/// A dataset's labelled images with cached embeddings, as one matrix (row i = image i).
public struct LabelledImages: Sendable {
    /// Unit image vectors, one row per image.
    public let matrix: Matrix
    /// The class position of each row.
    public let labels: [Int]
    /// The image records, aligned with the rows.
    public let records: [ImageRecord]
    /// Labelled images left out because they have no cached vector.
    public let unembedded: Int

    /// Images from parts (tests and benchmarks).
    public init(matrix: Matrix, labels: [Int], records: [ImageRecord] = [], unembedded: Int = 0) {
        self.matrix = matrix
        self.labels = labels
        self.records = records
        self.unembedded = unembedded
    }

    /// Reads the labelled images of `dataset` that have a vector for `vlm`. No labelled image
    /// at all, or none embedded, is an error saying which command to run.
    public static func load(store: Store, dataset: String, vlm: String, classes: [ClassRecord]) throws -> LabelledImages {
        do {
            let dsID = try store.datasetID(named: dataset)
            let position = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1.id, $0) })
            // Each labelled image with its class position, in the store's order (by path).
            let labelled: [(image: ImageRecord, label: Int)] = try store.images.all(datasetID: dsID).compactMap { i in
                i.classID.flatMap { position[$0] }.map { (i, $0) }
            }
            guard !labelled.isEmpty else { throw AnalysisError.noLabelledImages(dataset: dataset) }
            let cache = store.embeddings(vlmID: try store.vlms.id(named: vlm))
            let vectors = try cache.vectors(.image, keys: Array(Set(labelled.map(\.image.contentHash))))
            let kept = labelled.compactMap { l in vectors[l.image.contentHash].map { (image: l.image, label: l.label, vector: $0) } }
            guard let dim = kept.first?.vector.count else {
                throw AnalysisError.missingImageEmbeddings(vlm: vlm, dataset: dataset)
            }
            var m = Matrix(rows: 0, columns: dim)
            for r in kept { try m.append(r.vector) }
            return LabelledImages(matrix: m, labels: kept.map(\.label), records: kept.map(\.image), unembedded: labelled.count - kept.count)
        } catch let e as StoreError { throw AnalysisError.store(e) }
    }
}
