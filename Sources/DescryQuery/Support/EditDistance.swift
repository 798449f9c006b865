/// Nearest-name suggestions ("did you mean 'attribute'?") by Levenshtein distance.
public enum EditDistance {
    /// Edit distance between two words (insert, delete, substitute cost 1).
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased().unicodeScalars), b = Array(b.lowercased().unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = prev
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }

    /// The closest candidate, when it is close enough to be a plausible typo.
    public static func nearest(_ word: String, among candidates: [String]) -> String? {
        // Long inputs are not typos of short names; also keeps the cost bounded for hostile input.
        guard word.count <= 64 else { return nil }
        var best: (String, Int)?
        for c in candidates {
            let d = distance(word, c)
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let best, best.1 <= max(2, word.count / 3), best.1 < word.count else { return nil }
        return best.0
    }
}
