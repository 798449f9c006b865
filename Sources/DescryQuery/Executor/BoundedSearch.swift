import DescryStore
import Foundation

/// Exact bm25 top-k for a `search … | top k` of one bare word or of bare words joined by OR,
/// without ranking every match. (Words that must all match go to FTS5: see `topRows`.)
///
/// FTS5's bm25 is a sum over the query's terms of `idf · tf(k1+1) / (tf + k1(1 − b + b·len/avglen))`:
/// it grows with each term frequency tf and shrinks with the row's length. Term frequencies
/// come cheaply from the index (`fts5vocab`, no per-row lookups); lengths cost a lookup per
/// row, which is what makes ranking 70,000 matches slow. So each candidate gets an upper bound
/// (its score at the shortest row's length, kept in `search_statistics`), candidates are taken
/// by decreasing bound and ranked exactly, until the k-th best score beats the bound of every
/// candidate left. The rows returned are exactly those of `ORDER BY rank, rowid LIMIT k`.
struct BoundedSearch {
    /// FTS5's bm25 constants.
    static let k1 = 1.2, b = 0.75

    /// A query the bound can answer: its index terms in query order (FTS5 sums bm25 over
    /// phrases in that order) and whether every term must match.
    struct Terms: Equatable {
        var terms: [String]
        var all: Bool
    }

    /// The index term of a query that is one bare ASCII word, else nil (phrases, operators,
    /// prefixes and non-ASCII text go the ordinary way).
    static func singleTerm(_ query: String) -> String? {
        guard let t = terms(query), t.terms.count == 1 else { return nil }
        return t.terms[0]
    }

    /// The terms of a query made of bare ASCII words, either all implicitly ANDed or all
    /// joined by `OR`; nil for anything else (phrases, NOT, NEAR, prefixes, columns, parentheses,
    /// mixed AND/OR, non-ASCII text, a repeated term), which goes the ordinary way.
    static func terms(_ query: String) -> Terms? {
        let words = query.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard !words.isEmpty else { return nil }
        var terms: [String] = []
        var ors = 0
        for (i, w) in words.enumerated() {
            if w == "OR" {
                // OR must stand between two words.
                guard i % 2 == 1, i + 1 < words.count else { return nil }
                ors += 1
                continue
            }
            guard w.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }),
                  !["AND", "NOT", "NEAR"].contains(w) else { return nil }
            terms.append(w.lowercased())
        }
        // All OR (w OR w OR w) or none (w w w); a repeated term would be two phrases in FTS5.
        guard ors == 0 || ors == terms.count - 1, Set(terms).count == terms.count else { return nil }
        if ors > 0, words.count != 2 * terms.count - 1 { return nil }
        return Terms(terms: terms, all: ors == 0)
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
        try topRows(index, query: Terms(terms: [term], all: true), k: k, statistics: statistics,
                    minimumMatches: minimumMatches, kthScore: kthScore)
    }

    /// `topRows` for several terms (see `Terms`).
    static func topRows(_ index: ReadOnlyQuery, query: Terms, k: Int, statistics: SearchStatistics, minimumMatches: Int,
                        kthScore: (([(id: Int64, rank: Double)]) throws -> Double?)? = nil) throws -> [(id: Int64, rank: Double)]? {
        guard k > 0, statistics.rows > 0, !query.terms.isEmpty else { return nil }
        // Words that must all match: FTS5 ranks only rows in every term's list, at most the
        // rarest term's, which costs less than reading every term's frequencies here (measured
        // on 1M rows: 15 ms plain against 45 ms bounded for two common words).
        if query.all && query.terms.count > 1 { return nil }
        let m = query.terms.count
        // A candidate's frequency of every term, packed 16 bits a term in query order, so
        // candidates group into levels of equal frequencies without an array per row.
        guard m <= 4 else { return nil }
        let tfs = try query.terms.map { try index.termFrequencies(of: $0) }
        func packed(_ n: Double, _ t: Int) -> UInt64? { n < 65_536 ? UInt64(n) << UInt64(16 * t) : nil }
        // The docs of each level (frequencies packed), and how many candidates there are.
        var byKey: [UInt64: [Int64]] = [:]
        var candidates = 0
        if m == 1 {
            for (doc, n) in tfs[0] {
                guard let p = packed(n, 0) else { return nil }
                byKey[p, default: []].append(doc)
            }
            candidates = tfs[0].count
        } else {
            var keys: [Int64: UInt64] = [:]
            for (t, tf) in tfs.enumerated() {
                for (doc, n) in tf {
                    guard let p = packed(n, t) else { return nil }
                    keys[doc, default: 0] |= p
                }
            }
            for (doc, key) in keys { byKey[key, default: []].append(doc) }
            candidates = keys.count
        }
        // Few matches: FTS5 ranks them fast enough itself.
        guard candidates > max(minimumMatches, 20 * k) else { return nil }
        guard let (nRow, nToken) = try index.indexTotals(), nRow > 0 else { return nil }
        let avgdl = Double(nToken) / Double(nRow)
        // Per term, as FTS5 computes it: the rows containing the term, whatever the rest of the query.
        let idfs: [Double] = tfs.map { tf in
            let nHit = Double(tf.count)
            var idf = log((Double(nRow) - nHit + 0.5) / (nHit + 0.5))
            if idf <= 0.0 { idf = 1e-6 }
            return idf
        }
        // FTS5's expression, term for term, summed in query order.
        func score(_ f: [Double], _ d: Double) -> Double {
            var s = 0.0
            for i in 0..<m {
                s += idfs[i] * ((f[i] * (k1 + 1.0)) / (f[i] + k1 * (1 - b + b * d / avgdl)))
            }
            return s
        }
        // Levels of equal frequencies, best bound first; a level's bound is its score at the
        // shortest length any row has.
        let minTokens = Double(statistics.minTokens)
        let levels: [(f: [Double], bound: Double, docs: [Int64])] = byKey.map { key, docs in
            let f = (0..<m).map { Double((key >> UInt64(16 * $0)) & 0xFFFF) }
            return (f, score(f, minTokens), docs)
        }.sorted { $0.bound > $1.bound }
        var ranked: [(id: Int64, rank: Double)] = []
        // Filtered candidates all go into the final statement as bound values (two per row).
        let maxCandidates = kthScore == nil ? 100_000 : 15_000
        for (i, level) in levels.enumerated() {
            if ranked.count + level.docs.count > maxCandidates { return nil }
            // Index and docsize disagree: let FTS5 rank.
            guard let sizes = try index.tokenCounts(ofRows: level.docs) else { return nil }
            for (doc, d) in zip(level.docs, sizes) {
                ranked.append((doc, -1.0 * score(level.f, Double(d))))
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
            // Every row of a later level scores at most its bound; a margin keeps rounding out of the cut.
            if kth > levels[i + 1].bound * (1 + 1e-9) + 1e-12 { break }
        }
        ranked.sort { ($0.rank, $0.id) < ($1.rank, $1.id) }
        return kthScore == nil ? Array(ranked.prefix(k)) : ranked
    }
}
