/// How a class's several prompt embeddings become one score.
public enum Aggregation: String, CaseIterable, Sendable, Codable {
    /// Cosine with the L2-normalised mean of the prompt embeddings (CLIP's ensembling; FuDD's
    /// reference code).
    case similarityOfMean = "similarity-of-mean"
    /// The mean of the cosines with each prompt (as DCLIP and WaffleCLIP score).
    case meanOfSimilarities = "mean-of-similarities"

    /// Parses the option value; "mean" and "sims" are accepted short forms.
    public static func parse(_ text: String) throws -> Aggregation {
        switch text {
        case "similarity-of-mean", "mean", "som": return .similarityOfMean
        case "mean-of-similarities", "sims", "mos": return .meanOfSimilarities
        default: throw AnalysisError.invalidArgument("unknown aggregation '\(text)'; use similarity-of-mean or mean-of-similarities")
        }
    }
}
