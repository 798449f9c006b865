/// Nearest-name suggestions ("did you mean 'attribute'?") by Levenshtein distance: the one
/// implementation behind every hint, in the query language and on the command line.
public enum EditDistance {
    /// The edit distance between two words: insertions, deletions and substitutions of
    /// characters (grapheme clusters, so "é" is one character however it is encoded), each
    /// costing 1, ignoring letter case.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
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

    /// The closest candidate when it is close enough to be a plausible typo: at most
    /// max(2, a third of the word's length) edits away, and fewer edits than the word has
    /// characters (so "x" does not suggest "k"). The first candidate wins a tie. Words longer
    /// than 64 characters get no suggestion: they are not typos of names, and the cost stays
    /// bounded for hostile input.
    public static func nearest(_ word: String, among candidates: [String]) -> String? {
        guard word.count <= 64 else { return nil }
        var best: (name: String, distance: Int)?
        for c in candidates {
            let d = distance(word, c)
            if d < best?.distance ?? Int.max { best = (c, d) }
        }
        guard let best, best.distance <= max(2, word.count / 3), best.distance < word.count else { return nil }
        return best.name
    }
}
