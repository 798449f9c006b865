/// How often images of one class were predicted as another, and whether the pair lacks
/// differential descriptions.
public struct Confusion: Sendable, Codable, Equatable {
    /// The true class position (for a pair recorded only as missing descriptions, the lower one).
    public var trueClass: Int
    /// The predicted class position.
    public var predictedClass: Int
    /// Images of `trueClass` that the single template put first as `predictedClass`.
    public var count: Int
    /// Images whose FuDD top-k contained this pair while it had no differential descriptions
    /// (0 when the pair has descriptions); stored in `confusions.missing_descriptions`.
    public var missingDescriptions: Int
}
