import Foundation

/// Finds the JSON in an LLM's answer: the whole text, else the inside of a ``` fence, else
/// the first balanced `{…}` or `[…]` that parses — models wrap JSON in prose and fences.
///
/// Bounded on hostile answers: one linear scan pairs every bracket (a stack, not a rescan per
/// opening bracket), nesting deeper than `maximumDepth` is never handed to the parser, and at
/// most `maximumAttempts` candidate spans are parsed, so the work is linear in the answer.
public enum JSONExtraction {
    /// Deepest nesting accepted; real answers nest two or three levels.
    public static let maximumDepth = 64
    /// Most candidate spans parsed before giving up.
    public static let maximumAttempts = 32

    /// The first JSON object or array found in `text`, or an `invalidAnswer` error.
    public static func extract(_ text: String) throws -> Any {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let bytes = Array(trimmed.utf8)
        if let v = parse(bytes) { return v }
        for fenced in fences(trimmed) { if let v = parse(Array(fenced.utf8)) { return v } }
        var attempts = 0
        for span in balancedSpans(bytes) {
            if attempts == maximumAttempts { break }
            attempts += 1
            if let v = parse(Array(bytes[span])) { return v }
        }
        throw LLMError.invalidAnswer(reason: "no JSON object found in the answer", raw: text)
    }

    /// Parses `bytes` when they start with a bracket and nest no deeper than `maximumDepth`.
    static func parse(_ bytes: [UInt8]) -> Any? {
        guard let first = bytes.first, first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return nil }
        guard nestingDepth(bytes) <= maximumDepth else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(bytes))
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

    /// The deepest bracket nesting outside strings.
    static func nestingDepth(_ b: [UInt8]) -> Int {
        var depth = 0, deepest = 0, inString = false, escaped = false
        for c in b {
            if inString {
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch c {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1; deepest = max(deepest, depth)
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth = max(0, depth - 1)
            default: break
            }
        }
        return deepest
    }

    /// Every balanced bracket span no deeper than `maximumDepth`, ordered by where it starts,
    /// found in one pass. Strings are skipped; a closing bracket that does not match the open
    /// one resets the scan (the text before it cannot be one JSON value); a region that nests
    /// deeper than `maximumDepth` yields no span until it closes completely.
    static func balancedSpans(_ b: [UInt8]) -> [ClosedRange<Int>] {
        var spans: [ClosedRange<Int>] = []
        var open: [(index: Int, byte: UInt8)] = []
        var overflow = 0  // depth beyond the stack while a too-deep region is open
        var inString = false, escaped = false
        for i in b.indices {
            let c = b[i]
            if inString {
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch c {
            case UInt8(ascii: "\""):
                if !open.isEmpty || overflow > 0 { inString = true }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if overflow > 0 || open.count == maximumDepth {
                    // Too deep: nothing inside or around this region can be handed to the parser.
                    overflow += open.count + 1
                    open.removeAll()
                } else {
                    open.append((i, c))
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if overflow > 0 { overflow -= 1; continue }
                guard let top = open.last else { continue }
                let matches = (top.byte == UInt8(ascii: "{")) == (c == UInt8(ascii: "}"))
                if !matches { open.removeAll(); continue }
                open.removeLast()
                spans.append(top.index...i)
            default: break
            }
        }
        // Closing order puts inner spans first; callers want the earliest start (outermost) first.
        return spans.sorted { $0.lowerBound < $1.lowerBound }
    }
}
