import Foundation

/// Reads a class list: a JSON array of names, or plain text with one name per line (blank
/// lines and lines starting with `#` ignored).
public enum ClassListReader {
    /// Reads the list, choosing JSON when the file starts with `[`. Every problem is an error.
    public static func read(_ file: InputFile) throws -> [String] {
        try readReporting(file, skipInvalid: false).names
    }

    /// Reads the list. An empty name, a name with a control character or (JSON) a value that
    /// is not a string is an error naming its position; with `skipInvalid` it is left out and
    /// listed in `skipped`. A duplicate name stays an error: which of the two was meant
    /// decides every later index.
    public static func readReporting(_ file: InputFile, skipInvalid: Bool) throws -> (names: [String], skipped: [String]) {
        let text = try file.text()
        var invalid = InvalidItems(skipInvalid: skipInvalid)
        var names: [String] = []
        var seen: [String: String] = [:]
        func add(_ name: String, at: InputLocation, what: String) throws {
            if let problem = ClassName.problem(name) {
                try invalid.report(at, "\(what) has \(problem)")
                return
            }
            let key = ClassName.matchKey(name)
            if let first = seen[key] {
                throw StoreError.invalidInput(at, "duplicate class name \(Excerpt.quote(name)) (same as \(first))")
            }
            seen[key] = what
            names.append(name)
        }
        if text.drop(while: { $0.isWhitespace }).first == "[" {
            let doc = try file.json()
            let r = JSONReader(doc)
            for (i, item) in try r.array(doc.root, path: "$").enumerated() {
                let at = doc.location(of: item, path: "[\(i)]")
                guard case .string(let name) = item.value else {
                    try invalid.report(at, "expected a class name, found \(item.value.typeName)")
                    continue
                }
                try add(name, at: at, what: "class \(i)")
            }
        } else {
            for (n, raw) in try file.lines().enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                try add(line, at: InputLocation(file: file.path, line: n + 1), what: "line \(n + 1)")
            }
        }
        if names.isEmpty { throw StoreError.invalidInput(InputLocation(file: file.path), "the class list is empty") }
        return (names, invalid.skipped)
    }
}
