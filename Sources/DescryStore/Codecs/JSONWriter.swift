/// Writes JSON text. Keys keep the order given; strings are escaped per RFC 8259 (non-ASCII
/// written as UTF-8, not \u escapes, so files stay readable).
public struct JSONWriter {
    /// The text so far.
    public private(set) var output = ""
    /// Indentation per level; 0 writes one line.
    public let indent: Int
    private var level = 0

    /// Creates a writer.
    public init(indent: Int = 0) { self.indent = indent }

    /// A JSON string literal for `s`.
    public static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// Serialises a value.
    public static func string(_ value: JSONValue, indent: Int = 0) -> String {
        var w = JSONWriter(indent: indent)
        w.write(value)
        return w.output
    }

    mutating func newline() {
        guard indent > 0 else { return }
        output += "\n" + String(repeating: " ", count: indent * level)
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: output += "null"
        case .bool(let b): output += b ? "true" : "false"
        case .number(let d):
            if d == d.rounded(), abs(d) < 1e15 { output += String(Int64(d)) } else { output += "\(d)" }
        case .string(let s): output += Self.quote(s)
        case .array(let items):
            if items.isEmpty { output += "[]"; return }
            output += "["
            level += 1
            for (i, item) in items.enumerated() {
                if i > 0 { output += indent > 0 ? "," : ", " }
                newline()
                write(item.value)
            }
            level -= 1
            newline()
            output += "]"
        case .object(let members):
            if members.isEmpty { output += "{}"; return }
            output += "{"
            level += 1
            for (i, m) in members.enumerated() {
                if i > 0 { output += indent > 0 ? "," : ", " }
                newline()
                output += Self.quote(m.key) + ": "
                write(m.value.value)
            }
            level -= 1
            newline()
            output += "}"
        }
    }
}

extension JSONValue {
    /// Convenience builders, so exporters read like the data they write.
    public static func str(_ s: String) -> JSONValue { .string(s) }
    /// An integer number.
    public static func int(_ i: Int) -> JSONValue { .number(Double(i)) }
    /// An array of values.
    public static func list(_ items: [JSONValue]) -> JSONValue { .array(items.map { JSONNode(value: $0, offset: 0) }) }
    /// An object with keys in the given order.
    public static func obj(_ members: [(String, JSONValue)]) -> JSONValue {
        .object(members.map { (key: $0.0, value: JSONNode(value: $0.1, offset: 0)) })
    }
}
