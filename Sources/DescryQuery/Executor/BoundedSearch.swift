import DescryStore
import Foundation

/// Exact bm25 top-k for a one-word `search … | top k` without ranking every match.
///
/// For one term, FTS5's bm25 is `idf · tf(k1+1) / (tf + k1(1 − b + b·len/avglen))`: it grows
/// with the term frequency tf and shrinks with the row's length. Term frequencies come cheaply
/// from the index (`fts5vocab`, no per-row lookups); lengths cost a lookup per row, which is
/// what makes ranking 70,000 matches slow. So rows are taken by decreasing tf and ranked by
/// FTS5 itself, until the k-th best score beats the best score any row with a lower tf could
/// reach (its length is at least the shortest row's, kept in `search_statistics`). The rows
/// returned are exactly those of `ORDER BY rank, rowid LIMIT k`.
struct BoundedSearch {
    /// FTS5's bm25 constants.
    static let k1 = 1.2, b = 0.75

    /// The index term of a query that is one bare ASCII word, else nil (phrases, operators,
    /// prefixes and non-ASCII text go the ordinary way).
    static func singleTerm(_ query: String) -> String? {
        let t = query.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, t.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }),
              !["AND", "OR", "NOT", "NEAR"].contains(t) else { return nil }
        return t.lowercased()
    }

    /// The best `k` rows with their bm25 rank, best first; nil when the bound does not pay
    /// off (few matches, or too many candidates) and the plain query should run.
    ///
    /// Ranks are computed here with FTS5's own formula and inputs (row count and token total
    /// from its averages record, each row's size from its docsize table), in the same
    /// floating-point order as FTS5's bm25, so they are the values FTS5 would give.
    ///
    /// With `kthScore`, the query has filters: rows are ranked until the k-th best row *that
    /// passes them* (the closure runs the filters over the candidates so far and returns that
    /// row's score, or nil while fewer than k pass) beats the bound; then every candidate is
    /// returned, for the query to filter. Without it, the k best rows are returned.
    static func topRows(_ index: ReadOnlyQuery, term: String, k: Int, statistics: SearchStatistics, minimumMatches: Int,
                        kthScore: (([(id: Int64, rank: Double)]) throws -> Double?)? = nil) throws -> [(id: Int64, rank: Double)]? {
        guard k > 0, statistics.rows > 0 else { return nil }
        let tf = try index.termFrequencies(of: term)
        // Few matches: FTS5 ranks them fast enough itself.
        guard tf.count > max(minimumMatches, 20 * k) else { return nil }
        guard let (nRow, nToken) = try index.indexTotals(), nRow > 0 else { return nil }
        let avgdl = Double(nToken) / Double(nRow)
        let nHit = Double(tf.count)
        var idf = log((Double(nRow) - nHit + 0.5) / (nHit + 0.5))
        if idf <= 0.0 { idf = 1e-6 }
        // FTS5's expression, term for term.
        func score(_ freq: Double, _ d: Double) -> Double {
            var s = 0.0
            s += idf * ((freq * (k1 + 1.0)) / (freq + k1 * (1 - b + b * d / avgdl)))
            return s
        }
        var byTF: [Double: [Int64]] = [:]
        for (doc, n) in tf { byTF[n, default: []].append(doc) }
        let levels = byTF.keys.sorted(by: >)
        var ranked: [(id: Int64, rank: Double)] = []
        // Filtered candidates all go into the final statement as bound values (two per row).
        let maxCandidates = kthScore == nil ? 100_000 : 15_000
        for (i, level) in levels.enumerated() {
            let docs = byTF[level, default: []]
            if ranked.count + docs.count > maxCandidates { return nil }
            // Index and docsize disagree: let FTS5 rank.
            guard let sizes = try index.tokenCounts(ofRows: docs) else { return nil }
            for (doc, d) in zip(docs, sizes) {
                ranked.append((doc, -1.0 * score(level, Double(d))))
            }
            guard i + 1 < levels.count else { break }
            ranked.sort { ($0.rank, $0.id) < ($1.rank, $1.id) }
            let kth: Double
            if let kthScore {
                guard let s = try kthScore(ranked) else { continue }
                kth = s
            } else {
                guard ranked.count >= k else { continue }
                kth = -ranked[k - 1].rank
            }
            // Every row with a lower tf scores at most this; a margin keeps rounding out of the cut.
            if kth > score(levels[i + 1], Double(statistics.minTokens)) * (1 + 1e-9) + 1e-12 { break }
        }
        ranked.sort { ($0.rank, $0.id) < ($1.rank, $1.id) }
        return kthScore == nil ? Array(ranked.prefix(k)) : ranked
    }
}
