import DescryStore
import Foundation

/// The inputs of one description to an auditor.
public struct AuditSubject: Sendable {
    public var text: String
    public var kind: DescriptionKind
    /// The source's attribute (FuDD's `attr_type`, TAP's key), if any.
    public var attributeRaw: String?
    public var className: String?
    /// The other side's sentence, for a differential description.
    public var twin: String?

    /// A subject.
    public init(text: String, kind: DescriptionKind, attributeRaw: String? = nil, className: String? = nil, twin: String? = nil) {
        self.text = text
        self.kind = kind
        self.attributeRaw = attributeRaw
        self.className = className
        self.twin = twin
    }
}

/// Feature groups of the learned auditor, each of which training can switch off.
public enum AuditFeatureGroup: String, CaseIterable, Sendable, Codable {
    /// Word unigrams, class-name tokens replaced by `<c>`.
    case words
    /// Word bigrams (with start and end marks).
    case bigrams
    /// Character 3–5-grams of the lower-cased text, class name replaced by `#`.
    case chars
    /// The rule auditor's verdict, rule, attribute and confidence.
    case rules
    /// Lexicon cues: the non-visual group or visual attribute of each word, cue counts, phrase hits.
    case lexicon
    /// The source attribute's canonical attribute and category in the taxonomy.
    case source
    /// For a differential description, the words that differ from its twin and their cues.
    case twin
    /// Shape of the text: kind, final punctuation, dangling last word, first word, length.
    case shape
    /// A word → attribute prior for the attribute head only: the taxonomy attribute whose word
    /// list (`Data/attribute-taxonomy.json`) holds each content word ("markings" → pattern).
    /// The category head never sees it (`AuditModelTrainer` drops it there).
    case attributeWords
}

/// One feature: a readable name (built from the text at hand, never stored) and its hashed id.
public struct AuditFeature: Sendable, Equatable {
    public var name: String
    public var id: Int
    public var value: Float
}

/// Turns a description into hashed sparse features. The model file holds weights over the
/// ids only; names are rebuilt from the text being typed, which is how a reason can quote them.
public struct AuditFeaturizer: Sendable {
    /// Ids are FNV-1a 64 hashes of the feature name, masked to this many bits.
    public static let hashBits = 24
    public let rules: RuleAuditor

    /// A featurizer over the rule auditor (its verdicts and lexicon are features).
    public init(rules: RuleAuditor) { self.rules = rules }

