/// Parses answers to the per-class description prompts.
public enum DescriptionList {
    /// The non-empty, distinct sentences of `{"descriptions": [...]}` (or a bare array). An
    /// answer with no usable sentence, or with a non-string item, is invalid.
    public static func parse(_ text: String) throws -> [String] {
        func bad(_ why: String) -> LLMError { .invalidAnswer(reason: why, raw: text) }
        let json = try JSONExtraction.extract(text)
        var list: [Any]?
        if let arr = json as? [Any] { list = arr } else if let obj = json as? [String: Any] {
            list = (obj["descriptions"] ?? obj["sentences"] ?? obj["answers"]) as? [Any]
        }
        guard let items = list else { throw bad("expected a list under \"descriptions\"") }
        var out: [String] = []
        var seen = Set<String>()
        for (i, any) in items.enumerated() {
            guard let s = any as? String else { throw bad("item \(i + 1) is not a string") }
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            if !t.isEmpty && seen.insert(t).inserted { out.append(t) }
        }
        guard !out.isEmpty else { throw bad("no non-empty sentence") }
        return out
    }
}
