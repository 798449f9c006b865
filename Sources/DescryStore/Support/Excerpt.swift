/// Quotes input in messages without repeating all of it: a 200 MB template once came back
/// whole on stderr. The one place messages shorten text (the LLM module's `Redaction.excerpt`
/// uses it too).
public enum Excerpt {
    /// `text` on one line (line breaks joined by `newline`), at most `limit` characters, with
    /// an ellipsis when cut.
    public static func line(_ text: String, limit: Int, newline: String = " ") -> String {
        // Only the start can be shown, so only the start is flattened.
        let head = text.count > limit * 4 ? String(text.prefix(limit * 4)) : text
        let flat = head.split(whereSeparator: \.isNewline).joined(separator: newline)
        return flat.count <= limit && head.count == text.count ? flat : String(flat.prefix(limit)) + "…"
    }

    /// `'text'`, or `'start…' (N characters)` when longer than `limit`.
    public static func quote(_ text: String, limit: Int = 80) -> String {
        let shown = line(text, limit: limit, newline: "⏎")
        return text.count > limit ? "'\(shown)' (\(text.count) characters)" : "'\(shown)'"
    }
}
