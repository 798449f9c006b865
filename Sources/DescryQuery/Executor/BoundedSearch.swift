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
    /// Below this many matching rows the plain ranking is fast and is used (tests lower it).
    nonisolated(unsafe) static var minimumMatches = 2000

    /// The index term of a query that is one bare ASCII word, else nil (phrases, operators,
    /// prefixes and non-ASCII text go the ordinary way).
    static func singleTerm(_ query: String) -> String? {
        let t = query.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, t.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }),
              !["AND", "OR", "NOT", "NEAR"].contains(t) else { return nil }
        return t.lowercased()
    }

    /// Prepares the temporary vocabulary table (a write to the temp schema, so it runs
    /// before the connection is made query-only).
    static func prepare(_ db: Database) -> Bool {
        (try? db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.descry_fts_vocab USING fts5vocab(main, descriptions_fts, instance)")) != nil
    }

    /// The rowids of the best `k` rows, best first; nil when the bound does not pay off
    /// (few matches, or too many candidates) and the plain query should run.
    static func topRowIDs(_ db: Database, query: String, term: String, k: Int, statistics: SearchStatistics) throws -> [Int64]? {
        guard k > 0, statistics.rows > 0, statistics.tokens > 0 else { return nil }
        var tf: [Int64: Int] = [:]
        let scan = try db.prepare("SELECT doc FROM temp.descry_fts_vocab WHERE term = ?")
        try scan.bind([term])
        while try scan.step() { tf[scan.int(at: 0), default: 0] += 1 }
        scan.reset()
        // Few matches: FTS5 ranks them fast enough itself.
        guard tf.count > max(minimumMatches, 20 * k) else { return nil }
        var byTF: [Int: [Int64]] = [:]
        for (doc, n) in tf { byTF[n, default: []].append(doc) }
        let levels = byTF.keys.sorted(by: >)
        let n = Double(statistics.rows), hits = Double(tf.count)
        var idf = log((n - hits + 0.5) / (hits + 0.5))
        if idf <= 0 { idf = 1e-6 }
        let lengthTerm = k1 * (1 - b + b * Double(statistics.minTokens) / (Double(statistics.tokens) / n))
        func bound(_ t: Int) -> Double { idf * Double(t) * (k1 + 1) / (Double(t) + lengthTerm) }

        var ranked: [(rank: Double, id: Int64)] = []
        for (i, level) in levels.enumerated() {
            let docs = byTF[level]!
            if ranked.count + docs.count > 50_000 { return nil }
            ranked += try ranks(db, query: query, ids: docs)
            guard i + 1 < levels.count, ranked.count >= k else { continue }
            ranked.sort { ($0.rank, $0.id) < ($1.rank, $1.id) }
            let kth = -ranked[k - 1].rank
            // A margin keeps rounding from ever deciding the cut.
            if kth > bound(levels[i + 1]) * (1 + 1e-9) + 1e-12 { break }
        }
        ranked.sort { ($0.rank, $0.id) < ($1.rank, $1.id) }
        return ranked.prefix(k).map(\.id)
    }

    /// FTS5's own rank for the given rows.
    static func ranks(_ db: Database, query: String, ids: [Int64]) throws -> [(rank: Double, id: Int64)] {
        var out: [(Double, Int64)] = []
        out.reserveCapacity(ids.count)
        var start = 0
        while start < ids.count {
            let chunk = ids[start..<min(ids.count, start + 2000)]
            start += chunk.count
            let sql = "SELECT rowid, rank FROM descriptions_fts WHERE descriptions_fts MATCH ? AND rowid IN (" + Array(repeating: "?", count: chunk.count).joined(separator: ",") + ")"
            let s = try db.prepare(sql)
            try s.bind([query as DatabaseValueConvertible] + chunk.map { $0 as DatabaseValueConvertible })
            while try s.step() { out.append((s.double(at: 1), s.int(at: 0))) }
            s.reset()
        }
        return out
    }
}
