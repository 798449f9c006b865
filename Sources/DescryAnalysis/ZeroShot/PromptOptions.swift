/// Switches that reproduce the FuDD reference code's prompt handling, explicitly rather than by
/// accident. Both are off by default so every prompt is a text `descry embed texts` cached.
///
/// - `capitalize`: Python's `str.capitalize()` on every prompt (first character upper-cased, all
///   others lower-cased). CLIP's tokenizer lower-cases its input, so for CLIP models this changes
///   no token and no decision; it matters only for a text encoder that is case-sensitive.
/// - `classNamePeriod`: the class-name method uses "{c}." (the reference code) instead of the bare
///   name that `embed texts` caches.
///
/// - `deduplicate`: FuDD's sentences for a class are deduplicated (the reference code's
///   `list(set(...))`: a sentence shared by several pairs, or the template fallback of several
///   pairs, counts once). Off, every occurrence counts, which is what the demo model's own
///   `evaluate.py` does.
///
/// The reference code applies no logit scale; Descry never does either: rankings and stored
/// numbers are raw cosines, and a logit scale is only a display of probabilities.
public struct PromptOptions: Sendable, Hashable, Codable {
    /// Apply Python's `str.capitalize()` to every prompt.
    public var capitalize: Bool
    /// Class-name prompts end with a period.
    public var classNamePeriod: Bool

    /// Deduplicate each class's FuDD sentences (the reference code does).
    public var deduplicate: Bool

    /// Options; the defaults use texts as stored, deduplicated like the reference code.
    public init(capitalize: Bool = false, classNamePeriod: Bool = false, deduplicate: Bool = true) {
        self.capitalize = capitalize
        self.classNamePeriod = classNamePeriod
        self.deduplicate = deduplicate
    }

    /// The reference code's behaviour.
    public static let reference = PromptOptions(capitalize: true, classNamePeriod: true)

    /// The prompt as it will be embedded.
    public func apply(_ text: String) -> String {
        capitalize ? Self.pythonCapitalize(text) : text
    }

    /// Python's `str.capitalize()`: the first character upper-cased (title case in Python 3.8+,
    /// upper case for the characters that matter here), the rest lower-cased.
    public static func pythonCapitalize(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst().lowercased()
    }
}
