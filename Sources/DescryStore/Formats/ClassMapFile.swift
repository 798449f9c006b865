/// A `--map FILE` for an import: which class each key of the imported file means. Either a
/// JSON object `{"key": "class name", …}` or text with one `key<TAB>class name` per line
/// (blank lines and lines starting with `#` ignored).
public enum ClassMapFile {
    /// At most this many entries: a map is written by hand or by a small script.
    public static let maximumEntries = 100_000

    /// Reads the map, choosing JSON when the file starts with `{`. A line without a tab, an
    /// empty key or class, a value that is not a string, or a key given twice with different
    /// classes is an error naming its line.
    public static func read(_ file: InputFile) throws -> [ClassMapEntry] {
        let text = try file.text()
        var entries: [ClassMapEntry] = []
        if text.drop(while: { $0.isWhitespace }).first == "{" {
            let doc = try file.json()
            let r = JSONReader(doc)
            for (key, node) in try r.object(doc.root, path: "$") {
                let path = "\"\(key)\""
                let target = try r.string(node, path: path)
                entries.append(ClassMapEntry(key: key, target: target, location: doc.location(of: node, path: path)))
            }
        } else {
            for (n, raw) in try file.lines().enumerated() {
                let at = InputLocation(file: file.path, line: n + 1)
                if raw.trimmingCharacters(in: .whitespaces).isEmpty || raw.hasPrefix("#") { continue }
                let fields = raw.split(separator: "\t", omittingEmptySubsequences: false)
                guard fields.count == 2 else {
                    throw StoreError.invalidInput(at, fields.count < 2
                        ? "expected key<TAB>class, found no tab" : "expected key<TAB>class, found \(fields.count) tab-separated fields")
                }
                entries.append(ClassMapEntry(key: fields[0].trimmingCharacters(in: .whitespaces),
                                             target: fields[1].trimmingCharacters(in: .whitespaces), location: at))
            }
        }
        if entries.count > maximumEntries {
            throw StoreError.invalidInput(InputLocation(file: file.path), "the map has \(entries.count) entries; at most \(maximumEntries) are read")
        }
        var seen: [String: ClassMapEntry] = [:]
        for e in entries {
            for (field, value) in [("key", e.key), ("class", e.target)] {
                if let problem = ClassName.problem(value) { throw StoreError.invalidInput(e.location, "map \(field) with \(problem)") }
            }
            let k = ClassName.normalizedKey(e.key)
            if let first = seen[k], ClassName.normalizedKey(first.target) != ClassName.normalizedKey(e.target) {
                throw StoreError.invalidInput(e.location, "key \(Excerpt.quote(e.key)) is mapped to \(Excerpt.quote(e.target)) here and to \(Excerpt.quote(first.target)) at \(first.location)")
            }
            seen[k] = seen[k] ?? e
        }
        if entries.isEmpty { throw StoreError.invalidInput(InputLocation(file: file.path), "the map is empty") }
        return entries
    }
}
