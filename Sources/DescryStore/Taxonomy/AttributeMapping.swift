/// How one raw attribute type maps onto the canonical taxonomy, and why.
public struct AttributeMapping: Sendable, Equatable, Codable {
    /// The raw type as written ("coat color").
    public let raw: String
    /// The canonical attribute ("colour").
    public let attribute: String
    /// Its category.
    public let category: AttributeCategory
    /// The rule that decided, for `descry attributes` ("phrase 'land use'", "head word 'color'").
    public let rule: String

    /// Creates a mapping.
    public init(raw: String, attribute: String, category: AttributeCategory, rule: String) {
        self.raw = raw
        self.attribute = attribute
        self.category = category
        self.rule = rule
    }
}
