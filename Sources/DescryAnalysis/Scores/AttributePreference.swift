import DescryStore

/// Mean alignment and lift of a dataset's descriptions per attribute and category, for one VLM:
/// which kinds of description the VLM prefers.
public struct AttributePreference: Sendable, Codable, Equatable {
    /// The canonical attribute ("colour", "habitat", …; "none" when unmapped).
    public var attribute: String
    /// The description category: the rule-based audit's verdict when there is one, else the
    /// taxonomy's category.
    public var category: String
    /// Scored descriptions.
    public var count: Int
    /// Mean alignment.
    public var alignment: Double
    /// Mean lift.
    public var lift: Double

    /// A preference.
    public init(attribute: String, category: String, count: Int, alignment: Double, lift: Double) {
        self.attribute = attribute
        self.category = category
        self.count = count
        self.alignment = alignment
        self.lift = lift
    }

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
            return try store.scores.attributeMeans(vlmID: vlmID, datasetID: datasetID).map {
                AttributePreference(attribute: $0.attribute, category: $0.category, count: $0.count, alignment: $0.alignment, lift: $0.lift)
            }
        } catch let e as StoreError { throw AnalysisError.store(e) }
    }
}
