import Foundation
/// A class of a dataset, with the index its source files use.
public struct ClassRecord: Sendable, Equatable {
    /// Row id in the store.
    public let id: Int64
    /// Index used by the dataset's files (FuDD pair keys, label columns).
    public let index: Int
    /// The name as imported (underscores kept; see `displayName`).
    public let name: String

    /// Creates a record.
    public init(id: Int64, index: Int, name: String) {
        self.id = id
        self.index = index
        self.name = name
    }

    /// The name as a prompt would use it: underscores stand for spaces in FuDD's files.
    public var displayName: String { ClassName.display(name) }
}

/// Class-name normalisation shared by importers and matchers.
public enum ClassName {
    /// Underscores to spaces, whitespace collapsed.
    public static func display(_ name: String) -> String {
        name.replacingOccurrences(of: "_", with: " ").split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// Why `name` cannot be a class name, or nil when it can: empty, or holding a control
    /// character (a NUL cut names short in SQLite; CR, LF and tab point at a misread file).
    public static func problem(_ name: String) -> String? {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { return "an empty name" }
        if let c = name.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            return "a control character (U+\(String(format: "%04X", c.value))) in the name"
        }
        return nil
    }

    /// The exact key: display form, lowercased. Class lists are unique under it, and
    /// `--match exact` compares it.
    public static func matchKey(_ name: String) -> String { display(name).lowercased() }

    /// Articles dropped by `normalizedKey`.
    static let articles: Set<Substring> = ["a", "an", "the"]

    /// The key the default (`normalized`) match compares, so that spellings other projects
    /// publish meet: `Black-footed Albatross` = `black footed albatross`, `Cooper's Hawk` =
    /// `coopers hawk`, `SeaLake` = `sea lake`. In order: a camelCase join is split
    /// (lowercase then uppercase letter), letter case and diacritics are folded, `&` reads
    /// "and", apostrophes and periods are removed (`St. Bernard` = `st bernard`), every
    /// other character that is not a letter or digit (hyphen, underscore, comma, parenthesis,
    /// slash…) becomes a space, whitespace collapses, and the articles a, an, the are dropped
    /// wherever they stand as words (unless nothing else is left).
    public static func normalizedKey(_ name: String) -> String {
        tokens(name).joined(separator: " ")
    }

    /// The words of `normalizedKey`, in order.
    public static func tokens(_ name: String) -> [Substring] {
        var split = ""
        split.reserveCapacity(name.utf8.count + 4)
        var previousWasLower = false
        for ch in name {
            if previousWasLower && ch.isUppercase { split.append(" ") }
            previousWasLower = ch.isLowercase
            split.append(ch)
        }
        let folded = split.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased()
        var cleaned = ""
        cleaned.reserveCapacity(folded.utf8.count)
        for ch in folded {
            switch ch {
            case "'", "\u{2019}", "\u{2018}", "`", ".": continue
            case "&": cleaned += " and "
            default: cleaned.append(ch.isLetter || ch.isNumber ? ch : " ")
            }
        }
        let words = cleaned.split(separator: " ")
        let kept = words.filter { !articles.contains($0) }
        return kept.isEmpty ? words : kept
    }
}
