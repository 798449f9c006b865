import Foundation

/// Maps free-form attribute types ("ear shape", "coat colour", "surrounding landscape") to a
/// canonical attribute and a category, from a data file (`Data/attribute-taxonomy.json`).
///
/// The rules, in order: an exact phrase entry; otherwise the words of the head phrase (the
/// part before " of ", so "size of spots" is about size), read from the last word back, since
/// English compounds put the head noun last ("ear shape" is a shape); generic words ("type",
/// "features") are skipped; then the words after " of "; otherwise `other`/unknown.
public struct AttributeTaxonomy: Sendable {
    /// One canonical attribute of the taxonomy.
    public struct Attribute: Sendable, Equatable {
        /// Canonical name ("colour").
        public let name: String
        /// Its category.
        public let category: AttributeCategory
        /// What it covers, for docs and `descry attributes`.
        public let summary: String
        /// Words that name it ("color", "colour", "hue").
        public let words: [String]
    }

    /// Canonical attributes, in file order.
    public let attributes: [Attribute]
    private let byName: [String: Attribute]
    private let phrases: [String: String]
    private let words: [String: String]
    private let generic: Set<String>
    /// The attribute used when no rule matches.
    public let fallback: String

    /// Parses a taxonomy file.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw StoreError.fileNotFound(path) }
        let doc = try JSONDocument(bytes: [UInt8](data), file: path)
        try self.init(document: doc)
    }

    /// Parses a taxonomy document.
    public init(document doc: JSONDocument) throws {
        let root = try JSONReader(doc).object(doc.root, path: "$")
        var attributes: [Attribute] = []
        var words: [String: String] = [:]
        let reader = JSONReader(doc)
        for (name, node) in try reader.object(try reader.required(root, "attributes", path: "$"), path: "attributes") {
            let path = "attributes.\(name)"
            let fields = try reader.object(node, path: path)
            let catText = try reader.string(try reader.required(fields, "category", path: path), path: path + ".category")
            guard let category = AttributeCategory(rawValue: catText) else {
                throw StoreError.invalidInput(doc.location(of: node, path: path + ".category"),
                                              "unknown category '\(catText)' (use visual, non-visual or unknown)")
            }
            let summary = try fields.first(where: { $0.key == "summary" }).map { try reader.string($0.value, path: path + ".summary") } ?? ""
            let list = try fields.first(where: { $0.key == "words" }).map { try reader.strings($0.value, path: path + ".words") } ?? []
            for w in list {
                let key = w.lowercased()
                if let other = words[key], other != name {
                    throw StoreError.invalidInput(doc.location(of: node, path: path + ".words"), "word '\(w)' is listed under both '\(other)' and '\(name)'")
                }
                words[key] = name
            }
            attributes.append(Attribute(name: name, category: category, summary: summary, words: list))
        }
        let byName = Dictionary(attributes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var phrases: [String: String] = [:]
        if let p = root.first(where: { $0.key == "phrases" }) {
            for (phrase, node) in try reader.object(p.value, path: "phrases") {
                let target = try reader.string(node, path: "phrases.\(phrase)")
                guard byName[target] != nil else {
                    throw StoreError.invalidInput(doc.location(of: node, path: "phrases.\(phrase)"), "phrase maps to unknown attribute '\(target)'")
                }
                phrases[Self.normalize(phrase)] = target
            }
        }
        let generic = try root.first(where: { $0.key == "generic_words" }).map { Set(try reader.strings($0.value, path: "generic_words").map { $0.lowercased() }) } ?? []
        let fallback = try root.first(where: { $0.key == "fallback" }).map { try reader.string($0.value, path: "fallback") } ?? "other"
        guard byName[fallback] != nil else {
            throw StoreError.invalidInput(InputLocation(file: doc.file, path: "fallback"), "fallback attribute '\(fallback)' is not defined under attributes")
        }
        self.attributes = attributes
        self.byName = byName
        self.phrases = phrases
        self.words = words
        self.generic = generic
        self.fallback = fallback
    }

    /// The category of a canonical attribute (unknown for a name not in the taxonomy).
    public func category(of attribute: String) -> AttributeCategory { byName[attribute]?.category ?? .unknown }

    /// The attribute whose word list holds `word` (lower-cased), if any.
    public func attribute(ofWord word: String) -> String? { words[word] }

    /// Maps one raw attribute type.
    public func map(_ raw: String) -> AttributeMapping {
        let norm = Self.normalize(raw)
        func result(_ attr: String, _ rule: String) -> AttributeMapping {
            AttributeMapping(raw: raw, attribute: attr, category: category(of: attr), rule: rule)
        }
        if let a = phrases[norm] { return result(a, "phrase '\(norm)'") }
        let parts = norm.components(separatedBy: " of ")
        let head = parts[0].split(separator: " ").map(String.init)
        if let (word, attr) = lookup(head.reversed()) {
            return result(attr, word == head.last ? "head word '\(word)'" : "word '\(word)'")
        }
        if parts.count > 1 {
            let rest = parts.dropFirst().joined(separator: " of ").split(separator: " ").map(String.init)
            if let (word, attr) = lookup(rest.reversed()) { return result(attr, "word '\(word)' after 'of'") }
        }
        return AttributeMapping(raw: raw, attribute: fallback, category: .unknown, rule: "no rule matched")
    }

    private func lookup<S: Sequence>(_ candidates: S) -> (String, String)? where S.Element == String {
        for w in candidates where !generic.contains(w) {
            for form in Self.forms(of: w) { if let a = words[form] { return (w, a) } }
        }
        return nil
    }

    /// The word and its likely singulars ("holes" → "hole", "textures" → "texture").
    static func forms(of word: String) -> [String] {
        var out = [word]
        if word.hasSuffix("ies") { out.append(String(word.dropLast(3)) + "y") }
        if word.hasSuffix("es") { out.append(String(word.dropLast(2))) }
        if word.hasSuffix("s") && !word.hasSuffix("ss") { out.append(String(word.dropLast())) }
        return out
    }

    /// Lowercase; `/`, `-`, `_` and punctuation to spaces; whitespace collapsed.
    static func normalize(_ raw: String) -> String {
        let mapped = raw.lowercased().map { c -> Character in
            c.isLetter || c.isNumber ? c : " "
        }
        return String(mapped).split(separator: " ").joined(separator: " ")
    }
}
