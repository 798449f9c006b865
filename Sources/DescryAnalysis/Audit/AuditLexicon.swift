import Foundation

/// The word lists of the rule-based auditor, read from `Data/audit-lexicon.json`.
public struct AuditLexicon: Sendable {
    /// Words that carry nothing about a class: articles, "photo", "click", "download", …
    public let boilerplate: Set<String>
    /// Phrases typical of web captions ("click to enlarge").
    public let spuriousPhrases: [[String]]
    /// Non-visual cue words by canonical attribute.
    public let nonVisual: [String: Set<String>]
    /// Visual cue words.
    public let visual: Set<String>
    /// LLM artifacts and text about the data rather than the class ("i cannot", "as an ai",
    /// "satellite data", "plays a crucial role"): spurious wherever they occur.
    public let artifactPhrases: [[String]]
    /// Words of CLIP-style templates and photo qualities ("a blurry photo of the large …").
    public let photoStyle: Set<String>
    /// Disjunctions and hedges that fit any class ("can be of any color", "regular or irregular").
    public let vaguePhrases: [[String]]
    /// Praise that says nothing checkable ("elegant", "eye-catching").
    public let emptyPraise: Set<String>
    /// Change over time, which one photo cannot show.
    public let timePhrases: [[String]]
    /// Words that name an attribute rather than a value ("texture", "colour"): weak visual cues.
    public let weakVisual: Set<String>
    /// Visual cue words by canonical attribute ("red" → colour, "ears" → part).
    public let visualAttributes: [String: Set<String>]
    private let nonVisualIndex: [String: String]
    /// The phrase lists, indexed.
    public let artifactIndex: PhraseIndex, vagueIndex: PhraseIndex, timeIndex: PhraseIndex, spuriousIndex: PhraseIndex
    private let visualAttributeIndex: [String: String]
    /// Words that start an inference from what is seen ("…, indicating a desert region"): the
    /// clause before them is the claim.
    public let inferenceMarkers: Set<String>

