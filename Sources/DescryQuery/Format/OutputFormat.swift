/// How a result is written.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// An aligned text table: numbers right-aligned, reals to four decimals.
    case table
    /// A JSON array of objects, keys in column order.
    case json
    /// RFC 4180 CSV with a header row.
    case csv
    /// A GitHub-flavoured Markdown table.
    case markdown
}
