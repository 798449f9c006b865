import DescryStore

/// Mean alignment and lift of a dataset's descriptions per attribute and category, for one VLM:
/// which kinds of description the VLM prefers. The store's record, read through its repository.
public typealias AttributePreference = AttributeScoreMeans

extension AttributeScoreMeans {
    /// Reads the preferences from `scores`, best mean lift first.
    public static func load(store: Store, vlm: String, dataset: String) throws -> [AttributePreference] {
        do {
            let vlmID = try store.vlms.id(named: vlm), dsID = try store.datasetID(named: dataset)
            return try load(store: store, vlmID: vlmID, datasetID: dsID)
        } catch let e as StoreError { throw AnalysisError.store(e) }
    }

    /// Reads the preferences of a VLM and dataset known by id, best mean lift first.
    public static func load(store: Store, vlmID: Int64, datasetID: Int64) throws -> [AttributePreference] {
        do {
            return try store.scores.attributeMeans(vlmID: vlmID, datasetID: datasetID)
        } catch let e as StoreError { throw AnalysisError.store(e) }
    }
}
