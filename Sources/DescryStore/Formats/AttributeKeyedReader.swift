/// Reads attribute-keyed per-class JSON as TAP publishes it:
/// `{"class": {"attribute": ["text", …], …}, …}`. Each attribute key becomes the description's
/// `attribute_raw`, which the store maps to the taxonomy like FuDD's `attr_type`.
public enum AttributeKeyedReader {
    /// Reads the file. A text that is empty or not a string, or an empty attribute key, is an
    /// error naming its JSON path; with `skipInvalid` it is left out and listed in `skipped`.
    public static func read(_ file: InputFile, skipInvalid: Bool = false) throws -> ClassDescriptionSet {
        let doc = try file.json()
        let r = JSONReader(doc)
        var problems = InvalidItems(skipInvalid: skipInvalid)
        var entries: [ClassDescriptionSet.Entry] = []
        for (key, node) in try r.object(doc.root, path: "$") {
            let path = "\"\(key)\""
            var items: [ClassDescriptionSet.Item] = []
            for (attribute, list) in try r.object(node, path: path) {
                let apath = "\(path).\"\(attribute)\""
                if InvalidItems.isBlank(attribute) {
                    try problems.report(doc.location(of: list, path: apath), "empty attribute key")
                    continue
                }
                guard case .array(let texts) = list.value else {
                    try problems.report(doc.location(of: list, path: apath), "expected an array of texts, found \(list.value.typeName)")
                    continue
                }
                for (i, item) in texts.enumerated() {
                    let ipath = "\(apath)[\(i)]"
                    if let t = try problems.text(item, in: doc, path: ipath) {
                        items.append(.init(text: t, attributeRaw: attribute, location: doc.location(of: item, path: ipath)))
                    }
                }
            }
            entries.append(.init(className: key, items: items, location: InputLocation(file: file.path, line: doc.lineColumn(of: node.offset).line)))
        }
        var set = ClassDescriptionSet(format: "attributes", entries: entries)
        set.contentHash = file.contentHash
        set.skipped = problems.skipped
        return set
    }
}
