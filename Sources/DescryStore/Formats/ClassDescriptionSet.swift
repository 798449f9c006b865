/// Per-class descriptions as CuPL, DCLIP, WaffleCLIP and LaBo publish them: an object mapping
/// a class name to a list of sentences (or bare descriptors).
public struct ClassDescriptionSet: Sendable, Equatable {
    /// One key of the file.
    public struct Entry: Sendable, Equatable {
        /// The key as written.
        public var className: String
        /// Its sentences, in file order.
        public var texts: [String]
        /// The key's line in the file.
        public var line: Int
    }
    /// Entries, in file order.
    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// Items left out with `skipInvalid`, each an error naming its position.
    public var skipped: [String] = []

    /// Reads the format. An empty or whitespace-only text, or a value that is not a string, is
    /// an error naming its position; with `skipInvalid` it is left out and listed in `skipped`.
    public static func read(_ file: InputFile, skipInvalid: Bool = false) throws -> ClassDescriptionSet {
        let doc = try file.json()
        let r = JSONReader(doc)
        var entries: [Entry] = []
        var skipped: [String] = []
        let hint = " (--skip-invalid leaves such items out and imports the rest)"
        for (key, node) in try r.object(doc.root, path: "$") {
            let path = "\"\(key)\""
            let items = try r.array(node, path: path)
            var texts: [String] = []
            for (i, item) in items.enumerated() {
                let at = doc.location(of: item, path: "\(path)[\(i)]")
                guard case .string(let t) = item.value else {
                    let e = StoreError.invalidInput(at, "expected a string, found \(item.value.typeName)")
                    if skipInvalid { skipped.append("\(e)"); continue }
                    throw StoreError.invalidInput(at, "expected a string, found \(item.value.typeName)" + hint)
                }
                if t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    if skipInvalid { skipped.append("\(StoreError.invalidInput(at, "empty description text"))"); continue }
                    throw StoreError.invalidInput(at, "empty description text" + hint)
                }
                texts.append(t)
            }
            entries.append(Entry(className: key, texts: texts, line: doc.lineColumn(of: node.offset).line))
        }
        var set = ClassDescriptionSet(entries: entries)
        set.skipped = skipped
        return set
    }
}
