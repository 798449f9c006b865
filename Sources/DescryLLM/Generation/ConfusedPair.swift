import DescryStore

/// A class pair a VLM confuses, from the `confusions` table the analysis module fills.
public struct ConfusedPair: Sendable, Equatable {
    /// One class.
    public let a: ClassRecord
    /// The other.
    public let b: ClassRecord
    /// How often the VLM confused them.
    public let count: Int
    /// Whether the pair lacks differential descriptions (flagged by the analysis, or no
    /// linked sentence exists for it, VLM-keyed or generic).
    public let missing: Bool

    /// Creates a record.
    public init(a: ClassRecord, b: ClassRecord, count: Int, missing: Bool) {
        self.a = a
        self.b = b
        self.count = count
        self.missing = missing
    }

    /// The pair as the store's confusion reads give it.
    public init(_ record: ConfusedClassPair) {
        self.init(a: record.a, b: record.b, count: record.count, missing: record.lacksDifferentials)
    }

    /// The `k` most confused pairs of `vlmID` on a dataset (all when `k` is nil), most confused
    /// first; with `missingOnly`, only those of them lacking descriptions.
    public static func load(store: Store, vlmID: Int64, datasetID: Int64, k: Int?, missingOnly: Bool) throws -> [ConfusedPair] {
        let records = missingOnly
            ? try store.confusions.missingDifferentials(vlmID: vlmID, datasetID: datasetID, limit: k)
            : try store.confusions.top(vlmID: vlmID, datasetID: datasetID, limit: k)
        return records.map(ConfusedPair.init)
    }
}