    /// FNV-1a 64 of the UTF-8 bytes, masked: stable across runs and platforms.
    public static func hash(_ name: String) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return Int(h & ((1 << UInt64(hashBits)) - 1))
    }

    static let dangling: Set<String> = ["a", "an", "the", "of", "with", "and", "or", "to", "in", "which", "that", "is", "are", "such", "as", "by", "for", "its", "their", "like", "including"]

    /// The features of `s` in the enabled groups, sorted by id, duplicates merged. Text groups
    /// (words, bigrams, chars, twin words) are scaled to unit length each, so a long text does
    /// not outweigh a short one.
    /// `ruled`: the rule auditor's finding for `s`, when the caller already has it (it is one
    /// of the features; computing it twice was a fifth of the time).
    public func features(_ s: AuditSubject, groups: Set<AuditFeatureGroup> = Set(AuditFeatureGroup.allCases), ruled: AuditFinding? = nil) -> [AuditFeature] {
        var named: [(String, Float)] = [("bias", 1)]
        // Distinct names in first-seen order: the order only matters when two names share an
        // id, and then the values are summed (no sort of strings: it was most of the time).
        func add(_ set: [String], scaled: Bool) {
            var seen = Set<String>(minimumCapacity: set.count)
            let distinct = set.filter { seen.insert($0).inserted }
            guard !distinct.isEmpty else { return }
            let v: Float = scaled ? 1 / Float(distinct.count).squareRoot() : 1
            for n in distinct { named.append((n, v)) }
        }
        let lexicon = rules.lexicon
        let nameTokens = Set(s.className.map { AuditLexicon.tokens(ClassName.display($0)) } ?? [])
        let raw = AuditLexicon.tokens(s.text)
        // Class-name tokens become one placeholder, so weights carry over between classes.
        var tokens: [String] = []
        for t in raw {
            let u = nameTokens.contains(t) ? "<c>" : t
            if u == "<c>" && tokens.last == "<c>" { continue }
            tokens.append(u)
        }
        if groups.contains(.words) { add(tokens.map { "w:" + $0 }, scaled: true) }
        if groups.contains(.bigrams) {
            let padded = ["^"] + tokens + ["$"]
            add((0..<(padded.count - 1)).map { "b:" + padded[$0] + " " + padded[$0 + 1] }, scaled: true)
        }
        if groups.contains(.chars) {
            let joined = " " + tokens.map { $0 == "<c>" ? "#" : $0 }.joined(separator: " ") + " "
            var grams: [String] = []
            let utf8 = Array(joined.utf8)
            if utf8.allSatisfy({ $0 < 0x80 }) {
                // ASCII (most text): a byte is a scalar, and a gram is a small string built
                // straight from its bytes.
                grams.reserveCapacity(3 * utf8.count)
                var buffer: [UInt8] = [99, 58, 0, 0, 0, 0, 0] // "c:" + up to 5 bytes
                for n in 3...5 where utf8.count >= n {
                    for i in 0...(utf8.count - n) {
                        for j in 0..<n { buffer[2 + j] = utf8[i + j] }
                        grams.append(String(decoding: buffer[0..<(2 + n)], as: UTF8.self))
                    }
                }
            } else {
                let norm = Array(joined.unicodeScalars)
                for n in 3...5 where norm.count >= n {
                    for i in 0...(norm.count - n) {
                        var g = String.UnicodeScalarView()
                        g.append(contentsOf: norm[i..<(i + n)])
                        grams.append("c:" + String(g))
                    }
                }
            }
            add(grams, scaled: true)
        }
        if groups.contains(.rules) {
            let f = ruled ?? rules.audit(text: s.text, kind: s.kind, attributeRaw: s.attributeRaw, className: s.className, twin: s.twin)
            let v = f.verdict.rawValue
            add(["r:v=" + v, "r:vc=\(v)/" + Self.fixed2(f.confidence), "r:a=" + (f.attribute ?? "-"),
                 "r:rule=" + Self.ruleKey(f.rationale), "r:va=\(v)/" + (f.attribute ?? "-")], scaled: false)
        }
        let content = raw.filter { !nameTokens.contains($0) && !lexicon.boilerplate.contains($0) }
        if groups.contains(.lexicon) {
            var cues: [String] = []
            var nv = 0, vis = 0
            for t in raw where !nameTokens.contains(t) {
                if let g = lexicon.nonVisualGroup(of: t) { cues.append("l:nv=" + AuditLexicon.canonical(g)); nv += 1 }
                if let a = lexicon.visualAttribute(of: t) { cues.append("l:va=" + a) }
                if lexicon.visual.contains(t) { vis += 1 }
                if lexicon.photoStyle.contains(t) { cues.append("l:photo") }
                if lexicon.emptyPraise.contains(t) { cues.append("l:praise") }
                if lexicon.weakVisual.contains(t) { cues.append("l:weak") }
                if RuleAuditor.media.contains(t) { cues.append("l:media") }
            }
            if lexicon.artifactIndex.first(in: raw) != nil { cues.append("l:artifact") }
            if lexicon.vagueIndex.first(in: raw) != nil { cues.append("l:vague") }
            if lexicon.timeIndex.first(in: raw) != nil { cues.append("l:time") }
            if lexicon.spuriousIndex.first(in: raw) != nil { cues.append("l:spurious-phrase") }
            cues.append("l:nv#\(min(nv, 3))")
            cues.append("l:vis#\(min(vis, 3))")
            cues.append("l:nv-vis=\(max(-2, min(2, nv - vis)))")
            add(cues, scaled: false)
        }
        if groups.contains(.attributeWords) {
            let taxonomy = rules.taxonomy
            add(tokens.compactMap { $0 == "<c>" || lexicon.boilerplate.contains($0) ? nil : taxonomy.attribute(ofWord: $0).map { "a:" + $0 } }, scaled: false)
        }
        if groups.contains(.source) {
            if let r = s.attributeRaw {
                let m = rules.taxonomy.map(r)
                add(["s:a=" + m.attribute, "s:c=" + m.category.rawValue], scaled: false)
            } else {
                add(["s:none"], scaled: false)
            }
        }
        if groups.contains(.twin), let twin = s.twin {
            let shared = Set(AuditLexicon.tokens(twin))
            let differing = content.filter { !shared.contains($0) }
            var d = differing.map { "d:w=" + $0 }
            for t in differing {
                if let g = lexicon.nonVisualGroup(of: t) { d.append("d:nv=" + AuditLexicon.canonical(g)) }
                if let a = lexicon.visualAttribute(of: t) { d.append("d:va=" + a) }
            }
            add(d, scaled: true)
            add(["d:n#\(min(differing.count, 5))"], scaled: false)
        }
        if groups.contains(.shape) {
            let trimmed = s.text.trimmingCharacters(in: .whitespacesAndNewlines)
            var f = ["k=" + s.kind.rawValue, "h:content#\(min(content.count, 6))", "h:len#\(min(raw.count / 4, 8))"]
            f.append(trimmed.last.map { ".!?)\"”".contains($0) } == true ? "h:end=punct" : "h:end=open")
            if let last = raw.last, Self.dangling.contains(last) { f.append("h:last=" + last) }
            if let first = tokens.first { f.append("h:first=" + first) }
            if trimmed.hasPrefix("I ") || trimmed.hasPrefix("I'") { f.append("h:first-person") }
            if trimmed.hasSuffix(":") { f.append("h:colon-end") }
            if !nameTokens.isEmpty && raw.contains(where: nameTokens.contains) { f.append("h:names-class") }
            add(f, scaled: false)
        }
        // Sorted by id, then by first appearance, so names that share an id are summed in the
        // order they were added (the first one's name is kept).
        let hashed = named.enumerated().map { (id: Self.hash($0.element.0), order: $0.offset) }
            .sorted { $0.id != $1.id ? $0.id < $1.id : $0.order < $1.order }
        var out: [AuditFeature] = []
        out.reserveCapacity(hashed.count)
        for h in hashed {
            let (n, v) = named[h.order]
            if let last = out.last, last.id == h.id { out[out.count - 1].value += v } else { out.append(AuditFeature(name: n, id: h.id, value: v)) }
        }
        return out
    }

    /// `%.2f` for the rules' confidences (tenths and twentieths, never a tie in the third
    /// decimal), without Foundation's formatter, which is slow on Linux.
    static func fixed2(_ x: Double) -> String {
        let hundredths = Int((x * 100).rounded())
        let frac = hundredths % 100
        return "\(hundredths / 100)." + (frac < 10 ? "0" : "") + "\(frac)"
    }

    /// A stable key for the rule that decided: the rationale with its quoted words removed.
    static func ruleKey(_ rationale: String) -> String {
        var out = "", quoted = false
        for ch in rationale {
            if ch == "'" { quoted.toggle(); continue }
            if !quoted && !ch.isNumber { out.append(ch) }
        }
        return out.split(separator: " ").prefix(5).joined(separator: " ")
    }

    /// A feature's name as a reason shows it: "'habitat'", "rule non-visual", "twin differs: 'diet'".
    static func readable(_ name: String) -> String {
        // Plain string surgery: Foundation's replacingOccurrences is slow on Linux, and this
        // runs for every feature tied among the strongest.
        func after(_ p: String) -> String { String(name.dropFirst(p.count)) }
        func spaced(_ s: some StringProtocol) -> String { String(s.map { $0 == "=" ? " " : $0 }) }
        if name.hasPrefix("w:") { return "'\(after("w:"))'" }
        if name.hasPrefix("b:") {
            var b = Substring(after("b:"))
            if b.hasPrefix("^ ") { b = b.dropFirst(2) }
            if b.hasSuffix(" $") { b = b.dropLast(2) }
            return "'\(b)'"
        }
        if name.hasPrefix("c:") { return "'…\(after("c:"))…'" }
        if name.hasPrefix("r:v=") { return "rule \(after("r:v="))" }
        if name.hasPrefix("r:") { return "rule " + spaced(name.dropFirst(2)) }
        if name.hasPrefix("l:nv=") { return "\(after("l:nv=")) cue" }
        if name.hasPrefix("l:va=") { return "\(after("l:va=")) cue" }
        if name.hasPrefix("l:") { return "lexicon " + after("l:") }
        if name.hasPrefix("s:") { return "source attribute " + spaced(name.dropFirst(2)) }
        if name.hasPrefix("d:w=") { return "twin differs: '\(after("d:w="))'" }
        if name.hasPrefix("d:") { return "twin differs: " + after("d:") }
        if name.hasPrefix("h:") { return "shape " + after("h:") }
        if name.hasPrefix("a:") { return "\(after("a:")) word" }
        if name.hasPrefix("k=") { return "shape " + name }
        return name
    }
}
