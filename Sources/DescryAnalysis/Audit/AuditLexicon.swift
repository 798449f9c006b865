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
