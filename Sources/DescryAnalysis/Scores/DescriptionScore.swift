/// The scores of one description under one VLM (see the design guide's "Scores").
public struct DescriptionScore: Sendable, Equatable, Codable {
    /// The description's row id.
    public var descriptionID: Int64
    /// Mean cosine of the description with the labelled images of its class (EX2's reward).
    public var alignment: Double
    /// alignment − alignment of "a photo of a {c}." on the same images.
    public var lift: Double
    /// Differential descriptions: mean over the images of its class of cos(d) − cos(twin),
    /// averaged over the pair slots it fills; nil for a description without a twin.
    public var margin: Double?
    /// Alignment of the description with the class name replaced by a neutral word; nil when
    /// not computed.
    public var content: Double?
    /// Images of the class the scores averaged over.
    public var images: Int
    /// Hash of the inputs (model, text, twin texts, image contents): unchanged inputs are not
    /// recomputed.
    public var inputHash: String
}
