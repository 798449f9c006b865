/// The zero-shot classification methods, all computed from cached embeddings.
public enum ZeroShotMethod: String, CaseIterable, Sendable, Codable {
    /// The bare class name.
    case classname
    /// One template, "a photo of a {c}.".
    case template
    /// The dataset's templates plus the global ones: mean of their normalised embeddings.
    case ensemble
    /// The class's own descriptions (kind `class`), aggregated.
    case descriptions
    /// Follow-up differential descriptions: re-rank the template's top k with pairwise descriptions.
    case fudd

    /// Parses a comma-separated list ("classname,template,fudd"); "all" means every method.
    public static func parseList(_ text: String) throws -> [ZeroShotMethod] {
        if text == "all" { return allCases }
        return try text.split(separator: ",").map { word in
            let w = word.trimmingCharacters(in: .whitespaces)
            guard let m = ZeroShotMethod(rawValue: w) else {
                throw AnalysisError.invalidArgument("unknown method '\(w)'; use classname, template, ensemble, descriptions or fudd")
            }
            return m
        }
    }
}
