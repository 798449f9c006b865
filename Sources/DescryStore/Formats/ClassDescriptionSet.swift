/// Per-class descriptions, whatever file they came from: CuPL / DCLIP / WaffleCLIP / LaBo
/// per-class JSON, TAP's attribute-keyed JSON, a folder of per-class text files, EX2's lists,
/// CSV or TSV. Every reader produces this, so all of them go through
/// `Importer.importClassDescriptions` and its class matching.
public struct ClassDescriptionSet: Sendable, Equatable {
    /// One description of a class, with where it was written.
    public struct Item: Sendable, Equatable {
        /// The text as written.
        public var text: String
        /// The attribute type the source gave it (a TAP attribute key, a CSV `attribute`
        /// column), mapped to the taxonomy when written; nil when the source gives none.
        public var attributeRaw: String?
        /// What it is: `.class` (a sentence or descriptor) or `.classname` (a class-name prompt).
        public var kind: DescriptionKind
        /// Where it was written.
        public var location: InputLocation

        /// Creates an item.
        public init(text: String, attributeRaw: String? = nil, kind: DescriptionKind = .class, location: InputLocation) {
            self.text = text
            self.attributeRaw = attributeRaw
            self.kind = kind
            self.location = location
        }
    }

    /// One class of the file: a key, a file stem, a CSV `class` value or a class-list name.
    public struct Entry: Sendable, Equatable {
        /// The class name as written.
        public var className: String
        /// Its descriptions, in file order.
        public var items: [Item]
        /// Where the class was named (a JSON key's line, a text file, a CSV row).
        public var location: InputLocation
        /// The line the class was named at (0 when the source has no line: a file stem).
        public var line: Int { location.line ?? 0 }
        /// Its texts, in file order.
        public var texts: [String] { items.map(\.text) }

        /// Creates an entry.
        public init(className: String, items: [Item], location: InputLocation) {
            self.className = className
            self.items = items
            self.location = location
        }
    }

    /// The format's name, recorded in the source's `format` column ("descriptions", "attributes", …).
    public var format: String
    /// Entries, in file order.
    public var entries: [Entry]
    /// SHA-256 of the input as read (every file of a folder, an EX2 file with its class
    /// list), for provenance; empty when the set was built in memory.
    public var contentHash: String = ""
    /// Items left out with `skipInvalid`, each an error naming its position.
    public var skipped: [String] = []
    /// Things the reader noticed but that are not items: a non-.txt file in a folder, an
    /// unknown CSV column.
    public var notes: [String] = []

    /// Creates a set.
    public init(format: String = "descriptions", entries: [Entry]) {
        self.format = format
        self.entries = entries
    }

    /// The hash recorded with the source: `contentHash`, or for a set built in memory a hash
    /// of its classes and texts.
    public var sourceHash: String {
        if !contentHash.isEmpty { return contentHash }
        return Hashing.sha256Hex(entries.map { ([$0.className] + $0.texts).joined(separator: "\u{0}") }.joined(separator: "\u{1}"))
    }

    /// The number of descriptions in all entries.
    public var itemCount: Int { entries.reduce(0) { $0 + $1.items.count } }

    /// Reads the `descriptions` format, `{"class": ["text", …]}`. An empty or whitespace-only
    /// text, or a value that is not a string, is an error naming its position; with
    /// `skipInvalid` it is left out and listed in `skipped`.
    public static func read(_ file: InputFile, skipInvalid: Bool = false) throws -> ClassDescriptionSet {
        let doc = try file.json()
        let r = JSONReader(doc)
        var entries: [Entry] = []
        var problems = InvalidItems(skipInvalid: skipInvalid)
        for (key, node) in try r.object(doc.root, path: "$") {
            let path = "\"\(key)\""
            var items: [Item] = []
            for (i, item) in try r.array(node, path: path).enumerated() {
                let ipath = "\(path)[\(i)]"
                if let t = try problems.text(item, in: doc, path: ipath) {
                    items.append(Item(text: t, location: doc.location(of: item, path: ipath)))
                }
            }
            entries.append(Entry(className: key, items: items, location: InputLocation(file: file.path, line: doc.lineColumn(of: node.offset).line)))
        }
        var set = ClassDescriptionSet(format: "descriptions", entries: entries)
        set.contentHash = file.contentHash
        set.skipped = problems.skipped
        return set
    }
}
