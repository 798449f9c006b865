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

    /// Reads the format.
    public static func read(_ file: InputFile) throws -> ClassDescriptionSet {
        let doc = try file.json()
        let r = JSONReader(doc)
        var entries: [Entry] = []
        for (key, node) in try r.object(doc.root, path: "$") {
            let path = "\"\(key)\""
            let texts = try r.strings(node, path: path)
            let items = try r.array(node, path: path)
            for (i, t) in texts.enumerated() where t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw StoreError.invalidInput(doc.location(of: items[i], path: "\(path)[\(i)]"), "empty description text")
            }
            entries.append(Entry(className: key, texts: texts, line: doc.lineColumn(of: node.offset).line))
        }
        return ClassDescriptionSet(entries: entries)
    }
}
