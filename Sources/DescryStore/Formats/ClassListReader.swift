/// Reads a class list: a JSON array of names, or plain text with one name per line (blank
/// lines and lines starting with `#` ignored).
public enum ClassListReader {
    /// Reads the list, choosing JSON when the file starts with `[`.
    public static func read(_ file: InputFile) throws -> [String] {
        let text = try file.text()
        if text.drop(while: { $0.isWhitespace }).first == "[" { return try FuddReader.readClassNames(file) }
        var names: [String] = []
        var seen: [String: Int] = [:]
        for (n, raw) in try file.lines().enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if let problem = ClassName.problem(line) {
                throw StoreError.invalidInput(InputLocation(file: file.path, line: n + 1), "class name with \(problem)")
            }
            let key = ClassName.matchKey(line)
            if let j = seen[key] {
                throw StoreError.invalidInput(InputLocation(file: file.path, line: n + 1), "duplicate class name \(Excerpt.quote(line)) (same as line \(j))")
            }
            seen[key] = n + 1
            names.append(line)
        }
        if names.isEmpty { throw StoreError.invalidInput(InputLocation(file: file.path), "the class list is empty") }
        return names
    }
}

import Foundation
