import Foundation

/// Reads and validates the FuDD layout: `<dataset>_class_names.json` and
/// `<dataset>_prompt_pairs.json` in one folder (or the two files named directly).
public enum FuddReader {
    /// The two files of `dataset` inside `folder`.
    public static func files(folder: String, dataset: String) -> (classNames: String, promptPairs: String) {
        let base = (folder as NSString)
        return (base.appendingPathComponent("\(dataset)_class_names.json"), base.appendingPathComponent("\(dataset)_prompt_pairs.json"))
    }

    /// Reads a class-name array (strings; empty or duplicate names are errors).
    public static func readClassNames(_ file: InputFile) throws -> [String] {
        let doc = try file.json()
        let r = JSONReader(doc)
        let names = try r.array(doc.root, path: "$").enumerated().map { try r.string($0.element, path: "[\($0.offset)]") }
        var seen: [String: Int] = [:]
        let items = try r.array(doc.root, path: "$")
        for (i, n) in names.enumerated() {
            if let problem = ClassName.problem(n) {
                throw StoreError.invalidInput(doc.location(of: items[i], path: "[\(i)]"), "class \(i) has \(problem)")
            }
            let key = ClassName.matchKey(n)
            if let j = seen[key] {
                throw StoreError.invalidInput(doc.location(of: items[i], path: "[\(i)]"),
                                              "duplicate class name \(Excerpt.quote(n)) (same as class \(j))")
            }
            seen[key] = i
        }
        return names
    }

    /// Reads the prompt pairs, checking every key against its `classes`, every index against
    /// the class count, and every text for emptiness.
    public static func readPromptPairs(_ file: InputFile, classCount: Int) throws -> [FuddCorpus.Pair] {
        try readPromptPairs(file, classCount: classCount, skipInvalid: false).pairs
    }

    /// Reads the prompt pairs. A prompt pair with an empty text, a value of the wrong type
    /// or a missing or empty `attr_type` is an error naming its JSON path; with `skipInvalid`
    /// it is left out (both its sides) and listed in `skipped`. Errors in a pair's key or
    /// classes stay errors: they say the file is not what it claims to be.
    public static func readPromptPairs(_ file: InputFile, classCount: Int, skipInvalid: Bool) throws -> (pairs: [FuddCorpus.Pair], skipped: [String]) {
        let doc = try file.json()
        let r = JSONReader(doc)
        var pairs: [FuddCorpus.Pair] = []
        var seenKeys = Set<String>()
        var invalid = InvalidItems(skipInvalid: skipInvalid)
        for (key, node) in try r.object(doc.root, path: "$") {
            let path = "\"\(key)\""
            let fields = try r.object(node, path: path)
            let classesNode = try r.required(fields, "classes", path: path, in: node)
            let idx = try r.array(classesNode, path: path + ".classes").enumerated().map { try r.integer($0.element, path: "\(path).classes[\($0.offset)]") }
            guard idx.count == 2 else {
                throw StoreError.invalidInput(doc.location(of: classesNode, path: path + ".classes"), "expected two class indexes, found \(idx.count)")
            }
            for (n, i) in idx.enumerated() where i < 0 || i >= classCount {
                throw StoreError.invalidInput(doc.location(of: classesNode, path: "\(path).classes[\(n)]"),
                                              "class index \(i) is out of range (the dataset has \(classCount) classes, 0…\(classCount - 1))")
            }
            guard idx[0] < idx[1] else {
                throw StoreError.invalidInput(doc.location(of: classesNode, path: path + ".classes"),
                                              "classes [\(idx[0]), \(idx[1])] must be two different indexes in increasing order")
            }
            guard key == "\(idx[0])_\(idx[1])" else {
                throw StoreError.invalidInput(doc.location(of: classesNode, path: path + ".classes"),
                                              "key \"\(key)\" disagrees with its classes [\(idx[0]), \(idx[1])] (expected key \"\(idx[0])_\(idx[1])\")")
            }
            guard seenKeys.insert(key).inserted else {
                throw StoreError.invalidInput(doc.location(of: node, path: path), "pair \"\(key)\" appears twice")
            }
            let ppNode = try r.required(fields, "prompt_pairs", path: path, in: node)
            var promptPairs: [FuddCorpus.PromptPair] = []
            for (p, item) in try r.array(ppNode, path: path + ".prompt_pairs").enumerated() {
                let ipath = "\(path).prompt_pairs[\(p)]"
                if let pp = try promptPair(item, path: ipath, doc: doc, invalid: &invalid) { promptPairs.append(pp) }
            }
            pairs.append(.init(classA: idx[0], classB: idx[1], promptPairs: promptPairs))
        }
        return (pairs, invalid.skipped)
    }

    /// One `{"attr_type": …, "prompt_pair": [a, b]}`, or nil when it was reported as invalid.
    static func promptPair(_ item: JSONNode, path ipath: String, doc: JSONDocument, invalid: inout InvalidItems) throws -> FuddCorpus.PromptPair? {
        guard case .object(let f) = item.value else {
            try invalid.report(doc.location(of: item, path: ipath), "expected an object, found \(item.value.typeName)")
            return nil
        }
        guard let attrNode = f.first(where: { $0.key == "attr_type" })?.value else {
            try invalid.report(doc.location(of: item, path: ipath), "missing field 'attr_type'")
            return nil
        }
        guard case .string(let attr) = attrNode.value, !InvalidItems.isBlank(attr) else {
            let found = { if case .string = attrNode.value { return "an empty string" } else { return attrNode.value.typeName } }()
            try invalid.report(doc.location(of: attrNode, path: ipath + ".attr_type"), "expected an attribute type, found \(found)")
            return nil
        }
        guard let textsNode = f.first(where: { $0.key == "prompt_pair" })?.value else {
            try invalid.report(doc.location(of: item, path: ipath), "missing field 'prompt_pair'")
            return nil
        }
        guard case .array(let items) = textsNode.value, items.count == 2 else {
            let found: String
            if case .array(let a) = textsNode.value { found = "\(a.count) texts" } else { found = textsNode.value.typeName }
            try invalid.report(doc.location(of: textsNode, path: ipath + ".prompt_pair"), "expected two texts, found \(found)")
            return nil
        }
        var texts: [String] = []
        for (s, t) in items.enumerated() {
            guard let text = try invalid.text(t, in: doc, path: "\(ipath).prompt_pair[\(s)]") else { return nil }
            texts.append(text)
        }
        return .init(attrType: attr, textA: texts[0], textB: texts[1])
    }

    /// Reads both files of a dataset.
    public static func read(classNames: InputFile, promptPairs: InputFile, skipInvalid: Bool = false) throws -> FuddCorpus {
        // Class names stay strict even with `skipInvalid`: the prompt pairs name classes by
        // index, so leaving one out would shift every later class.
        let names = try readClassNames(classNames)
        let (pairs, skipped) = try readPromptPairs(promptPairs, classCount: names.count, skipInvalid: skipInvalid)
        var corpus = FuddCorpus(classNames: names, pairs: pairs)
        corpus.skipped = skipped
        return corpus
    }
}
