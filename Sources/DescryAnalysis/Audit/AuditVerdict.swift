/// The audit category of a description.
public enum AuditVerdict: String, CaseIterable, Sendable, Codable {
    /// Describes what can be seen.
    case visual
    /// Describes what cannot be seen: habitat, behaviour, diet, use, origin, sound, history.
    case nonVisual = "non-visual"
    /// Carries no information about the class beyond its name (templates, "click to enlarge…").
    case spurious
}
