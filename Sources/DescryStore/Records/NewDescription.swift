/// A description about to be written. The store assigns its id and dedupes it by content.
public struct NewDescription: Sendable, Equatable {
    /// The dataset, or nil for a dataset-independent template.
    public var datasetID: Int64?
    /// The class it describes; nil for templates.
    public var classID: Int64?
    /// The sentence.
    public var text: String
    /// What it is for.
    public var kind: DescriptionKind
    /// The attribute type as the source wrote it ("coat color").
    public var attributeRaw: String?

    /// Creates a description.
    public init(datasetID: Int64?, classID: Int64?, text: String, kind: DescriptionKind, attributeRaw: String? = nil) {
        self.datasetID = datasetID
        self.classID = classID
        self.text = text
        self.kind = kind
        self.attributeRaw = attributeRaw
    }
}
