import Foundation

/// Finds the JSON in an LLM's answer: the whole text, else the inside of a ``` fence, else
/// the first balanced `{…}` or `[…]` that parses — models wrap JSON in prose and fences.
public enum JSONExtraction {
    /// The first JSON object or array found in `text`, or an `invalidAnswer` error.
    public static func extract(_ text: String) throws -> Any {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let v = parse(trimmed) { return v }
        for fenced in fences(trimmed) { if let v = parse(fenced) { return v } }
        let bytes = Array(trimmed.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: "[") {
                if let end = balancedEnd(bytes, from: i),
                   let v = parse(String(decoding: bytes[i...end], as: UTF8.self)) { return v }
            }
            i += 1
        }
        throw LLMError.invalidAnswer(reason: "no JSON object found in the answer", raw: text)
    }

    static func parse(_ s: String) -> Any? {
        guard let first = s.first, first == "{" || first == "[" else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(s.utf8))
    }

    /// Contents of ``` fences (with or without a language tag).
    static func fences(_ s: String) -> [String] {
        let parts = s.components(separatedBy: "```")
        guard parts.count >= 3 else { return [] }
        var out: [String] = []
        for i in stride(from: 1, to: parts.count - 1, by: 2) {
            var body = Substring(parts[i])
            if let nl = body.firstIndex(of: "\n"), !body[..<nl].contains("{") { body = body[body.index(after: nl)...] }
            out.append(body.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return out
    }

    /// Index of the bracket closing the one at `start`, skipping strings; nil if unbalanced.
    static func balancedEnd(_ b: [UInt8], from start: Int) -> Int? {
        var depth = 0, inString = false, escaped = false
        for i in start..<b.count {
            let c = b[i]
            if inString {
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch c {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return i }
            default: break
            }
        }
        return nil
    }
}
