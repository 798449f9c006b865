import DescryFakes
/// Generates hostile query text for the fuzz test and `descry bench query --fuzz N`: random
/// token sequences and random mutations of valid queries. Deterministic for a seed.
public struct QueryFuzzer {
    private var rng: SplitMix64
    private let examples: [String]

    /// Valid queries the mutations start from.
    public static let defaultExamples = [
        "descriptions\n| where dataset = \"pets\" and kind = \"differential\"\n| search \"ear OR ears\"\n| show class, attribute, text\n| top 10",
        "descriptions\n| where dataset = \"dtd\"\n| group by vlm, category, attribute\n| aggregate n = count(), score = mean(alignment), spread = stddev(alignment)\n| sort score desc\n| top 3 per vlm",
        "pairs | where dataset = \"pets\" | sort confusion desc | top 10 | show class_a, class_b, n_descriptions",
        "descriptions | where dataset = \"pets\" | pivot attribute by vlm value mean(lift)",
        "descriptions | where dataset = \"pets\" | group by attribute | aggregate n = count() | sort n desc | top 5",
        "descriptions | where text like \"*ear*\" and not (kind in [\"class\", 'template']) or id between 1 and 10 | show words = length(text) / 2, lower(class)",
        "scores | where alignment is not null | aggregate m = median(alignment), x = round(max(lift) * 100, 2)",
        "classes | where dataset = \"eurosat\" | sort index desc | top 3",
        "runs | sort accuracy desc | show vlm, method, k, accuracy",
        "audits | where verdict = \"spurious\" | show text, rationale",
    ]

    /// Pieces random sequences are built from: every keyword, field names, operators and
    /// awkward literals.
    static let vocabulary: [String] = [
        "descriptions", "pairs", "classes", "images", "scores", "runs", "audits", "confusions", "vlms", "datasets", "nosuch",
        "|", "|", "|", "where", "search", "group", "by", "aggregate", "sort", "top", "per", "show", "pivot", "value", "asc", "desc",
        "and", "or", "not", "in", "between", "like", "is", "null", "true", "false",
        "dataset", "class", "vlm", "attribute", "category", "alignment", "lift", "margin", "text", "kind", "id", "confusion",
        "n_descriptions", "rank", "n", "score", "count", "mean", "stddev", "median", "lower", "length", "contains", "coalesce", "round",
        "(", ")", "(", ")", "[", "]", ",", ",", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", ";", "()",
        "0", "1", "3", "10", "-1", "0.5", "1e308", "9223372036854775807", "99999999999999999999",
        "\"pets\"", "\"ear OR ears\"", "\"\"", "\"a\\\"b\"", "'x'", "\"ear AND\"", "\"NEAR(\"", "\"*\"", "\"\\u{1F600}\"", "\"; DROP TABLE descriptions; --\"",
        "\"unterminated", "`", "#c\n", "\n", "\t", "é", "\u{0}", "x = 1", "count()", "mean(alignment)",
    ]

    /// Creates a fuzzer.
    public init(seed: UInt64, examples: [String] = QueryFuzzer.defaultExamples) {
        self.rng = SplitMix64(state: seed)
        self.examples = examples
    }

    private mutating func next() -> UInt64 { rng.next() }

    private mutating func below(_ n: Int) -> Int { rng.below(n) }

    /// The next case: half random token sequences, half mutated examples.
    public mutating func nextCase() -> String {
        if below(2) == 0 {
            let count = 1 + below(24)
            var out = ""
            for i in 0..<count {
                if i > 0 && below(5) != 0 { out += " " }
                out += Self.vocabulary[below(Self.vocabulary.count)]
            }
            return out
        }
        var s = Array(examples[below(examples.count)].unicodeScalars)
        for _ in 0..<(1 + below(4)) { s = mutate(s) }
        return String(String.UnicodeScalarView(s))
    }

    private mutating func mutate(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard !s.isEmpty else { return Array(Self.vocabulary[below(Self.vocabulary.count)].unicodeScalars) }
        var s = s
        let i = below(s.count)
        switch below(6) {
        case 0:  // delete a range
            let j = min(s.count, i + 1 + below(8))
            s.removeSubrange(i..<j)
        case 1:  // insert a vocabulary piece
            s.insert(contentsOf: (" " + Self.vocabulary[below(Self.vocabulary.count)] + " ").unicodeScalars, at: i)
        case 2:  // replace one character with a random printable or odd one
            let odd: [Unicode.Scalar] = ["\"", "'", "(", ")", "[", "]", "|", "\\", "\n", "*", "-", "0", "z", "é", "\u{7F}", "ß"]
            s[i] = odd[below(odd.count)]
        case 3:  // duplicate a slice
            let j = min(s.count, i + 1 + below(20))
            s.insert(contentsOf: s[i..<j], at: j)
        case 4:  // truncate
            s = Array(s[..<i])
        default:  // swap two characters
            let j = below(s.count)
            s.swapAt(i, j)
        }
        return s
    }
}
