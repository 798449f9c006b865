/// Quotes user input in messages without repeating all of it: a 200 MB template once came
/// back whole on stderr. One line, at most `limit` characters, with its full length when cut.
public enum Excerpt {
    /// `'text'`, or `'start…' (N characters)` when longer than `limit`.
    public static func quote(_ text: String, limit: Int = 80) -> String {
        let flat = text.count > limit * 4 ? String(text.prefix(limit * 4)) : text
        let oneLine = flat.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" })
            ? flat.replacingOccurrences(of: "\r\n", with: "⏎").replacingOccurrences(of: "\n", with: "⏎").replacingOccurrences(of: "\r", with: "⏎")
            : flat
        guard text.count > limit else { return "'\(oneLine)'" }
        return "'\(oneLine.prefix(limit))…' (\(text.count) characters)"
    }
}
