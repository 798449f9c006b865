/// Keeps secrets out of messages and shortens server text for error messages.
public enum Redaction {
    /// `text` with every occurrence of `secret` replaced by `***` (nothing to do for short or
    /// empty secrets, which could not be told apart from ordinary text).
    public static func scrub(_ text: String, secret: String?) -> String {
        guard let secret, secret.count >= 4 else { return text }
        return text.replacingOccurrences(of: secret, with: "***")
    }

    /// The first `limit` characters on one line, with an ellipsis when cut.
    public static func excerpt(_ text: String, limit: Int = 300) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count <= limit ? flat : String(flat.prefix(limit)) + "…"
    }
}
