/// Reads the descriptions EX2 ("If CLIP Could Talk", BatsResearch/ex2) writes: its
/// `inference.py` dumps a JSON list with one list of generated texts per class,
/// `[["text", …], …]`, in the order of the dataset's class-name list
/// (`data_files/<dataset>_class_names.json`). The file names no class, so the class list
/// comes from elsewhere: a class-list file or the dataset's stored classes.
public enum EX2Reader {
    /// Pairs the file's lists with `classNames`, in order. `classListName` says where the
    /// names came from, for the error when the counts differ ("classes.json", "dataset 'pets'").
    /// A text that is empty or not a string, or a class's value that is not a list, is an
    /// error naming its position; with `skipInvalid` it is left out and listed in `skipped`.
    public static func read(_ file: InputFile, classNames: [String], classListName: String,
                            skipInvalid: Bool = false) throws -> ClassDescriptionSet {
        let doc = try file.json()
        let r = JSONReader(doc)
        let lists = try r.array(doc.root, path: "$")
        guard lists.count == classNames.count else {
            throw StoreError.invalidInput(doc.location(of: doc.root, path: "$"),
                "the file has \(lists.count) class lists but \(classListName) has \(classNames.count) classes; EX2 pairs them by position, so the counts must agree")
        }
        var problems = InvalidItems(skipInvalid: skipInvalid)
        var entries: [ClassDescriptionSet.Entry] = []
        for (i, (node, name)) in zip(lists, classNames).enumerated() {
            let path = "[\(i)]"
            var items: [ClassDescriptionSet.Item] = []
            if case .array(let texts) = node.value {
                for (j, item) in texts.enumerated() {
                    let ipath = "\(path)[\(j)]"
                    if let t = try problems.text(item, in: doc, path: ipath) {
                        items.append(.init(text: t, location: doc.location(of: item, path: ipath)))
                    }
                }
            } else {
                try problems.report(doc.location(of: node, path: path), "expected the list of class \(i) (\(Excerpt.quote(name))), found \(node.value.typeName)")
            }
            // An entry even for a skipped list keeps the classes aligned and names the class.
            entries.append(.init(className: name, items: items, location: doc.location(of: node, path: path)))
        }
        var set = ClassDescriptionSet(format: "ex2", entries: entries)
        set.skipped = problems.skipped
        set.contentHash = file.contentHash
        return set
    }
}