    /// Reads a lexicon file.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AnalysisError.badDataFile(path: path, reason: "cannot be read; the auditor's lexicon ships in Data/ (pass --data DIR)")
        }
        guard let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let boiler = obj["boilerplate"] as? [String], let phrases = obj["spurious_phrases"] as? [String],
              let nonVisual = obj["non_visual"] as? [String: [String]], let visual = obj["visual"] as? [String] else {
            throw AnalysisError.badDataFile(path: path, reason: "expected an object with boilerplate, spurious_phrases, non_visual and visual word lists")
        }
        self.boilerplate = Set(boiler)
        self.spuriousPhrases = phrases.map(AuditLexicon.tokens)
        self.nonVisual = nonVisual.mapValues(Set.init)
        self.visual = Set(visual)
        // Optional lists (lexicon version 2); an older file still reads.
        func list(_ key: String) -> [String] { obj[key] as? [String] ?? [] }
        self.artifactPhrases = list("artifact_phrases").map(AuditLexicon.tokens)
        self.photoStyle = Set(list("photo_style"))
        self.vaguePhrases = list("vague_phrases").map(AuditLexicon.tokens)
        self.emptyPraise = Set(list("empty_praise"))
        self.timePhrases = list("time_phrases").map(AuditLexicon.tokens)
        self.weakVisual = Set(list("weak_visual"))
        self.inferenceMarkers = Set(list("inference_markers"))
        self.visualAttributes = (obj["visual_attributes"] as? [String: [String]] ?? [:]).mapValues(Set.init)
        artifactIndex = PhraseIndex(artifactPhrases)
        vagueIndex = PhraseIndex(vaguePhrases)
        timeIndex = PhraseIndex(timePhrases)
        spuriousIndex = PhraseIndex(spuriousPhrases)
        var nv: [String: String] = [:]
        for (group, words) in self.nonVisual.sorted(by: { $0.key > $1.key }) { for w in words { nv[w] = group } }
        nonVisualIndex = nv
        var va: [String: String] = [:]
        for (a, words) in self.visualAttributes.sorted(by: { $0.key > $1.key }) { for w in words { va[w] = a } }
        visualAttributeIndex = va
    }

    /// The taxonomy's name for a lexicon group ("lifespan" covers care, health and age).
    public static func canonical(_ group: String) -> String { group == "lifespan" ? "care" : group }

    /// Phrases indexed by their first word, so finding one is a walk over the tokens (this
    /// runs for every description at import). `first` keeps the list's order of preference.
    public struct PhraseIndex: Sendable {
        let order: [[String]]
        let byHead: [String: [Int]]

        public init(_ phrases: [[String]]) {
            order = phrases
            var heads: [String: [Int]] = [:]
            for (i, p) in phrases.enumerated() { if let h = p.first { heads[h, default: []].append(i) } }
            byHead = heads
        }

        /// The earliest phrase of the list that occurs in `tokens`.
        public func first(in tokens: [String]) -> [String]? {
            var best: Int?
            for i in tokens.indices {
                guard let candidates = byHead[tokens[i]] else { continue }
                for c in candidates where best.map({ c < $0 }) ?? true {
                    let p = order[c]
                    if i + p.count <= tokens.count {
                        var same = true
                        for k in 1..<max(p.count, 1) where tokens[i + k] != p[k] { same = false; break }
                        if same { best = c }
                    }
                }
            }
            return best.map { order[$0] }
        }
    }

    /// The non-visual group a word belongs to (the alphabetically first when several).
    public func nonVisualGroup(of word: String) -> String? { nonVisualIndex[word] }

    /// The visual attribute a cue word belongs to.
    public func visualAttribute(of word: String) -> String? { visualAttributeIndex[word] }

    /// The lexicon shipped in a data folder.
    public static func shipped(dataDirectory: String) throws -> AuditLexicon {
        try AuditLexicon(contentsOf: (dataDirectory as NSString).appendingPathComponent("audit-lexicon.json"))
    }

    /// Lower-cased word tokens (letters, digits, apostrophes and hyphens inside words).
    public static func tokens(_ text: String) -> [String] {
        if let ascii = asciiTokens(text) { return ascii }
        return unicodeTokens(text)
    }

    /// The ASCII fast path (most descriptions): bytes, no Unicode property lookups. Nil when
    /// the text holds a non-ASCII byte.
    static func asciiTokens(_ text: String) -> [String]? {
        var text = text
        return text.withUTF8 { bytes -> [String]? in
            var out: [String] = []
            var start = -1
            func isWord(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 39 || b == 45 }
            func emit(_ lo: Int, _ hi: Int) {
                var a = lo, z = hi
                while a < z && (bytes[a] == 39 || bytes[a] == 45) { a += 1 }
                while z > a && (bytes[z - 1] == 39 || bytes[z - 1] == 45) { z -= 1 }
                guard a < z else { return }
                out.append(String(unsafeUninitializedCapacity: z - a) { buf in
                    for i in a..<z { let b = bytes[i]; buf[i - a] = (b >= 65 && b <= 90) ? b + 32 : b }
                    return z - a
                })
            }
            for i in 0..<bytes.count {
                let b = bytes[i]
                if b >= 0x80 { return nil }
                if isWord(b) { if start < 0 { start = i } } else if start >= 0 { emit(start, i); start = -1 }
            }
            if start >= 0 { emit(start, bytes.count) }
            return out
        }
    }

    static func unicodeTokens(_ text: String) -> [String] {
        // One pass over the scalars (this runs for every description at import): a token is a
        // run of letters, digits, apostrophes and hyphens, trimmed of its apostrophes and hyphens.
        var out: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            var view = Substring.UnicodeScalarView(current)
            while let f = view.first, f == "'" || f == "-" { view.removeFirst() }
            while let l = view.last, l == "'" || l == "-" { view.removeLast() }
            if !view.isEmpty { out.append(String(String.UnicodeScalarView(view)).lowercased()) }
            current.removeAll(keepingCapacity: true)
        }
        for u in text.unicodeScalars {
            if u.properties.isAlphabetic || u.properties.numericType != nil || u == "'" || u == "-" {
                current.append(u)
            } else if !current.isEmpty {
                flush()
            }
        }
        if !current.isEmpty { flush() }
        return out
    }
}
