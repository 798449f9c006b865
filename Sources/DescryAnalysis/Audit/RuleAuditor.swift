import DescryStore

/// The rule-based auditor: deterministic and explainable. Rules, in order:
/// 1. a template or a bare class name is *spurious*;
/// 2. a description with no word left once the class name and boilerplate ("a photo of",
///    "click to enlarge", "free download") are removed is *spurious*;
/// 3. the sentence's own words decide when they point one way: a non-visual cue word
///    (habitat, temperament, used, history, sound, …) and no visual cue word makes it
///    *non-visual*; a visual cue word (colours, shapes, parts, patterns) and no non-visual one
///    makes it *visual*;
/// 4. with both kinds of cue or none, the attribute's category in the taxonomy decides;
/// 5. everything else is *visual*.
/// (Words before attributes because FuDD's attribute labels are loose: "land use" sentences
/// often describe rows of crops, "species" sentences black fur.)
public struct RuleAuditor: Sendable {
    /// The word lists.
    public let lexicon: AuditLexicon
    /// The attribute taxonomy (raw attribute → canonical attribute and category).
    public let taxonomy: AttributeTaxonomy

    /// An auditor.
    public init(lexicon: AuditLexicon, taxonomy: AttributeTaxonomy) {
        self.lexicon = lexicon
        self.taxonomy = taxonomy
    }

    /// Audits one description.
    public func audit(text: String, kind: DescriptionKind, attributeRaw: String?, className: String?) -> AuditFinding {
        if kind == .template { return AuditFinding(verdict: .spurious, rationale: "a prompt template: carries nothing beyond the class name") }
        if kind == .classname { return AuditFinding(verdict: .spurious, rationale: "the bare class name") }
        let nameTokens = Set(className.map { AuditLexicon.tokens(ClassName.display($0)) } ?? [])
        let tokens = AuditLexicon.tokens(text)
        let content = tokens.filter { !nameTokens.contains($0) && !lexicon.boilerplate.contains($0) }
        if content.isEmpty {
            let phrase = lexicon.spuriousPhrases.first { p in tokens.indices.contains { i in Array(tokens[i...].prefix(p.count)) == p } }
            let why = phrase.map { "'\($0.joined(separator: " "))' and " } ?? ""
            return AuditFinding(verdict: .spurious, rationale: "only \(why)the class name: no word about the class beyond its name")
        }
        let mapping = attributeRaw.map(taxonomy.map)
        let visualCue = content.first { lexicon.visual.contains($0) }
        var nonVisualCue: (word: String, attribute: String)?
        for w in content {
            if let hit = lexicon.nonVisual.sorted(by: { $0.key < $1.key }).first(where: { $0.value.contains(w) }) { nonVisualCue = (w, hit.key); break }
        }
        if let cue = nonVisualCue, visualCue == nil {
            return AuditFinding(verdict: .nonVisual, rationale: "'\(cue.word)' is \("aeiou".contains(cue.attribute.first ?? "x") ? "an" : "a") \(cue.attribute) word and no visual word occurs")
        }
        if let v = visualCue, nonVisualCue == nil { return AuditFinding(verdict: .visual, rationale: "visual word '\(v)' and no non-visual word") }
        let both = nonVisualCue.map { " ('\($0.word)' and '\(visualCue ?? "")' both occur)" } ?? ""
        if let m = mapping, m.category == .nonVisual {
            return AuditFinding(verdict: .nonVisual, rationale: "attribute '\(m.raw)' maps to '\(m.attribute)', non-visual in the taxonomy\(both)")
        }
        if let m = mapping, m.category == .visual {
            return AuditFinding(verdict: .visual, rationale: "attribute '\(m.raw)' maps to '\(m.attribute)', visual in the taxonomy\(both)")
        }
        if nonVisualCue != nil { return AuditFinding(verdict: .visual, rationale: "visual and non-visual words\(both); visual by default") }
        return AuditFinding(verdict: .visual, rationale: "no spurious or non-visual cue (visual by default)")
    }
}
