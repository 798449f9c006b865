/// The coarse category of a description's attribute.
public enum AttributeCategory: String, CaseIterable, Sendable, Codable {
    /// Something one can see in a photo: colour, shape, texture, parts…
    case visual
    /// Knowledge a photo does not show: habitat, behaviour, diet, use, origin…
    case nonVisual = "non-visual"
    /// No information about the class beyond its name ("click to enlarge photo of a tench").
    case spurious
    /// Not (yet) known.
    case unknown
}
