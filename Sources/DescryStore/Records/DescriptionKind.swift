/// What a description is for.
public enum DescriptionKind: String, CaseIterable, Sendable, Codable {
    /// A sentence about one class ("a beagle has long droopy ears").
    case `class`
    /// One side of a differential prompt pair, written to tell two classes apart.
    case differential
    /// A prompt template with a class placeholder ("a photo of a {}.").
    case template
    /// The bare class name used as a prompt.
    case classname
}
