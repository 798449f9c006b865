/// FuDD's k values as the user asks for them: numbers, or "all" for every class.
public enum KSelection {
    /// Parses "1,3,5,10,all" into k values, nil standing for "all".
    public static func parse(_ text: String) throws -> [Int?] {
        try text.split(separator: ",").map { w in
            let s = w.trimmingCharacters(in: .whitespaces)
            if s == "all" { return nil }
            guard let k = Int(s), k >= 1 else { throw AnalysisError.invalidArgument("k must be a positive integer or 'all', got '\(s)'") }
            return k
        }
    }

    /// The k values clamped to `classCount` (duplicates after clamping dropped), with a note
    /// for each value that was clamped.
    public static func clamp(_ ks: [Int?], classCount: Int) -> (ks: [Int], notes: [String]) {
        var out: [Int] = [], notes: [String] = []
        for k in ks {
            var v = k ?? classCount
            if v > classCount {
                notes.append("k=\(v) is larger than the \(classCount) classes; using k=\(classCount) (FuDD without follow-up)")
                v = classCount
            }
            if !out.contains(v) { out.append(v) }
        }
        return (out, notes)
    }
}
