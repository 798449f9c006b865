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


    /// Medium words of templates and photo captions.
    static let media: Set<String> = ["photo", "photos", "picture", "pictures", "image", "images", "photograph", "rendering", "drawing", "painting",
                                  "sculpture", "tattoo", "art", "cartoon", "sketch", "doodle", "plushie", "toy", "origami", "embroidered", "graffiti", "rendition",
                                  "itap", "plastic", "video", "game"]
    /// Words that make a clause of its own (a claim about the class).
    static let claimWords: Set<String> = ["which", "with", "has", "have", "is", "are", "was", "were", "shows", "appears", "looks"]
    /// Function words a cut-off text ends on.
    static let dangling: Set<String> = ["a", "an", "the", "of", "with", "and", "or", "to", "in", "which", "that", "is", "are", "such", "as", "by", "for", "its", "their"]

    /// The most content words a text may have and still be "cut off before its content".
    static let cutOffContentLimit = 12

    /// An auditor.
    public init(lexicon: AuditLexicon, taxonomy: AttributeTaxonomy) {
        self.lexicon = lexicon
        self.taxonomy = taxonomy
    }

    /// Audits one description.
    /// `twin`: for a differential description, the other side's sentence; the verdict then
    /// follows the words that differ from it (the rubric: the clause that contrasts the classes).
    public func audit(text: String, kind: DescriptionKind, attributeRaw: String?, className: String?, twin: String? = nil) -> AuditFinding {
        if kind == .template { return AuditFinding(verdict: .spurious, rationale: "a prompt template: carries nothing beyond the class name", attribute: "none", confidence: 0.9) }
        if kind == .classname { return AuditFinding(verdict: .spurious, rationale: "the bare class name", attribute: "none", confidence: 0.9) }
        let nameTokens = Set(className.map { AuditLexicon.tokens(ClassName.display($0)) } ?? [])
        let tokens = AuditLexicon.tokens(text)
        let content = tokens.filter { !nameTokens.contains($0) && !lexicon.boilerplate.contains($0) }
        if content.isEmpty {
            let phrase = lexicon.spuriousIndex.first(in: tokens)
            let why = phrase.map { "'\($0.joined(separator: " "))' and " } ?? ""
            return AuditFinding(verdict: .spurious, rationale: "only \(why)the class name: no word about the class beyond its name", attribute: "none", confidence: 0.9)
        }
        if let p = lexicon.artifactIndex.first(in: tokens) {
            return AuditFinding(verdict: .spurious, rationale: "'\(p.joined(separator: " "))': an LLM artifact or text about the data, not the class", attribute: "none", confidence: 0.9)
        }
        // Template-shaped only: a clause of its own ("…, which is large") is a claim about the class.
        if tokens.contains(where: Self.media.contains), !tokens.contains(where: Self.claimWords.contains),
           tokens.allSatisfy({ nameTokens.contains($0) || lexicon.photoStyle.contains($0) || lexicon.boilerplate.contains($0) }) {
            return AuditFinding(verdict: .spurious, rationale: "about the photograph (medium, quality, framing), not the class", attribute: "none", confidence: 0.9)
        }
        // Judge the claim, not the inference drawn from it: "shows a lack of snow, indicating it
        // is not a polar region" is about what is seen.
        var claim = content
        if let twin {
            let shared = Set(AuditLexicon.tokens(twin))
            let differing = content.filter { !shared.contains($0) }
            if differing.contains(where: { !lexicon.weakVisual.contains($0) && !lexicon.emptyPraise.contains($0) }) { claim = differing }
        }
        if let cut = tokens.firstIndex(where: lexicon.inferenceMarkers.contains) {
            let before = tokens[..<cut].filter { !nameTokens.contains($0) && !lexicon.boilerplate.contains($0) }
            if before.contains(where: { !lexicon.weakVisual.contains($0) && !lexicon.emptyPraise.contains($0) }) { claim = before }
        }
        // "made of paper" names a material (visual); "made by hand" stays an origin.
        let madeOf = tokens.indices.contains { tokens[$0] == "made" && $0 + 1 < tokens.count && tokens[$0 + 1] == "of" }
        if madeOf { claim = claim.filter { $0 != "made" } + ["material"] }
        let strong = claim.filter { !lexicon.weakVisual.contains($0) && !lexicon.emptyPraise.contains($0) }
        if let p = lexicon.vagueIndex.first(in: tokens) {
            let rest = strong.filter { !p.contains($0) && !["may", "any", "different", "various", "vary", "varies", "or"].contains($0) }
            if rest.count <= 2 {
                return AuditFinding(verdict: .spurious, rationale: "'\(p.joined(separator: " "))': a disjunction that fits any class", attribute: "none", confidence: 0.9)
            }
        }
        if strong.isEmpty {
            return AuditFinding(verdict: .spurious, rationale: "only praise or attribute names ('\(content.joined(separator: " "))'): nothing checkable", attribute: "none", confidence: 0.9)
        }
        if let p = lexicon.timeIndex.first(in: tokens) {
            return AuditFinding(verdict: .nonVisual, rationale: "'\(p.joined(separator: " "))': a change over time, which one photo cannot show",
                                attribute: "other", confidence: 0.7)
        }
        let mapping = attributeRaw.map(taxonomy.map)
        let visualCues = strong.filter { lexicon.visual.contains($0) }
        let weakCues = claim.filter { lexicon.weakVisual.contains($0) && lexicon.visual.contains($0) }
        let nonVisualCues: [(word: String, attribute: String)] = claim.compactMap { w in lexicon.nonVisualGroup(of: w).map { (w, $0) } }
        func article(_ a: String) -> String { "aeiou".contains(a.first ?? "x") ? "an" : "a" }
        // Cut off before any content: no final punctuation, a dangling function word, no cue,
        // and few words (a long answer cut off mid-sentence has said something; on dev such
        // LLM answers were labelled by what they say, not spurious).
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let last = tokens.last, Self.dangling.contains(last), !(trimmed.last.map { ".!?)\"”".contains($0) } ?? false),
           visualCues.isEmpty, nonVisualCues.isEmpty, strong.count <= Self.cutOffContentLimit {
            return AuditFinding(verdict: .spurious, rationale: "cut off ('…\(last)') before saying anything about the class", attribute: "none", confidence: 0.9)
        }
        // The attribute: the source's when its category agrees with the verdict, else the one
        // the deciding cue word belongs to.
        func attribute(_ verdict: AttributeCategory, cue: String?) -> String? {
            if let m = mapping, m.category == verdict { return m.attribute }
            return cue
        }
        // Among the visual cue words, the most specific attribute wins: a named part over its
        // size or shape ("long ears" speaks of the ears), scene nouns ("fields") last.
        let priority = ["part", "pattern", "colour", "texture", "shape", "material", "optical", "size", "background", "arrangement"]
        let cueAttributes = Set((visualCues + weakCues).compactMap(lexicon.visualAttribute(of:)))
        let visualAttribute = priority.first(where: cueAttributes.contains)
        if let cue = nonVisualCues.first, nonVisualCues.count > visualCues.count {
            let others = visualCues.isEmpty ? (weakCues.isEmpty ? "no visual word occurs" : "only attribute names ('\(weakCues[0])') are visual")
                : "\(nonVisualCues.count) non-visual against \(visualCues.count) visual words"
            return AuditFinding(verdict: .nonVisual, rationale: "'\(cue.word)' is \(article(cue.attribute)) \(cue.attribute) word and \(others)",
                                attribute: attribute(.nonVisual, cue: AuditLexicon.canonical(cue.attribute)),
                                confidence: nonVisualCues.count >= 2 && visualCues.isEmpty ? 0.85 : 0.65)
        }
        if let v = visualCues.first ?? (nonVisualCues.isEmpty ? weakCues.first : nil), visualCues.count > nonVisualCues.count || nonVisualCues.isEmpty {
            return AuditFinding(verdict: .visual, rationale: nonVisualCues.isEmpty ? "visual word '\(v)' and no non-visual word"
                                : "\(visualCues.count) visual against \(nonVisualCues.count) non-visual words ('\(v)')",
                                attribute: attribute(.visual, cue: visualAttribute ?? "appearance"),
                                confidence: visualCues.count >= 2 && nonVisualCues.isEmpty ? 0.85 : 0.65)
        }
        let both = nonVisualCues.first.map { " ('\($0.word)' and '\(visualCues.first ?? "")' both occur)" } ?? ""
        if let m = mapping, m.category == .nonVisual {
            return AuditFinding(verdict: .nonVisual, rationale: "attribute '\(m.raw)' maps to '\(m.attribute)', non-visual in the taxonomy\(both)",
                                attribute: m.attribute, confidence: 0.5)
        }
        if let m = mapping, m.category == .visual {
            return AuditFinding(verdict: .visual, rationale: "attribute '\(m.raw)' maps to '\(m.attribute)', visual in the taxonomy\(both)",
                                attribute: m.attribute, confidence: 0.5)
        }
        if !nonVisualCues.isEmpty {
            return AuditFinding(verdict: .visual, rationale: "visual and non-visual words\(both); visual by default",
                                attribute: visualAttribute ?? "appearance", confidence: 0.4)
        }
        return AuditFinding(verdict: .visual, rationale: "no spurious or non-visual cue (visual by default)",
                            attribute: mapping?.attribute ?? "appearance", confidence: 0.3)
    }
}
