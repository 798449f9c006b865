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
    }

    /// The first of `phrases` that occurs in `tokens`, as consecutive tokens.
    public static func firstPhrase(_ phrases: [[String]], in tokens: [String]) -> [String]? {
        phrases.first { p in !p.isEmpty && tokens.count >= p.count && (0...(tokens.count - p.count)).contains { i in Array(tokens[i..<(i + p.count)]) == p } }
    }

    /// The lexicon shipped in a data folder.
    public static func shipped(dataDirectory: String) throws -> AuditLexicon {
        try AuditLexicon(contentsOf: (dataDirectory as NSString).appendingPathComponent("audit-lexicon.json"))
    }

    /// Lower-cased word tokens (letters, digits, apostrophes and hyphens inside words).
    public static func tokens(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "'" || $0 == "-") }
            .map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "'-")) }.filter { !$0.isEmpty }
    }
}
