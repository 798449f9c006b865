/// The judge's answer about one description.
public struct JudgeVerdict: Sendable, Equatable, Codable {
    /// Whether it says something about the class beyond its name.
    public var informative: Bool
    /// The attribute it speaks of, as the judge named it.
    public var attribute: String
    /// Whether that attribute is visible in a photo.
    public var visual: Bool
    /// The judge's reason, when given.
    public var rationale: String?

    /// Creates a verdict.
    public init(informative: Bool, attribute: String, visual: Bool, rationale: String? = nil) {
        self.informative = informative
        self.attribute = attribute
        self.visual = visual
        self.rationale = rationale
    }

    /// The category stored in `audits.verdict`: `spurious` when uninformative, else `visual`
    /// or `non-visual` — the same words as `descriptions.category`.
    public var category: String { informative ? (visual ? "visual" : "non-visual") : "spurious" }

    /// Parses and validates `{"informative": bool, "attribute": str, "visual": bool, "rationale": str?}`.
    /// Booleans may come as "yes"/"no"/"true"/"false" strings, which some models write.
    public static func parse(_ text: String) throws -> JudgeVerdict {
        func bad(_ why: String) -> LLMError { .invalidAnswer(reason: why, raw: text) }
        guard let obj = try JSONExtraction.extract(text) as? [String: Any] else { throw bad("expected a JSON object") }
        func bool(_ k: String) throws -> Bool {
            switch obj[k] {
            case let b as Bool: return b
            case let s as String where ["yes", "true"].contains(s.lowercased()): return true
            case let s as String where ["no", "false"].contains(s.lowercased()): return false
            default: throw bad("'\(k)' is missing or not true/false")
            }
        }
        let informative = try bool("informative"), visual = try bool("visual")
        guard let attr = (obj["attribute"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines), !attr.isEmpty else {
            throw bad("'attribute' is missing or empty")
        }
        let rationale = (obj["rationale"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        return JudgeVerdict(informative: informative, attribute: attr, visual: visual, rationale: rationale)
    }
}
