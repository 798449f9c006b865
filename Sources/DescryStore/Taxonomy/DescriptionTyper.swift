/// What a description speaks of and whether a photo can show it, decided from its text.
public struct DescriptionTyping: Sendable, Equatable, Codable {
    /// A canonical attribute of the taxonomy ("colour", "habitat", …), "none" for spurious text.
    public var attribute: String
    public var category: AttributeCategory
    /// 0…1: how sure the rule that decided is.
    public var confidence: Double
    /// The rule that decided, in one line.
    public var reason: String

    public init(attribute: String, category: AttributeCategory, confidence: Double, reason: String) {
        self.attribute = attribute
        self.category = category
        self.confidence = confidence
        self.reason = reason
    }
}

/// Types descriptions at import. The store defines the need; the rule auditor of
/// `DescryAnalysis` meets it, and the CLI hands it to the store (`Store.typer`), so the store
/// does not depend on the analysis module.
public protocol DescriptionTyper: Sendable {
    func type(text: String, kind: DescriptionKind, attributeRaw: String?, className: String?) -> DescriptionTyping
}
