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
        let doc = try file.json()
        let r = JSONReader(doc)
        var pairs: [FuddCorpus.Pair] = []
        var seenKeys = Set<String>()
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
                let f = try r.object(item, path: ipath)
                let attr = try r.string(try r.required(f, "attr_type", path: ipath, in: item), path: ipath + ".attr_type")
                let textsNode = try r.required(f, "prompt_pair", path: ipath, in: item)
                let texts = try r.strings(textsNode, path: ipath + ".prompt_pair")
                guard texts.count == 2 else {
                    throw StoreError.invalidInput(doc.location(of: textsNode, path: ipath + ".prompt_pair"), "expected two texts, found \(texts.count)")
                }
                for (s, t) in texts.enumerated() where t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    throw StoreError.invalidInput(doc.location(of: textsNode, path: "\(ipath).prompt_pair[\(s)]"), "empty description text")
                }
                promptPairs.append(.init(attrType: attr, textA: texts[0], textB: texts[1]))
            }
            pairs.append(.init(classA: idx[0], classB: idx[1], promptPairs: promptPairs))
        }
        return pairs
    }

    /// Reads both files of a dataset.
    public static func read(classNames: InputFile, promptPairs: InputFile) throws -> FuddCorpus {
        let names = try readClassNames(classNames)
        return FuddCorpus(classNames: names, pairs: try readPromptPairs(promptPairs, classCount: names.count))
    }
}
