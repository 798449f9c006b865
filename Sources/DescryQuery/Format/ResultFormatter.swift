import DescryStore
import Foundation

/// Writes a `QueryResult` as text in one of the `OutputFormat`s, respecting column types.
public enum ResultFormatter {
    /// The result in `format`.
    public static func format(_ result: QueryResult, as format: OutputFormat) -> String {
        switch format {
        case .table: return table(result)
        case .json: return json(result)
        case .csv: return csv(result)
        case .markdown: return markdown(result)
        }
    }

    /// A value for people: booleans as true/false, reals to four decimals, null as "null".
    static func display(_ v: DatabaseValue, _ type: ValueType) -> String {
        switch v {
        case .null: return "null"
        case .integer(let i): return type == .boolean ? (i != 0 ? "true" : "false") : String(i)
        case .real(let r): return String(format: "%.4f", r)
        case .text(let s):
            // One row per line: control characters would break the layout.
            return String(s.unicodeScalars.map { $0 == "\n" ? "⏎" : ($0.value < 0x20 ? " " : Character($0)) })
        case .blob(let b): return "<\(b.count) bytes>"
        }
    }

    /// A value for machines: shortest round-tripping numbers.
    static func raw(_ v: DatabaseValue, _ type: ValueType) -> String? {
        switch v {
        case .null: return nil
        case .integer(let i): return type == .boolean ? (i != 0 ? "true" : "false") : String(i)
        case .real(let r): return r.isFinite ? "\(r)" : nil
        case .text(let s): return s
        case .blob(let b): return b.map { String(format: "%02x", $0) }.joined()
        }
    }

    static func rightAligned(_ t: ValueType) -> Bool { t == .integer || t == .real }

    static func table(_ r: QueryResult) -> String {
        let cells = r.rows.map { row in zip(row, r.columns).map { display($0, $1.type) } }
        var widths = r.columns.map { $0.name.count }
        for row in cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ row: [String]) -> String {
            var parts: [String] = []
            for (i, c) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - c.count)
                parts.append(rightAligned(r.columns[i].type) ? pad + c : c + pad)
            }
            return parts.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var out = [line(r.columns.map(\.name)), widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")]
        out += cells.map(line)
        out.append("(\(r.rows.count) row\(r.rows.count == 1 ? "" : "s"))")
        return out.joined(separator: "\n")
    }

    static func json(_ r: QueryResult) -> String {
        if r.rows.isEmpty { return "[]" }
        var out = "[\n"
        for (n, row) in r.rows.enumerated() {
            out += "  {"
            for (i, (v, c)) in zip(row, r.columns).enumerated() {
                if i > 0 { out += ", " }
                out += JSONWriter.quote(c.name) + ": "
                switch v {
                case .text, .blob: out += raw(v, c.type).map(JSONWriter.quote) ?? "null"
                default: out += raw(v, c.type) ?? "null"
                }
            }
            out += n == r.rows.count - 1 ? "}\n" : "},\n"
        }
        return out + "]"
    }

    static func csvField(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    static func csv(_ r: QueryResult) -> String {
        var lines = [r.columns.map { csvField($0.name) }.joined(separator: ",")]
        for row in r.rows {
            lines.append(zip(row, r.columns).map { csvField(raw($0, $1.type) ?? "") }.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func markdown(_ r: QueryResult) -> String {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var lines = ["| " + r.columns.map { cell($0.name) }.joined(separator: " | ") + " |"]
        lines.append("|" + r.columns.map { rightAligned($0.type) ? " ---: " : " --- " }.joined(separator: "|") + "|")
        for row in r.rows {
            lines.append("| " + zip(row, r.columns).map { cell(display($0, $1.type)) }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }
}
